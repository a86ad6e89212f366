import * as A from '@automerge/automerge';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { Role } from '../access/roles.ts';
import { DeviceCopy } from '../rules/device-copy.ts';
import type { Refused, Rule, Who } from '../rules/judge.ts';
import { RefereeCopy } from '../rules/refereed-doc.ts';
import { archiveEntry, archivePosts } from './archive.ts';
import { faithfulArchiveEntry } from './archive-check.ts';
import type { Actor, ArchiveDoc, HelpDoc } from './document.ts';
import {
	accept,
	blankPost,
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
	type HelpHandle
} from './mutations.ts';
import { newPeriodDoc } from './periods.ts';
import { archiveRules, helpRules, mayAccept, mayEditPost, mayHidePost, mayRespondAs, postIsLive, sealedRules } from './rules.ts';
import { readPosts } from './view.ts';

const person = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const ann = person('ann-00001');
const bert = person('bert-0001');
const vera = person('vera-0001', ['intermediary'], ['henk-0001']);
const fatima = person('fatima-01', ['manager']);
const ed = person('ed-000001', ['agenda']);
const mo = person('mo-000001', ['map']);

const me = (who: Who): Actor => ({ memberId: who.member });
const forHenk: Actor = { memberId: 'henk-0001', actedBy: vera.member };
const request = { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen op donderdag' };

/** Runs the app's mutation as `who` on a copy of `doc`; returns the rules broken and the new state. */
function act<T>(rule: Rule, doc: A.Doc<T>, who: Who, mutation: (handle: DeviceCopy<T>) => unknown) {
	const copy = new DeviceCopy(A.clone(doc), rule, who);
	mutation(copy);
	return { broken: copy.refused.map((r) => r.rule), doc: copy.doc };
}

const help = (doc: A.Doc<HelpDoc>, who: Who, mutation: (handle: HelpHandle & DeviceCopy<HelpDoc>) => unknown) => act(helpRules, doc, who, mutation);

/** A quarter with Ann's request, Henk's request (posted by Vera) and Bert's response to Ann. */
function board() {
	let doc = A.from(newPeriodDoc('2026Q4') as unknown as Record<string, unknown>) as unknown as A.Doc<HelpDoc>;
	let annPost = '';
	let henkPost = '';
	let response = '';
	doc = help(doc, ann, (h) => (annPost = createPost(h, request, me(ann)))).doc;
	doc = help(doc, vera, (h) => (henkPost = createPost(h, { ...request, title: 'Ritje' }, forHenk))).doc;
	doc = help(doc, bert, (h) => (response = respond(h, annPost, 'Ik kan wel', me(bert)) ?? '')).doc;
	return { doc, annPost, henkPost, response };
}

describe('help board rules: what the app does, by who may do it', () => {
	it('lets anyone start a quarter and post as themself or for a resident they act for', () => {
		const fresh = A.from(newPeriodDoc('2026Q4') as unknown as Record<string, unknown>) as unknown as A.Doc<HelpDoc>;
		const created = new DeviceCopy<HelpDoc>(A.init<HelpDoc>(), helpRules, bert);
		created.change((d) => Object.assign(d, newPeriodDoc('2027Q1')));
		expect(created.refused).toEqual([]);
		expect(help(fresh, ann, (h) => createPost(h, request, me(ann))).broken).toEqual([]);
		expect(help(fresh, vera, (h) => createPost(h, request, forHenk)).broken).toEqual([]);
		expect(help(fresh, bert, (h) => createPost(h, request, { memberId: ann.member })).broken).toEqual(['help.post-author']);
		expect(help(fresh, bert, (h) => createPost(h, request, { memberId: 'henk-0001', actedBy: bert.member })).broken).toEqual(['help.post-author']);
		expect(help(fresh, bert, (h) => createPost(h, request, { memberId: bert.member, actedBy: vera.member })).broken).toEqual(['help.acted-by']);
	});

	it('lets the poster and their intermediary edit, close, reopen, renew, accept and thank; nobody else', () => {
		const { doc, annPost, henkPost, response } = board();
		const edit = { ...request, title: 'Boodschappen op vrijdag', description: 'Bij de Jumbo' };
		const asAuthor: [string, (h: HelpHandle & DeviceCopy<HelpDoc>, post: string, actor: Actor) => unknown][] = [
			['edit', (h, p, a) => editPost(h, p, edit, a)],
			['edit as of the heads the form opened at', (h, p, a) => editPost(h, p, edit, a, new Date(), A.getHeads(h.doc))],
			['done', (h, p, a) => markDone(h, p, a)],
			['withdraw', (h, p, a) => withdrawPost(h, p, a)],
			['renew', (h, p, a) => renew(h, p, a)],
			['done, then reopen and thank', (h, p, a) => (markDone(h, p, a), reopen(h, p, a), markDone(h, p, a), thank(h, p, 'Dank!', a))]
		];
		for (const [what, mutation] of asAuthor) {
			expect(help(doc, ann, (h) => mutation(h, annPost, me(ann))).broken, `Ann: ${what}`).toEqual([]);
			expect(help(doc, vera, (h) => mutation(h, henkPost, forHenk)).broken, `Vera for Henk: ${what}`).toEqual([]);
			for (const other of [bert, fatima, ed, mo, vera]) {
				expect(new Set(help(doc, other, (h) => mutation(h, annPost, me(other))).broken), `${other.member}: ${what}`).toEqual(new Set(['help.post-author']));
			}
		}
		expect(help(doc, ann, (h) => accept(h, annPost, response, me(ann))).broken).toEqual([]);
		for (const other of [bert, fatima, vera]) {
			expect(help(doc, other, (h) => accept(h, annPost, response, me(other))).broken).toEqual(['help.accept-author']);
		}
	});

	it('lets a neighbour respond for themself or a resident they act for, and withdraw only their own response', () => {
		const { doc, annPost, henkPost, response } = board();
		expect(help(doc, ed, (h) => respond(h, annPost, 'Ik ook', me(ed))).broken).toEqual([]);
		expect(help(doc, vera, (h) => respond(h, annPost, '', forHenk)).broken).toEqual([]);
		expect(help(doc, ann, (h) => respond(h, henkPost, 'Ik help', me(ann))).broken).toEqual([]);
		expect(help(doc, ann, (h) => respond(h, annPost, 'Zelf', me(ann))).broken).toEqual(['help.response-owner']);
		expect(help(doc, vera, (h) => respond(h, henkPost, 'Zelf', forHenk)).broken).toEqual(['help.response-owner']);
		expect(help(doc, bert, (h) => respond(h, annPost, 'Als Ed', { memberId: ed.member })).broken).toEqual(['help.response-owner']);

		expect(help(doc, bert, (h) => withdrawResponse(h, annPost, response, me(bert))).broken).toEqual([]);
		const withdrawn = help(doc, bert, (h) => withdrawResponse(h, annPost, response, me(bert))).doc;
		expect(help(withdrawn, bert, (h) => restoreResponse(h, annPost, response, me(bert))).broken).toEqual([]);
		for (const other of [ann, fatima, vera]) {
			expect(help(doc, other, (h) => withdrawResponse(h, annPost, response, me(other))).broken).toEqual(['help.response-owner']);
			expect(help(withdrawn, other, (h) => restoreResponse(h, annPost, response, me(other))).broken).toEqual(['help.response-owner']);
		}
	});

	it('lets only a manager hide and restore, with a reason, and a manager changes nothing else', () => {
		const { doc, annPost } = board();
		expect(help(doc, fatima, (h) => hide(h, annPost, 'Reclame', me(fatima))).broken).toEqual([]);
		const hidden = help(doc, fatima, (h) => hide(h, annPost, 'Reclame', me(fatima))).doc;
		expect(help(hidden, fatima, (h) => restore(h, annPost, me(fatima))).broken).toEqual([]);
		for (const other of [ann, bert, vera, ed, mo]) {
			expect(help(doc, other, (h) => hide(h, annPost, 'Weg ermee', me(other))).broken).toEqual(['help.hide-manager']);
			expect(help(hidden, other, (h) => restore(h, annPost, me(other))).broken).toEqual(['help.hide-manager']);
		}
		const noReason = help(doc, fatima, (h) =>
			h.change((d) => {
				d.posts[annPost]!.hidden = { by: imm(fatima.member), at: imm(new Date().toISOString()), reason: imm(' ') };
			})
		);
		expect(noReason.broken).toEqual(['help.hide-reason']);
		const inTheName = help(doc, fatima, (h) =>
			h.change((d) => {
				d.posts[annPost]!.hidden = { by: imm(ann.member), at: imm(new Date().toISOString()), reason: imm('Zelf gedaan') };
			})
		);
		expect(inTheName.broken).toEqual(['help.hide-manager']);
	});

	it('takes what a device did offline, sent in one message, each change after the ones before it', () => {
		const { doc, annPost } = board();
		const relay = new RefereeCopy(helpRules, A.clone(doc));
		const rules = (refused: Refused[]) => refused.map((r) => r.rule);
		// Ann, offline: a new request, done before she is back online, and thanked.
		const annOffline = help(doc, ann, (h) => {
			const id = createPost(h, request, me(ann));
			markDone(h, id, me(ann));
			thank(h, id, 'Dank je wel!', me(ann));
		});
		expect(annOffline.broken).toEqual([]);
		expect(rules(relay.receive(annOffline.doc, ann))).toEqual([]);
		// Ed, offline: answers Ann's request and thinks better of it.
		const edOffline = help(relay.doc, ed, (h) => withdrawResponse(h, annPost, respond(h, annPost, 'Ik kan zaterdag', me(ed))!, me(ed)));
		expect(edOffline.broken).toEqual([]);
		expect(rules(relay.receive(edOffline.doc, ed))).toEqual([]);
		const seen = readPosts([{ url: 'automerge:q', doc: relay.doc }]).items;
		expect(seen.find((p) => p.author === ann.member && p.id !== annPost)).toMatchObject({ status: 'done', thanks: { message: 'Dank je wel!' } });
		expect(seen.find((p) => p.id === annPost)?.responses.find((r) => r.by === ed.member)?.withdrawnAt).toBeTruthy();
		// Still judged change by change: Bert's own request passes, his edit of Ann's in the same message does not.
		const bertOffline = help(relay.doc, bert, (h) => {
			createPost(h, { ...request, title: 'Wie rijdt mee?' }, me(bert));
			markDone(h, annPost, { memberId: ann.member });
		});
		expect(rules(relay.receive(bertOffline.doc, bert))).toEqual(['help.post-author']);
		expect(readPosts([{ url: 'automerge:q', doc: relay.doc }]).items.map((p) => p.title)).toContain('Wie rijdt mee?');
	});

	it('answers the pages the same way: which buttons each person sees', () => {
		const post = { author: ann.member };
		expect([ann, vera, bert, fatima].map((w) => mayEditPost(w, post))).toEqual([true, false, false, false]);
		expect(mayEditPost(vera, { author: 'henk-0001' })).toBe(true);
		expect(mayAccept(bert, post)).toBe(false);
		expect([ann, bert, fatima, ed, mo].map(mayHidePost)).toEqual([false, false, true, false, false]);
		expect(mayRespondAs(bert, post, bert.member)).toBe(true);
		expect(mayRespondAs(ann, post, ann.member)).toBe(false);
		expect(mayRespondAs(vera, post, 'henk-0001')).toBe(true);
		expect(mayRespondAs(bert, post, 'henk-0001')).toBe(false);
		expect(postIsLive({ documentUrl: 'automerge:a' }, ['automerge:b'])).toBe(true);
		expect(postIsLive({ documentUrl: 'automerge:a' }, ['automerge:a'])).toBe(false);
		expect(postIsLive({ documentUrl: 'automerge:c', archivedFrom: 'automerge:a' }, [])).toBe(false);
	});
});

describe('help board rules: hostile changes a stock client could send', () => {
	const hostile = (doc: A.Doc<HelpDoc>, who: Who, fn: (d: HelpDoc) => void) => help(doc, who, (h) => h.change(fn)).broken;

	it('refuses emptying the quarter, deleting or replacing a post, a response or the posts map', () => {
		const { doc, annPost, response } = board();
		expect(hostile(doc, bert, (d) => Object.keys(d).forEach((k) => delete (d as unknown as Record<string, unknown>)[k]))).toEqual(['help.period-fixed']);
		expect(hostile(doc, fatima, (d) => delete (d as unknown as Record<string, unknown>).posts)).toEqual(['help.no-delete']);
		expect(hostile(doc, ann, (d) => delete d.posts[annPost])).toEqual(['help.no-delete']);
		expect(hostile(doc, bert, (d) => delete d.posts[annPost]!.responses[response])).toEqual(['help.no-delete']);
		expect(hostile(doc, ann, (d) => (d.posts = {}))).toEqual(['help.no-replace']);
		expect(hostile(doc, ann, (d) => (d.posts[annPost]!.history = {}))).toEqual(['help.no-replace']);
		expect(hostile(doc, ann, (d) => (d.posts[annPost]!.responses = {}))).toEqual(['help.no-replace']);
	});

	it('refuses a post in another’s name, another’s post edited, the author or period rewritten, an unknown field', () => {
		const { doc, annPost, henkPost } = board();
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.title = imm('Gratis geld')))).toEqual(['help.post-author']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.status = imm('done')))).toEqual(['help.post-author']);
		expect(hostile(doc, fatima, (d) => (d.posts[annPost]!.title = imm('Door de beheerder')))).toEqual(['help.post-author']);
		expect(hostile(doc, ann, (d) => (d.posts[annPost]!.author = imm(bert.member)))).toEqual(['help.shape']);
		expect(hostile(doc, vera, (d) => (d.posts[henkPost]!.actedBy = imm(ann.member)))).toEqual(['help.shape']);
		expect(hostile(doc, ann, (d) => (d.period = imm('2020Q1')))).toEqual(['help.period-fixed']);
		expect(hostile(doc, ann, (d) => ((d.posts[annPost] as unknown as Record<string, unknown>).secret = 'x'))).toEqual(['help.shape']);
		expect(hostile(doc, ann, (d) => ((d as unknown as Record<string, unknown>).name = 'x'))).toEqual(['help.shape']);
		const bertsOwn = (d: HelpDoc) => Object.values(d.posts).find((p) => String(p.author) === bert.member)!;
		expect(hostile(doc, bert, (d) => void createPost({ change: (fn) => fn(d) }, request, me(bert)))).toEqual([]);
		// Bert's own new post, but filed under another id, or made hidden (by a manager) from the start.
		expect(
			hostile(doc, bert, (d) => {
				createPost({ change: (fn) => fn(d) }, request, me(bert));
				bertsOwn(d).id = imm(annPost);
			})
		).toEqual(['help.shape']);
		expect(
			hostile(doc, bert, (d) => {
				createPost({ change: (fn) => fn(d) }, request, me(bert));
				bertsOwn(d).hidden = { by: imm(fatima.member), at: imm('2026-11-01T10:00:00.000Z'), reason: imm('nep') };
			})
		).toEqual(['help.shape']);
	});

	it('keeps a response as its responder wrote it, and acceptance the poster’s', () => {
		const { doc, annPost, response } = board();
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.responses[response]!.message = imm('Iets anders')))).toEqual(['help.response-fixed']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.responses[response]!.by = imm(ed.member)))).toEqual(['help.response-fixed']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.responses[response]!.acceptedAt = imm(new Date().toISOString())))).toEqual(['help.accept-author']);
		expect(hostile(doc, ann, (d) => (d.posts[annPost]!.responses[response]!.message = imm('Bert zegt nee')))).toEqual(['help.response-fixed']);
		const accepted = help(doc, ann, (h) => accept(h, annPost, response, me(ann))).doc;
		expect(hostile(accepted, ann, (d) => delete d.posts[annPost]!.responses[response]!.acceptedAt)).toEqual(['help.no-delete']);
	});

	it('keeps history append-only and true about who acted', () => {
		const { doc, annPost } = board();
		const entry = (by: string, actedBy?: string) => imm(JSON.stringify({ at: new Date().toISOString(), by, action: 'done', ...(actedBy ? { actedBy } : {}) }));
		const [first] = Object.keys(doc.posts[annPost]!.history);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.history['forged-0001'] = entry(ann.member)))).toEqual(['help.history-by']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.history['forged-0001'] = entry(bert.member, ann.member)))).toEqual(['help.history-by']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.history['forged-0001'] = imm('not json')))).toEqual(['help.history-by']);
		expect(hostile(doc, bert, (d) => (d.posts[annPost]!.history['honest-001'] = entry(bert.member)))).toEqual([]);
		expect(hostile(doc, vera, (d) => (d.posts[annPost]!.history['honest-001'] = entry('henk-0001', vera.member)))).toEqual([]);
		expect(hostile(doc, ann, (d) => (d.posts[annPost]!.history[first!] = entry(ann.member)))).toEqual(['help.history-append']);
		expect(hostile(doc, ann, (d) => delete d.posts[annPost]!.history[first!])).toEqual(['help.history-append']);
	});
});

describe('archive and sealed quarter rules', () => {
	const quarter = () => {
		const { doc, annPost } = board();
		const done = help(doc, ann, (h) => markDone(h, annPost, me(ann), new Date('2026-12-01T10:00:00Z'))).doc;
		return readPosts([{ url: 'automerge:2yQuarterUrlXXXXXXXXXX', doc: done }]).items.filter((p) => p.id === annPost);
	};
	const archive = (who: Who, doc: A.Doc<ArchiveDoc> | undefined, fn: (h: DocHandle<ArchiveDoc>) => void) => {
		const copy = new DeviceCopy<ArchiveDoc>(doc ? A.clone(doc) : A.init<ArchiveDoc>(), archiveRules, who);
		fn(copy as unknown as DocHandle<ArchiveDoc>);
		return { broken: copy.refused.map((r) => r.rule), doc: copy.doc };
	};

	it('lets any member start a year and archive closed posts, also twice at once, never change them', () => {
		const posts = quarter();
		const started = archive(bert, undefined, (h) => h.change((d) => Object.assign(d, { year: imm('2026'), posts: {} })));
		expect(started.broken).toEqual([]);
		const first = archive(bert, started.doc, (h) => archivePosts(h, posts));
		expect(first.broken).toEqual([]);
		expect(Object.keys(first.doc.posts)).toEqual([posts[0]!.id]);
		// Another device archived the same quarter offline: same value, nothing to refuse.
		const second = archive(ann, started.doc, (h) => archivePosts(h, posts));
		const merged = A.merge(A.clone(first.doc), second.doc);
		const judgedOnMerged = archive(ann, first.doc, (h) => h.change((d) => (d.posts[posts[0]!.id] = imm(archiveEntry(posts[0]!)))));
		expect([second.broken, judgedOnMerged.broken]).toEqual([[], []]);
		expect(Object.keys(merged.posts)).toHaveLength(1);

		const id = posts[0]!.id;
		const rewritten = JSON.stringify({ ...JSON.parse(archiveEntry(posts[0]!)), title: 'Anders' });
		expect(archive(bert, first.doc, (h) => h.change((d) => (d.posts[id] = imm(rewritten)))).broken).toEqual(['help.archive-append']);
		expect(archive(bert, first.doc, (h) => h.change((d) => delete d.posts[id])).broken).toEqual(['help.no-delete']);
		expect(archive(bert, first.doc, (h) => h.change((d) => (d.posts = {}))).broken).toEqual(['help.no-replace']);
		expect(archive(bert, first.doc, (h) => h.change((d) => (d.year = imm('1999')))).broken).toEqual(['help.archive-year-fixed']);
		const open = JSON.stringify({ ...JSON.parse(archiveEntry(posts[0]!)), id: 'other-post-1', status: 'open' });
		expect(archive(bert, first.doc, (h) => h.change((d) => (d.posts['other-post-1'] = imm(open)))).broken).toEqual(['help.shape']);
		expect(archive(bert, first.doc, (h) => h.change((d) => (d.posts['other-post-1'] = imm('{')))).broken).toEqual(['help.shape']);
	});

	it('refuses every change to a sealed quarter, even by its poster or a manager', () => {
		const { doc, annPost } = board();
		for (const who of [ann, fatima]) {
			const refused = act(sealedRules, doc, who, (h) => markDone(h, annPost, me(who))).broken;
			expect(refused).toEqual(['help.sealed']);
		}
	});
});

describe('an archive entry checked against its sealed quarter', () => {
	it('passes a true copy, also after a late thank-you, and fails one that changes who said what', () => {
		const url = 'automerge:2yQuarterUrlXXXXXXXXXX';
		const { doc, annPost } = board();
		const done = help(doc, ann, (h) => markDone(h, annPost, me(ann))).doc;
		const [post] = readPosts([{ url, doc: done }]).items.filter((p) => p.id === annPost);
		const entry = archiveEntry(post!);
		const thanked = help(done, ann, (h) => thank(h, annPost, 'Dank!', me(ann))).doc;
		expect(faithfulArchiveEntry(entry, url, done)).toBe(true);
		expect(faithfulArchiveEntry(entry, url, thanked)).toBe(true);
		const forged = (change: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(entry), ...change });
		expect(faithfulArchiveEntry(forged({ title: 'Gratis geld' }), url, done)).toBe(false);
		expect(faithfulArchiveEntry(forged({ author: bert.member }), url, done)).toBe(false);
		expect(faithfulArchiveEntry(forged({ archivedFrom: 'automerge:elsewhereXXXXXXXXXXXX' }), url, done)).toBe(false);
		const responses = (JSON.parse(entry) as { responses: { message: string }[] }).responses.map((r) => ({ ...r, message: 'Nooit' }));
		expect(faithfulArchiveEntry(forged({ responses }), url, done)).toBe(false);
		expect(faithfulArchiveEntry(forged({ id: 'not-in-quarter' }), url, done)).toBe(false);
		expect(faithfulArchiveEntry('{', url, done)).toBe(false);
	});
});
