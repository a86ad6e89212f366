// The members document as the documents worker and the page read and change it: by its declaration
// (one document, listed in the root) and its actions, which travel to wherever it is open.
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { membersActions } from './actions.ts';
import type { MembersDoc } from './document.ts';
import { membersDocuments } from './documents.ts';

const anna = { name: 'Anna Jansen', area: 'Lindenlaan', phone: '06 1111 2222', phoneVisibility: 'members' as const, helpWith: ['tuin'], helpNote: '' };
const index = (members: string): RootIndex => ({ members, help: [], helpArchive: [], helpSealed: [], agenda: [], map: [] });

function members() {
	return new Repo().create<MembersDoc>({ members: {} });
}

describe('the members document', () => {
	it('is the one document the root lists, and none for a root that lists none', () => {
		expect(membersDocuments.listed(index('automerge:abc'))).toEqual([{ url: 'automerge:abc' }]);
		expect(membersDocuments.listed(index(''))).toEqual([]);
	});

	it('reads everyone who ever took part: a page leaves out who left', () => {
		const handle = members();
		membersActions.join(handle, 'anna-000001', anna);
		membersActions.join(handle, 'bert-000002', { ...anna, name: 'Bert' });
		membersActions.leave(handle, 'bert-000002');
		const read = membersDocuments.read([{ url: handle.url, doc: handle.doc() }]);
		expect(read.items.map((m) => [m.name, m.leftAt !== undefined])).toEqual([
			['Anna Jansen', false],
			['Bert', true]
		]);
	});

	it('counts a member once when a restored document is read beside the lost one', () => {
		const [lost, restored] = [members(), members()];
		membersActions.join(lost, 'anna-000001', anna);
		membersActions.join(restored, 'anna-000001', anna);
		membersActions.join(restored, 'bert-000002', { ...anna, name: 'Bert' });
		const read = (h: typeof lost) => membersDocuments.read([{ url: h.url, doc: h.doc() }]);
		const empty = membersDocuments.read([]);
		expect(membersDocuments.combine!([empty, read(lost), read(restored)]).items.map((m) => m.name)).toEqual(['Anna Jansen', 'Bert']);
	});
});

describe("the members' actions", () => {
	it('joining never overwrites a profile that is there: a second device, or a reload before it was forgotten', () => {
		const handle = members();
		membersActions.join(handle, 'anna-000001', anna);
		membersActions.updateProfile(handle, 'anna-000001', { ...anna, area: 'Beukenstraat' });
		expect(membersActions.join(handle, 'anna-000001', { ...anna, area: 'Eikenlaan' })).toBe(true);
		expect(handle.doc().members['anna-000001'].area.toString()).toBe('Beukenstraat');
	});

	it('take their arguments as plain data, as a message to the worker carries them', () => {
		const handle = members();
		const args = structuredClone([anna, new Date('2026-12-01T10:00:00Z')] as const);
		membersActions.join(handle, 'anna-000001', ...args);
		expect(handle.doc().members['anna-000001'].joinedAt.toString()).toBe('2026-12-01T10:00:00.000Z');
	});
});
