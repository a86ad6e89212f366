import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { placerOf, readChanges, UnplacedObject } from './edits.ts';
import { judge, type Rule } from './judge.ts';
import { judgeBetween } from './between.ts';

const imm = (s: string) => new A.ImmutableString(s);
type Doc = { posts: Record<string, { author: A.ImmutableString; title: A.ImmutableString; text: string; n: A.Counter; tags: string[] }> };
const base = () =>
	A.change(A.init<Doc>(), (d) => {
		d.posts = { p1: { author: imm('ann'), title: imm('Boodschappen'), text: 'hallo', n: new A.Counter(0), tags: [] } };
	});

describe('reading a change as edits of the document shape', () => {
	it('names puts, deletes, text, list and counter edits by their path, one edit per typed text', () => {
		const before = base();
		const after = A.change(A.clone(before), (d) => {
			d.posts.p1.title = imm('Klussen');
			A.splice(d, ['posts', 'p1', 'text'], 0, 0, 'oh ');
			d.posts.p1.n.increment(1);
			d.posts.p1.tags.push('a', 'b');
			d.posts.p2 = { author: imm('bert'), title: imm('Tuin'), text: '', n: new A.Counter(0), tags: [] };
			delete (d.posts as Record<string, unknown>).p1;
		});
		const [change] = readChanges(A.getChanges(before, after), placerOf(before));
		const sorted = (edits: unknown[]) => edits.map((e) => JSON.stringify(e)).sort();
		// Plain strings pushed into a list are text objects in Automerge 3: the list and the item's text change.
		expect(sorted(change.edits)).toEqual(sorted([
			{ kind: 'put', path: ['posts', 'p1', 'title'], value: 'Klussen', replaces: true },
			{ kind: 'text', path: ['posts', 'p1', 'text'] },
			{ kind: 'increment', path: ['posts', 'p1', 'n'] },
			{ kind: 'list', path: ['posts', 'p1', 'tags'] },
			{ kind: 'text', path: ['posts', 'p1', 'tags', '*'] },
			{ kind: 'put', path: ['posts', 'p2'], value: { made: 'map' } },
			{ kind: 'put', path: ['posts', 'p2', 'author'], value: 'bert' },
			{ kind: 'put', path: ['posts', 'p2', 'title'], value: 'Tuin' },
			{ kind: 'put', path: ['posts', 'p2', 'text'], value: { made: 'text' } },
			{ kind: 'put', path: ['posts', 'p2', 'n'], value: 0 },
			{ kind: 'put', path: ['posts', 'p2', 'tags'], value: { made: 'list' } },
			{ kind: 'delete', path: ['posts', 'p1'] }
		]));
	});

	it('refuses to guess where an operation goes when the document lacks its object', () => {
		const before = base();
		const after = A.change(A.clone(before), (d) => {
			d.posts.p1.title = imm('x');
		});
		expect(() => readChanges(A.getChanges(before, after), placerOf(undefined))).toThrow(UnplacedObject);
	});
});

describe('judging', () => {
	const onlyAuthor: Rule = (edit, who, scope) => {
		const [, id] = edit.path;
		if (edit.path[0] !== 'posts' || !id) return 'shape';
		if (edit.kind === 'delete' && edit.path.length === 2) return 'no-delete';
		return scope.after(['posts', id, 'author']) === who.member && (scope.isNew(['posts', id]) || scope.before(['posts', id, 'author']) === who.member)
			? undefined
			: 'author';
	};
	const ann = { member: 'ann', roles: [], actsFor: new Set<string>() };
	const bert = { member: 'bert', roles: [], actsFor: new Set<string>() };

	it('lets the author edit and refuses another member, naming the rule and where', () => {
		const before = base();
		const after = A.change(A.clone(before), (d) => {
			d.posts.p1.title = imm('Anders');
		});
		expect(judgeBetween(onlyAuthor, before, after, ann).refused).toEqual([]);
		const verdict = judgeBetween(onlyAuthor, before, after, bert);
		expect(verdict.accepted).toEqual([]);
		expect(verdict.refused.map((r) => [r.rule, r.path])).toEqual([['author', ['posts', 'p1', 'title']]]);
	});

	it('reads what a new object will hold from the change that makes it', () => {
		const before = base();
		const own = A.change(A.clone(before), (d) => {
			d.posts.p9 = { author: imm('bert'), title: imm('Mijn vraag'), text: '', n: new A.Counter(0), tags: [] };
		});
		expect(judgeBetween(onlyAuthor, before, own, bert).refused).toEqual([]);
		const forged = A.change(A.clone(before), (d) => {
			d.posts.p9 = { author: imm('ann'), title: imm('Namens Ann'), text: '', n: new A.Counter(0), tags: [] };
		});
		expect(judgeBetween(onlyAuthor, before, forged, bert).refused.map((r) => r.rule)).toEqual(['author']);
	});

	it('refuses a later change that builds on a refused one, and keeps an independent one', () => {
		const before = base();
		const bad = A.change(A.clone(before), (d) => {
			delete (d.posts as Record<string, unknown>).p1;
		});
		const worse = A.change(bad, (d) => {
			d.posts.p3 = { author: imm('ann'), title: imm('Eigen'), text: '', n: new A.Counter(0), tags: [] };
		});
		const read = readChanges(A.getChanges(before, worse), placerOf(before));
		const verdict = judge(onlyAuthor, read, ann, before);
		expect(verdict.refused.map((r) => r.rule)).toEqual(['no-delete', 'depends-on-refused']);
	});
});

describe('an edit inside an object someone else removed meanwhile', () => {
	it('is placed where its author saw the object', () => {
		const before = base();
		const mine = A.change(A.clone(before), (d) => {
			d.posts.p1.title = imm('Nog steeds');
		});
		const theirs = A.change(A.clone(before), (d) => {
			delete (d.posts as Record<string, unknown>).p1;
		});
		const stored = A.merge(A.clone(before), theirs);
		const [change] = readChanges(A.getChanges(before, mine), placerOf(stored));
		expect(change.edits).toEqual([{ kind: 'put', path: ['posts', 'p1', 'title'], value: 'Nog steeds', replaces: true }]);
	});
});

describe('a first value and a value written over', () => {
	it('are told apart, so two devices that each start the same map offline are not taken for a replacement', () => {
		const before = base();
		const after = A.change(A.clone(before), (d) => {
			d.posts.p1.title = imm('Over');
			(d.posts.p1 as unknown as Record<string, unknown>).extra = {};
		});
		const [change] = readChanges(A.getChanges(before, after), placerOf(before));
		expect(change.edits).toEqual([
			{ kind: 'put', path: ['posts', 'p1', 'title'], value: 'Over', replaces: true },
			{ kind: 'put', path: ['posts', 'p1', 'extra'], value: { made: 'map' } }
		]);
	});

	it('a new document is read from its first change', () => {
		const doc = A.change(A.init<{ period: A.ImmutableString }>(), (d) => {
			d.period = imm('2026Q4');
		});
		const [change] = readChanges(A.getAllChanges(doc), placerOf(undefined));
		expect(change.edits).toEqual([{ kind: 'put', path: ['period'], value: '2026Q4' }]);
	});
});
