import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { actorsOf, authorship, headsAt } from './authorship.ts';
import type { ChangeRecord } from './change-log.ts';
import { describeChange, moduleOf } from './changes.ts';

const imm = (s: string) => new A.ImmutableString(s);
const ANNA = 'a1'.repeat(16);
const HELPER = 'b2'.repeat(16);
const BERT = 'c3'.repeat(16);

/** A help board written by Anna, by an intermediary for a resident, and by Bert, who only deletes. */
function board() {
	let doc = A.change(A.init<{ posts: Record<string, unknown> }>({ actor: ANNA }), { time: 1000 }, (d) => {
		d.posts = { p1: { id: imm('p1'), title: imm('Boodschappen'), author: imm('anna-member'), hidden: null } };
	});
	let helper = A.merge(A.init<{ posts: Record<string, unknown> }>({ actor: HELPER }), doc);
	helper = A.change(helper, { time: 2000 }, (d) => {
		d.posts.p2 = { id: imm('p2'), title: imm('Voor Wim'), author: imm('wim-resident'), actedBy: imm('helper-member'), hidden: null };
	});
	doc = A.merge(doc, helper);
	let bert = A.merge(A.init<{ posts: Record<string, unknown> }>({ actor: BERT }), doc);
	bert = A.change(bert, { time: 3000 }, (d) => {
		d.posts.p3 = { id: imm('p3'), title: imm('Spam'), author: imm('bert-member'), hidden: null };
	});
	bert = A.change(bert, { time: 4000 }, (d) => void delete d.posts.p1);
	return A.merge(doc, bert);
}

describe('whose change is it', () => {
	it('without a record, names the member the actor’s own changes say acted: the intermediary, not the resident', () => {
		const authored = authorship(board(), [], new Map());
		expect(authored.map((c) => [c.member, c.at, c.recorded])).toEqual([
			['anna-member', 1_000_000, false],
			['helper-member', 2_000_000, false],
			['bert-member', 3_000_000, false],
			// Deleting says nothing about who did it; the same actor's other change does.
			['bert-member', 4_000_000, false]
		]);
	});

	it('trusts the change log over what a change claims, with the relay’s clock', () => {
		const doc = board();
		const hashes = authorship(doc, [], new Map()).map((c) => c.hash);
		const records: ChangeRecord[] = [{ at: 99, document: 'd', hash: hashes[2]!, actor: BERT, member: 'bert-real', device: 'dev1' }];
		const authored = authorship(doc, records, actorsOf(records));
		expect(authored[2]).toMatchObject({ member: 'bert-real', at: 99, recorded: true, device: 'dev1' });
		// The same actor's unrecorded change belongs to the same member.
		expect(authored[3]).toMatchObject({ member: 'bert-real', recorded: false });
	});

	it('finds the heads of a moment, so a document can be shown as it was then', () => {
		const doc = board();
		const authored = authorship(doc, [], new Map());
		const heads = headsAt(authored, 2_500_000);
		const then = A.view(doc, heads) as { posts: Record<string, unknown> };
		expect(Object.keys(then.posts).sort()).toEqual(['p1', 'p2']);
		expect(headsAt(authored, 0)).toEqual([]);
	});

	it('describes each change in a manager’s words: which post, and what was done', () => {
		const doc = board();
		expect(moduleOf(doc)).toBe('help');
		const authored = authorship(doc, [], new Map());
		expect(describeChange(doc, 'help', authored[2]!)).toEqual([
			expect.objectContaining({ member: 'bert-member', target: 'post', title: 'Spam', action: 'made', recorded: false })
		]);
		// A deleted post is named as it was before.
		expect(describeChange(doc, 'help', authored[3]!)).toEqual([expect.objectContaining({ target: 'post', title: 'Boodschappen', action: 'removed' })]);
	});
});
