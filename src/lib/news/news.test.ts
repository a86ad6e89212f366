import * as A from '@automerge/automerge/slim';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgendaDoc } from '../agenda/document.ts';
import { blankEvent, cancelSignup, checkEvent, createEvent, editEvent, signUp, skipOccurrence, stayAway } from '../agenda/mutations.ts';
import { places } from '../agenda/signups.ts';
import { readEvents } from '../agenda/view.ts';
import { imm } from '../automerge/immutable.ts';
import type { HelpDoc } from '../help/document.ts';
import { accept, blankPost, createPost, hide, markDone, respond, thank, withdrawResponse } from '../help/mutations.ts';
import { readPosts } from '../help/view.ts';
import type { Member } from '../members/view.ts';
import { audience, newsFor, newsMadeBy, type DocumentChange } from './news.ts';
import type { NewsItem } from './item.ts';

/** A document that remembers its last change as the relay's handle reports it. */
class Recorded<T> {
	doc: A.Doc<T>;
	last?: { before: A.Doc<T>; after: A.Doc<T>; patches: A.Patch[] };
	constructor(initial: T) {
		this.doc = A.change(A.init<T>(), (d) => void Object.assign(d as object, initial));
	}
	change(fn: A.ChangeFn<T>): void {
		const before = this.doc;
		let patches: A.Patch[] = [];
		this.doc = A.change(this.doc, { patchCallback: (p) => (patches = p) }, fn);
		this.last = { before, after: this.doc, patches };
	}
}

const henk = 'henk-000001';
const ingrid = 'ingrid-0001';
const bert = 'bert-000001';
const carla = 'carla-00001';

const member = (id: string, name: string, managedBy?: string): Member => ({
	id,
	name,
	area: '',
	phone: '',
	phoneVisibility: 'nobody', areaVisibility: 'members',
	helpWith: [],
	helpNote: '',
	joinedAt: '2026-01-01T00:00:00.000Z',
	updatedAt: '',
	...(managedBy ? { managedBy } : {})
});
const members = [member(henk, 'Henk Jansen', ingrid), member(ingrid, 'Ingrid de Boer'), member(bert, 'Bert Smit'), member(carla, 'Carla Peters')];

const shopping = { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 3, 10, minute));
const board = () => new Recorded<HelpDoc>({ period: imm('2026Q4'), posts: {} });
const posts = (doc: Recorded<HelpDoc>) => readPosts([{ url: 'automerge:help', doc: doc.doc }]).items;
const change = (doc: Recorded<HelpDoc>, withPatches = true): DocumentChange => ({
	module: 'help',
	url: 'automerge:help',
	before: doc.last!.before,
	after: doc.last!.after,
	...(withPatches ? { patches: doc.last!.patches } : {})
});

describe('news for a member', () => {
	it('shows an intermediary the news of the residents they act for, newest first, but not what they did', () => {
		const doc = board();
		const post = createPost(doc, shopping, { memberId: henk, actedBy: ingrid }, at(0));
		const b = respond(doc, post, '', { memberId: bert }, at(1))!;
		respond(doc, post, '', { memberId: carla }, at(2));
		accept(doc, post, b, { memberId: henk, actedBy: ingrid }, at(3));
		const theirs = newsFor({ member: ingrid, actsFor: [henk] }, { posts: posts(doc) });
		expect(theirs.map((n) => `${n.kind} ${n.for} ${n.actor}`)).toEqual([`response ${henk} ${carla}`, `response ${henk} ${bert}`]);
		expect(newsFor({ member: bert, actsFor: [] }, { posts: posts(doc) }).map((n) => n.kind)).toEqual(['accepted']);
		expect(newsFor({ member: ingrid, actsFor: [henk] }, { posts: posts(doc) }, at(1).toISOString()).map((n) => n.actor)).toEqual([carla]);
	});

	it('leaves out what the viewer did for someone else', () => {
		const doc = board();
		const post = createPost(doc, shopping, { memberId: bert }, at(0));
		respond(doc, post, '', { memberId: henk, actedBy: ingrid }, at(1));
		// Ingrid pressed the button for Henk: Bert hears of it, Ingrid does not even if she acted for Bert.
		expect(newsFor({ member: bert, actsFor: [] }, { posts: posts(doc) })).toHaveLength(1);
		expect(newsFor({ member: ingrid, actsFor: [bert] }, { posts: posts(doc) })).toEqual([]);
	});

	it('tells the resident and their intermediary, but not whoever did it or a member who left', () => {
		const doc = board();
		const post = createPost(doc, shopping, { memberId: henk }, at(0));
		respond(doc, post, '', { memberId: bert }, at(1));
		const [item] = newsFor({ member: henk, actsFor: [] }, { posts: posts(doc) });
		expect(audience(item, members)).toEqual([henk, ingrid]);
		expect(audience({ ...item, actor: ingrid }, members)).toEqual([henk]);
		const gone = members.map((m) => (m.id === henk ? { ...m, leftAt: '2026-11-30T10:00:00.000Z' } : m));
		expect(audience(item, gone)).toEqual([]);
		const ingridGone = members.map((m) => (m.id === ingrid ? { ...m, leftAt: '2026-11-30T10:00:00.000Z' } : m));
		expect(audience(item, ingridGone)).toEqual([henk]);
		// Henk's profile has not reached this copy yet: he hears it, his intermediary is not known.
		expect(audience(item, members.filter((m) => m.id !== henk))).toEqual([henk]);
	});
});

describe('news made by one change', () => {
	it('gives a response once, for the author, and nothing for a change that makes no news', () => {
		const doc = board();
		const post = createPost(doc, shopping, { memberId: henk }, at(0));
		expect(newsMadeBy(change(doc))).toEqual([]);
		const b = respond(doc, post, '', { memberId: bert }, at(1))!;
		expect(newsMadeBy(change(doc)).map((n) => `${n.kind} ${n.for} ${n.id}`)).toEqual([`response ${henk} response:${post}:${b}`]);
		thank(doc, post, '', { memberId: henk }, at(2)); // no helper accepted yet: nobody to thank
		expect(newsMadeBy(change(doc))).toEqual([]);
	});

	it('tells each thank-you once, also after the helper, acting for the poster, thanked themself', () => {
		const doc = board();
		createPost(doc, shopping, { memberId: henk }, at(0));
		const id = posts(doc)[0].id;
		// Ingrid acts for Henk, and helps him herself.
		respond(doc, id, '', { memberId: ingrid }, at(1));
		accept(doc, id, posts(doc)[0].responses[0].id, { memberId: henk }, at(2));
		const told: NewsItem[] = [];
		for (const [who, minute] of [[henk, 3], [ingrid, 4], [henk, 5]] as const) {
			thank(doc, id, '', { memberId: who }, at(minute));
			told.push(...newsMadeBy(change(doc)));
		}
		// Her own thank-you is no news for her; Henk's two are two items, not one told twice.
		expect(told.map((n) => `${n.kind} ${n.for} ${n.actor} ${n.at}`)).toEqual([
			`thanked ${ingrid} ${henk} ${at(3).toISOString()}`,
			`thanked ${ingrid} ${henk} ${at(5).toISOString()}`
		]);
		expect(new Set(told.map((n) => n.id)).size).toBe(2);
	});

	it('tells a helper of a "done" or a thank-you said while they helped, once: not of one said before, nor again when accepted anew', () => {
		const doc = board();
		const post = createPost(doc, shopping, { memberId: henk }, at(0));
		const told = () => newsMadeBy(change(doc)).map((n) => `${n.kind} ${n.for}`);
		thank(doc, post, '', { memberId: henk }, at(1));
		expect(told()).toEqual([]);
		const first = respond(doc, post, '', { memberId: bert }, at(2))!;
		expect(told()).toEqual([`response ${henk}`]);
		// Bert is accepted after the thank-you: it was not for him.
		accept(doc, post, first, { memberId: henk }, at(3));
		expect(told()).toEqual([`accepted ${bert}`]);
		markDone(doc, post, { memberId: henk }, at(4));
		expect(told()).toEqual([`done ${bert}`]);
		// He withdraws, answers again and is accepted again: the "done" is not news a second time.
		withdrawResponse(doc, post, first, { memberId: bert }, at(5));
		expect(told()).toEqual([]);
		const again = respond(doc, post, '', { memberId: bert }, at(6))!;
		expect(told()).toEqual([`response ${henk}`]);
		accept(doc, post, again, { memberId: henk }, at(7));
		expect(told()).toEqual([`accepted ${bert}`]);
		// A thank-you said now is for him.
		thank(doc, post, 'Dank je wel!', { memberId: henk }, at(8));
		expect(told()).toEqual([`thanked ${bert}`]);
	});

	it('reads only the posts a change touched', () => {
		const doc = board();
		const ids = Array.from({ length: 12 }, (_, i) => createPost(doc, shopping, { memberId: henk }, at(i)));
		for (const id of ids) respond(doc, id, '', { memberId: bert }, at(51));
		respond(doc, ids[7], '', { memberId: carla }, at(52));
		const made = newsMadeBy(change(doc));
		expect(made.map((n) => n.subject.id)).toEqual([ids[7]]);
		// With patches only one post is read: breaking every other post in "before" changes nothing.
		const broken = { ...change(doc), before: { period: '2026Q4', posts: { [ids[7]]: (doc.last!.before as HelpDoc).posts[ids[7]] } } };
		expect(newsMadeBy(broken)).toEqual(made);
	});

	it('gives the agenda\'s news too: a place comes free', () => {
		const doc = new Recorded<AgendaDoc>({ period: imm('2026'), events: {} });
		const input = checkEvent({ ...blankEvent('2026-12-10'), title: 'Koffieochtend', capacity: 1 });
		if (!input.ok) throw new Error('form');
		const id = createEvent(doc, input.value, { memberId: carla }, at(0));
		const a = signUp(doc, id, '', { memberId: henk }, at(1))!;
		signUp(doc, id, '', { memberId: bert }, at(2));
		expect(newsMadeBy({ module: 'agenda', url: 'automerge:agenda', ...doc.last! })).toEqual([]);
		cancelSignup(doc, id, a, { memberId: henk }, at(3));
		const made = newsMadeBy({ module: 'agenda', url: 'automerge:agenda', ...doc.last! });
		expect(made.map((n) => `${n.kind} ${n.for}`)).toEqual([`moved-up ${bert}`]);
	});

	it('agrees with reading the whole document, never makes news of someone\'s own act, and never repeats', () => {
		const people = [henk, bert, carla, ingrid];
		const action = fc.record({
			what: fc.constantFrom('post', 'respond', 'withdraw', 'accept', 'done', 'thank', 'hide'),
			who: fc.constantFrom(...people),
			pick: fc.nat(20)
		});
		fc.assert(
			fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) => {
				const doc = board();
				const seen = new Set<string>();
				actions.forEach(({ what, who, pick }, minute) => {
					const actor = { memberId: who };
					const all = posts(doc);
					const post = all[pick % Math.max(1, all.length)];
					const response = post?.responses[pick % Math.max(1, post.responses.length)];
					doc.last = undefined;
					if (what === 'post' || !post) createPost(doc, shopping, actor, at(minute));
					else if (what === 'respond') respond(doc, post.id, '', actor, at(minute));
					else if (what === 'withdraw' && response) withdrawResponse(doc, post.id, response.id, actor, at(minute));
					else if (what === 'accept' && response) accept(doc, post.id, response.id, actor, at(minute));
					else if (what === 'done') markDone(doc, post.id, actor, at(minute));
					else if (what === 'thank') thank(doc, post.id, '', actor, at(minute));
					else if (what === 'hide') hide(doc, post.id, 'weg', actor, at(minute));
					if (!doc.last) return;
					const made = newsMadeBy(change(doc));
					expect(new Set(made.map((n) => n.id))).toEqual(new Set(newsMadeBy(change(doc, false)).map((n) => n.id)));
					for (const n of made) {
						expect(n.for).not.toBe(n.actor);
						expect(seen.has(n.id)).toBe(false);
						seen.add(n.id);
					}
				});
			}),
			{ numRuns: 40 }
		);
	});

	it('agrees with reading the whole agenda document, and tells a place only to someone who has it', () => {
		const people = [henk, bert, carla, ingrid];
		const input = checkEvent({
			...blankEvent('2026-12-10'),
			title: 'Koffieochtend',
			capacity: 2,
			repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }
		});
		if (!input.ok) throw new Error('form');
		const dates = ['', '2026-12-17T10:00', '2026-12-24T10:00'];
		const action = fc.record({
			what: fc.constantFrom('signUp', 'cancel', 'away', 'edit', 'skip'),
			who: fc.constantFrom(...people),
			pick: fc.nat(20)
		});
		fc.assert(
			fc.property(fc.array(action, { minLength: 1, maxLength: 20 }), (actions) => {
				const doc = new Recorded<AgendaDoc>({ period: imm('series'), events: {} });
				const id = createEvent(doc, input.value, { memberId: ingrid }, at(0));
				actions.forEach(({ what, who, pick }, i) => {
					const actor = { memberId: who };
					const now = at(i + 1);
					const [event] = readEvents([{ url: 'automerge:agenda', doc: doc.doc }]).items;
					const mine = event.signups.filter((s) => s.member === who && !s.cancelledAt);
					const date = dates[pick % dates.length];
					doc.last = undefined;
					if (what === 'signUp') signUp(doc, id, date, actor, now);
					else if (what === 'cancel' && mine[0]) cancelSignup(doc, id, mine[0].id, actor, now);
					else if (what === 'away' && mine[0] && date) stayAway(doc, id, mine[0].id, date, now);
					else if (what === 'edit') editEvent(doc, id, { ...input.value, startTime: pick % 2 ? '10:00' : '10:30' }, actor, now);
					else if (what === 'skip' && date) skipOccurrence(doc, id, date, '', actor, now);
					// Set again by the mutation, if it changed anything (TypeScript cannot see that).
					const last = doc.last as Recorded<AgendaDoc>['last'];
					if (!last) return;
					const change = { module: 'agenda' as const, url: 'automerge:agenda', ...last };
					const made = newsMadeBy(change);
					expect(new Set(made.map((n) => n.id))).toEqual(new Set(newsMadeBy({ ...change, patches: undefined }).map((n) => n.id)));
					const [after] = readEvents([{ url: 'automerge:agenda', doc: doc.doc }]).items;
					for (const n of made) {
						expect(n.for).not.toBe(n.actor);
						if (n.kind === 'moved-up') {
							expect(places(after, n.subject.occurrence ?? '').participants.map((s) => s.member)).toContain(n.for);
						}
					}
				});
			}),
			{ numRuns: 30 }
		);
	});
});
