import { describe, expect, it } from 'vitest';
import { currentMembership, loadMemberships, remove, saveMemberships, upsert, type Membership } from './memberships.ts';
import { MemoryStorage } from '../../../tests/memory-storage.ts';


const a: Membership = {
	root: 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu',
	relay: 'ws://localhost:3000/sync',
	key: 'k1',
	memberId: 'member-aaaa',
	name: 'Lindenbuurt'
};
const b: Membership = { ...a, root: 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ', name: 'Oost' };

describe('memberships on this device', () => {
	it('starts empty on a new device', () => {
		expect(loadMemberships(new MemoryStorage())).toEqual({ current: null, list: [] });
	});

	it('remembers neighbourhoods across a reload and switches between them', () => {
		const storage = new MemoryStorage();
		let state = upsert(upsert(loadMemberships(storage), a), b);
		saveMemberships(storage, state);
		state = loadMemberships(storage);
		expect(state.list.map((m) => m.name)).toEqual(['Lindenbuurt', 'Oost']);
		expect(currentMembership(state)?.name).toBe('Oost');
		state = upsert(state, a);
		expect(currentMembership(state)?.name).toBe('Lindenbuurt');
		expect(state.list).toHaveLength(2);
	});

	it('leaving the current neighbourhood falls back to another one', () => {
		const state = remove(upsert(upsert({ current: null, list: [] }, a), b), b.root);
		expect(currentMembership(state)?.root).toBe(a.root);
		expect(remove(state, a.root)).toEqual({ current: null, list: [] });
	});

	it('a damaged entry does not lock the resident out', () => {
		const storage = new MemoryStorage();
		storage.setItem('noaber.memberships', '{not json');
		expect(loadMemberships(storage).list).toEqual([]);
		storage.setItem('noaber.memberships', JSON.stringify({ current: a.root, list: [a, { root: 'x' }] }));
		expect(loadMemberships(storage).list).toEqual([a]);
	});
});
