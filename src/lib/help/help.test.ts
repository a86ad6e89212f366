import * as A from '@automerge/automerge/slim';
import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { Member } from '../members/view.ts';
import type { HelpDoc } from './document.ts';
import { needsCheck } from './lifecycle.ts';
import { matchesFor } from './matching.ts';
import {
	accept,
	blankPost,
	checkPost,
	createPost,
	editPost,
	hide,
	markDone,
	renew,
	reopen,
	respond,
	restore,
	restoreResponse,
	thank,
	withdrawPost,
	withdrawResponse,
	type PostInput
} from './mutations.ts';
import { periodOf, previousPeriod, recentPeriods, sortPeriods } from './periods.ts';
import { monthlyReport } from './report.ts';
import { filterPosts, myHelp } from './search.ts';
import { fold } from '../text/fold.ts';
import { readPosts, type Post } from './view.ts';

const anna = { memberId: 'anna-000001' };
const bert = { memberId: 'bert-000001' };
const carla = { memberId: 'carla-00001' };
const fatima = { memberId: 'fatima-0001' };

const shopping: PostInput = {
	...blankPost('request'),
	category: 'boodschappen',
	title: 'Boodschappen naar huis',
	description: 'Wie kan donderdag mijn boodschappen meenemen van de Jumbo?',
	where: 'Lindenlaan'
};

function period(name = '2026Q4'): DocHandle<HelpDoc> {
	return new Repo().create<HelpDoc>({ period: imm(name), posts: {} });
}

function posts(...handles: DocHandle<HelpDoc>[]): Post[] {
	return readPosts(handles.map((h) => ({ url: h.url, doc: h.doc() }))).items;
}

const at = (iso: string) => new Date(iso);

describe('posting', () => {
	it('validates the form with message keys', () => {
		expect(checkPost(shopping).ok).toBe(true);
		expect(checkPost({ ...shopping, title: ' ', category: '' })).toEqual({
			ok: false,
			errors: { title: 'required', category: 'required' }
		});
		expect(checkPost({ ...shopping, whenKind: 'date', from: '' })).toEqual({ ok: false, errors: { from: 'required' } });
		expect(checkPost({ ...shopping, whenKind: 'period', from: '2026-12-10', to: '2026-12-01' })).toEqual({
			ok: false,
			errors: { to: 'date_order' }
		});
		expect(checkPost({ ...shopping, whenKind: 'date', from: '10-12-2026' }).ok).toBe(false);
		expect(checkPost(null).ok).toBe(false);
	});

	it('stores a request that reads back as typed, with its creation in the history', () => {
		const handle = period();
		const id = createPost(handle, { ...shopping, whenKind: 'date', from: '2026-12-03' }, anna, at('2026-11-28T10:00:00Z'));
		const [post] = posts(handle);
		expect(post).toMatchObject({
			id,
			kind: 'request',
			category: 'boodschappen',
			title: 'Boodschappen naar huis',
			status: 'open',
			author: 'anna-000001',
			when: { kind: 'date', from: '2026-12-03' },
			responseCount: 0,
			period: '2026Q4'
		});
		expect(post.history.map((h) => h.action)).toEqual(['created']);
		expect(A.isImmutableString(handle.doc().posts[id].status)).toBe(true);
		expect(typeof handle.doc().posts[id].description).toBe('string');
	});
});

describe('the life of a request', () => {
	it('goes from open to agreed to done, with more than one helper and a thank-you', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna, at('2026-11-28T10:00:00Z'));
		const fromBert = respond(handle, id, 'Ik kan helpen, ik ga toch.', bert, at('2026-11-28T11:00:00Z'))!;
		const fromCarla = respond(handle, id, 'Ik ook!', carla, at('2026-11-28T11:05:00Z'))!;
		expect(posts(handle)[0].responseCount).toBe(2);

		accept(handle, id, fromBert, anna, at('2026-11-28T12:00:00Z'));
		accept(handle, id, fromCarla, anna, at('2026-11-28T12:01:00Z'));
		let post = posts(handle)[0];
		expect(post.status).toBe('agreed');
		expect(post.agreedAt).toBe('2026-11-28T12:00:00.000Z');
		expect(post.helpers).toEqual(['bert-000001', 'carla-00001']);

		markDone(handle, id, anna, at('2026-11-29T18:00:00Z'));
		thank(handle, id, 'Dank je wel, Bert en Carla!', anna, at('2026-11-29T18:01:00Z'));
		post = posts(handle)[0];
		expect(post.status).toBe('done');
		expect(post.thanks).toMatchObject({ by: 'anna-000001', message: 'Dank je wel, Bert en Carla!' });
		expect(post.history.map((h) => h.action)).toEqual(['created', 'responded', 'responded', 'accepted', 'accepted', 'done', 'thanked']);
	});

	it('a withdrawn response no longer counts, and cannot be accepted', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		const r = respond(handle, id, 'Ik kan helpen', bert)!;
		withdrawResponse(handle, id, r, bert);
		accept(handle, id, r, anna);
		const post = posts(handle)[0];
		expect(post.responseCount).toBe(0);
		expect(post.status).toBe('open');
	});

	it('"Ongedaan maken" after done or withdrawn brings back open or agreed, and says so in the history', () => {
		const handle = period();
		const open = createPost(handle, shopping, anna);
		const agreed = createPost(handle, { ...shopping, title: 'Naar de huisarts' }, anna);
		accept(handle, agreed, respond(handle, agreed, 'Ik rijd', bert)!, anna);
		const byId = (pid: string) => posts(handle).find((p) => p.id === pid)!;

		withdrawPost(handle, open, anna);
		markDone(handle, agreed, anna);
		expect([byId(open).status, byId(agreed).status]).toEqual(['withdrawn', 'done']);
		reopen(handle, open, anna);
		reopen(handle, agreed, anna);
		expect([byId(open).status, byId(agreed).status]).toEqual(['open', 'agreed']);
		expect(byId(agreed).history.at(-1)?.action).toBe('reopened');
		// Nothing to undo on a post that is already open.
		const before = byId(open).history.length;
		reopen(handle, open, anna);
		expect(byId(open).history).toHaveLength(before);
	});

	it('a withdrawn response comes back with its message when the helper undoes it', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		const r = respond(handle, id, 'Ik kan donderdag', bert)!;
		withdrawResponse(handle, id, r, bert);
		expect(posts(handle)[0].responseCount).toBe(0);
		restoreResponse(handle, id, r, bert);
		const post = posts(handle)[0];
		expect(post.responseCount).toBe(1);
		expect(post.responses[0]).toMatchObject({ message: 'Ik kan donderdag', by: bert.memberId });
		expect(post.responses[0].withdrawnAt).toBeUndefined();
	});

	it('a form saved as of when it was opened keeps what another editor changed meanwhile', () => {
		const handle = period();
		const id = createPost(handle, { ...shopping, description: 'Boodschappen van de Jumbo.' }, anna);
		const opened = handle.heads();
		// Bert (the volunteer for Anna) adds a sentence while Anna's form is open.
		editPost(handle, id, { ...shopping, description: 'Boodschappen van de Jumbo. Graag voor vrijdag.' }, bert);
		// Anna changes the title and the start of the description in her older form.
		editPost(handle, id, { ...shopping, title: 'Boodschappen (Jumbo)', description: 'Mijn boodschappen van de Jumbo.' }, anna, new Date(), opened);
		const post = posts(handle)[0];
		expect(post.title).toBe('Boodschappen (Jumbo)');
		expect(post.description).toBe('Mijn boodschappen van de Jumbo. Graag voor vrijdag.');
	});

	it('can be edited, withdrawn and renewed; editing records which fields changed', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna, at('2026-11-01T10:00:00Z'));
		expect(editPost(handle, id, shopping, anna)).toEqual([]);
		expect(editPost(handle, id, { ...shopping, title: 'Boodschappen (Albert Heijn)', where: 'Beukenstraat' }, anna)).toEqual([
			'title',
			'where'
		]);
		// Dated, as the renewal is: withdrawn "now" came after the renewal once the clock passed it.
		withdrawPost(handle, id, anna, at('2026-11-20T10:00:00Z'));
		expect(posts(handle)[0].status).toBe('withdrawn');
		renew(handle, id, anna, at('2026-12-05T10:00:00Z'));
		const post = posts(handle)[0];
		expect(post.status).toBe('open');
		expect(post.renewedAt).toBe('2026-12-05T10:00:00.000Z');
		expect(post.history.find((h) => h.action === 'edited')?.fields).toEqual(['title', 'where']);
	});

	it('asks whether it is still needed after 30 days or past its date, until renewed', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna, at('2026-11-01T10:00:00Z'));
		const dated = createPost(handle, { ...shopping, whenKind: 'date', from: '2026-11-10' }, anna, at('2026-11-01T10:00:00Z'));
		const byId = (pid: string) => posts(handle).find((p) => p.id === pid)!;
		expect(needsCheck(byId(id), at('2026-11-30T09:00:00Z'))).toBe(false);
		expect(needsCheck(byId(id), at('2026-12-01T10:00:00Z'))).toBe(true);
		expect(needsCheck(byId(dated), at('2026-11-10T20:00:00Z'))).toBe(false);
		expect(needsCheck(byId(dated), at('2026-11-11T08:00:00Z'))).toBe(true);
		renew(handle, id, anna, at('2026-12-01T10:00:00Z'));
		expect(needsCheck(byId(id), at('2026-12-02T10:00:00Z'))).toBe(false);
		markDone(handle, dated, anna);
		expect(needsCheck(byId(dated), at('2027-01-01T10:00:00Z'))).toBe(false);
	});
});

describe('responses', () => {
	it('"Graag" on an offer counts neighbours, not messages', () => {
		const handle = period();
		const id = createPost(handle, { ...shopping, kind: 'offer', title: 'Ik doe boodschappen voor u' }, bert);
		respond(handle, id, 'Graag!', anna);
		respond(handle, id, 'Graag, op vrijdag?', anna);
		respond(handle, id, 'Graag', carla);
		const post = posts(handle)[0];
		expect(post.responses).toHaveLength(3);
		expect(post.responseCount).toBe(2);
		expect(respond(handle, 'no-such-post', 'Graag', anna)).toBeUndefined();
	});

	it('renewing a post whose day has passed answers "still needed?" until 30 days later', () => {
		const handle = period();
		const id = createPost(handle, { ...shopping, whenKind: 'date', from: '2026-11-10' }, anna, at('2026-11-01T10:00:00Z'));
		expect(needsCheck(posts(handle)[0], at('2026-11-11T08:00:00Z'))).toBe(true);
		renew(handle, id, anna, at('2026-11-11T09:00:00Z'));
		expect(needsCheck(posts(handle)[0], at('2026-11-12T08:00:00Z'))).toBe(false);
		expect(needsCheck(posts(handle)[0], at('2026-12-11T09:00:00Z'))).toBe(true);
	});
});

describe('on behalf of a resident without a device', () => {
	it('records the resident as author and the volunteer as the one who acted', () => {
		const handle = period();
		const forHenk = { memberId: 'henk-000001', actedBy: 'vera-000001' };
		const id = createPost(handle, shopping, forHenk);
		respond(handle, id, 'Ik breng ze', bert);
		const r = posts(handle)[0].responses[0];
		accept(handle, id, r.id, forHenk);
		const post = posts(handle)[0];
		expect(post.author).toBe('henk-000001');
		expect(post.actedBy).toBe('vera-000001');
		expect(post.history.filter((h) => h.by === 'henk-000001').map((h) => h.actedBy)).toEqual(['vera-000001', 'vera-000001']);
		expect(myHelp(posts(handle), ['vera-000001', 'henk-000001']).posted).toHaveLength(1);
		// A volunteer answering for a resident: the response and its history line say both.
		const other = createPost(handle, { ...shopping, kind: 'offer' }, bert);
		respond(handle, other, 'Graag', forHenk);
		const offer = posts(handle).find((p) => p.id === other)!;
		expect(offer.responses[0]).toMatchObject({ by: 'henk-000001', actedBy: 'vera-000001' });
		expect(offer.history.at(-1)).toMatchObject({ action: 'responded', by: 'henk-000001', actedBy: 'vera-000001' });
		expect(myHelp(posts(handle), ['henk-000001']).responded.map((p) => p.id)).toEqual([other]);
	});
});

describe('moderation', () => {
	it('hides with a reason and restores, losing nothing', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		respond(handle, id, 'Ik help', bert);
		hide(handle, id, 'Dubbel geplaatst', fatima);
		let post = posts(handle)[0];
		expect(post.hidden).toMatchObject({ by: 'fatima-0001', reason: 'Dubbel geplaatst' });
		expect(filterPosts([post], {})).toEqual([]);
		expect(filterPosts([post], { includeHidden: true })).toHaveLength(1);
		expect(hide(handle, id, '   ', fatima)).toBe(false);
		restore(handle, id, fatima);
		post = posts(handle)[0];
		expect(post.hidden).toBeNull();
		expect(post.responseCount).toBe(1);
		expect(post.history.map((h) => h.action)).toEqual(['created', 'responded', 'hidden', 'restored']);
	});
});

describe('offline and concurrent', () => {
	it('two devices editing the same post offline keep both edits', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		const repoB = new Repo();
		const other = repoB.import<HelpDoc>(A.save(handle.doc()));
		editPost(handle, id, { ...shopping, title: 'Boodschappen Jumbo', description: 'Wie kan donderdag mijn boodschappen meenemen van de Jumbo? Graag voor 12 uur.' }, anna);
		editPost(other, id, { ...shopping, where: 'Beukenstraat', description: 'Wie kan morgen donderdag mijn boodschappen meenemen van de Jumbo?' }, { memberId: 'anna-000001', actedBy: 'vera-000001' });
		handle.merge(other);
		const post = posts(handle)[0];
		expect(post.title).toBe('Boodschappen Jumbo');
		expect(post.where).toBe('Beukenstraat');
		expect(post.description).toBe('Wie kan morgen donderdag mijn boodschappen meenemen van de Jumbo? Graag voor 12 uur.');
		expect(post.history.filter((h) => h.action === 'edited')).toHaveLength(2);
	});

	it('two neighbours responding at the same moment are both kept', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		const other = new Repo().import<HelpDoc>(A.save(handle.doc()));
		respond(handle, id, 'Ik!', bert);
		respond(other, id, 'Ik ook!', carla);
		handle.merge(other);
		expect(posts(handle)[0].responses.map((r) => r.by).sort()).toEqual(['bert-000001', 'carla-00001']);
	});
});

describe('reading posts from peers', () => {
	it('skips and counts invalid posts and parts, keeping the rest', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		respond(handle, id, 'Ik help', bert);
		const doc = JSON.parse(JSON.stringify(handle.doc())) as { posts: Record<string, Record<string, unknown>> };
		doc.posts[id].responses = { ...(doc.posts[id].responses as object), broken: { id: 'x' } };
		doc.posts[id].history = { ...(doc.posts[id].history as object), torn: '{"at":', forged: '{"at":"yesterday","by":"x","action":"done"}' };
		doc.posts.garbage = { id: 'garbage', kind: 'sell' } as Record<string, unknown>;
		doc.posts.notanobject = 7 as unknown as Record<string, unknown>;
		const read = readPosts([{ url: 'automerge:x', doc }, { url: 'automerge:y', doc: 'nonsense' }]);
		expect(read.items.map((p) => p.id)).toEqual([id]);
		expect(read.items[0].responseCount).toBe(1);
		expect(read.skipped).toBe(2);
		expect(read.skippedParts).toBe(3);
		expect(read.items[0].history.map((h) => h.action)).toEqual(['created', 'responded']);
	});

	it('combines several period documents, newest first', () => {
		const q3 = period('2026Q3');
		const q4 = period('2026Q4');
		createPost(q3, { ...shopping, title: 'Oud' }, anna, at('2026-08-01T10:00:00Z'));
		createPost(q4, { ...shopping, title: 'Nieuw' }, anna, at('2026-11-01T10:00:00Z'));
		expect(posts(q3, q4).map((p) => [p.title, p.period])).toEqual([
			['Nieuw', '2026Q4'],
			['Oud', '2026Q3']
		]);
	});
});

describe('finding and matching', () => {
	const handle = period();
	createPost(handle, { ...shopping, title: 'Samen naar het café', category: 'gezelschap' }, anna, at('2026-11-01T10:00:00Z'));
	createPost(handle, { ...shopping, kind: 'offer', title: 'Ik doe boodschappen voor u' }, bert, at('2026-11-02T10:00:00Z'));
	createPost(handle, shopping, carla, at('2026-11-03T10:00:00Z'));
	const all = posts(handle);

	it('searches without minding case or accents', () => {
		expect(fold('Café CRÈME')).toBe('cafe creme');
		expect(filterPosts(all, { query: 'CAFE' }).map((p) => p.title)).toEqual(['Samen naar het café']);
		expect(filterPosts(all, { query: 'NAAR huis jumbo' }).map((p) => p.author)).toEqual(['carla-00001']);
	});

	it('filters by kind, category and status', () => {
		expect(filterPosts(all, { kind: 'offer' }).map((p) => p.author)).toEqual(['bert-000001']);
		expect(filterPosts(all, { category: 'gezelschap' })).toHaveLength(1);
		expect(filterPosts(all, { status: 'done' })).toHaveLength(0);
		expect(filterPosts(all, { status: 'active' })).toHaveLength(3);
	});

	it('shows a request the open offers and the neighbours who can help', () => {
		const members = [
			{ id: 'dirk-000001', name: 'Dirk', helpWith: ['boodschappen'] },
			{ id: 'eva-0000001', name: 'Eva', helpWith: ['tuin'] },
			{ id: 'carla-00001', name: 'Carla', helpWith: ['boodschappen'] }
		] as Member[];
		const request = all.find((p) => p.author === 'carla-00001')!;
		const matches = matchesFor(request, all, members);
		expect(matches.posts.map((p) => p.author)).toEqual(['bert-000001']);
		expect(matches.members.map((m) => m.name)).toEqual(['Dirk']);
		const offer = all.find((p) => p.kind === 'offer')!;
		expect(matchesFor(offer, all, members).posts.map((p) => p.author)).toEqual(['carla-00001']);
	});
});

describe('usage report', () => {
	it('counts per month and category what was made, matched and done', () => {
		const handle = period();
		const a = createPost(handle, shopping, anna, at('2026-10-20T10:00:00Z'));
		const b = createPost(handle, { ...shopping, category: 'tuin' }, anna, at('2026-11-02T10:00:00Z'));
		createPost(handle, shopping, carla, at('2026-11-03T10:00:00Z'));
		const r = respond(handle, a, 'Ja', bert, at('2026-10-21T10:00:00Z'))!;
		accept(handle, a, r, anna, at('2026-10-21T12:00:00Z'));
		markDone(handle, a, anna, at('2026-11-01T12:00:00Z'));
		markDone(handle, b, anna, at('2026-11-05T12:00:00Z'));
		expect(monthlyReport(posts(handle))).toEqual([
			{ month: '2026-10', category: 'boodschappen', made: 1, matched: 1, done: 0 },
			{ month: '2026-11', category: 'boodschappen', made: 1, matched: 0, done: 1 },
			{ month: '2026-11', category: 'tuin', made: 1, matched: 0, done: 1 }
		]);
	});
});

describe('periods', () => {
	it('names quarters and orders them newest first', () => {
		expect(periodOf(at('2026-11-28T10:00:00Z'))).toBe('2026Q4');
		expect(periodOf(at('2027-01-01T00:00:00Z'))).toBe('2027Q1');
		expect(previousPeriod('2027Q1')).toBe('2026Q4');
		expect(recentPeriods(at('2026-02-01T00:00:00Z'))).toEqual(['2026Q1', '2025Q4']);
		expect(sortPeriods(['2025Q4', 'bogus', '2026Q2', '2026Q1'])).toEqual(['2026Q2', '2026Q1', '2025Q4']);
	});
});

describe('reading posts a hostile peer wrote', () => {
	// `String()` of a map with keys toString and valueOf throws: one such value must not blank the board.
	const trap = { toString: 'x', valueOf: 'y' };

	it('reads a period document whose period is a map, and an archived post whose period is one', () => {
		const handle = period();
		const id = createPost(handle, shopping, anna);
		const archived = JSON.stringify({ ...JSON.parse(JSON.stringify(handle.doc()!.posts[id])), id: 'archived-01', period: trap });
		const doc = A.from<Record<string, unknown>>({ period: trap, posts: { [id]: JSON.parse(JSON.stringify(handle.doc()!.posts[id])), 'archived-01': archived } });
		const read = readPosts([{ url: 'automerge:x', doc }]);
		expect(read.items.map((p) => p.id).sort()).toEqual(['archived-01', id].sort());
		expect(read.items.every((p) => p.period === '')).toBe(true);
	});
});
