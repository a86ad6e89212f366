import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { HelpDoc } from '../help/document.ts';
import { blankPost, createPost, respond } from '../help/mutations.ts';
import { readPosts } from '../help/view.ts';
import type { Member } from '../members/view.ts';
import { callList, sinceDays } from './call-list.ts';

const resident = (id: string, name: string): Member => ({
	id,
	name,
	area: '',
	phone: '',
	phoneVisibility: 'nobody', areaVisibility: 'members',
	helpWith: [],
	helpNote: '',
	joinedAt: '2026-01-01T00:00:00.000Z',
	updatedAt: '',
	managedBy: 'ingrid-0001'
});

describe('the bellijst', () => {
	it('lists per resident what happened since the morning, with the day the help is for', () => {
		const board = new Repo().create<HelpDoc>({ period: imm('2026Q4'), posts: {} });
		const henk = resident('henk-000001', 'Henk');
		const truus = resident('truus-00001', 'Truus');
		const actor = { memberId: henk.id, actedBy: 'ingrid-0001' };
		const post = createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen', whenKind: 'date', from: '2026-12-03' }, actor, new Date('2026-11-30T10:00:00Z'));
		respond(board, post, '', { memberId: 'bert-000001' }, new Date('2026-11-30T22:00:00Z'));
		respond(board, post, '', { memberId: 'carla-00001' }, new Date('2026-12-01T07:30:00Z'));
		const posts = readPosts([{ url: board.url, doc: board.doc() }]).items;
		// 1 December in Amsterdam starts at 23:00 UTC the day before.
		expect(sinceDays('2026-12-01T00:00', 1)).toBe('2026-11-30T23:00:00.000Z');
		const list = callList('ingrid-0001', [henk, truus], { posts }, sinceDays('2026-12-01T00:00', 1));
		expect(list.map((e) => [e.resident.name, e.lines.map((l) => `${l.item.actor} ${l.day}`)])).toEqual([
			['Henk', ['carla-00001 2026-12-03']],
			['Truus', []]
		]);
		expect(callList('ingrid-0001', [henk], { posts }, sinceDays('2026-12-01T00:00', 2))[0].lines).toHaveLength(2);
	});
});
