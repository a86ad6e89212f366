import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { MembersDoc } from './document.ts';
import { addManaged, join, leave, updateProfile } from './mutations.ts';
import { checkProfile } from './schema.ts';
import { findMember, managedBy, readMembers, visiblePhone } from './view.ts';

const anna = {
	name: 'Anna Jansen',
	area: 'Lindenlaan',
	phone: '06 1111 2222',
	phoneVisibility: 'members' as const,
	helpWith: ['boodschappen', 'tuin'],
	helpNote: 'Ik heb een auto'
};

function members() {
	return new Repo().create<MembersDoc>({ members: {} });
}

describe('joining', () => {
	it('adds a profile under the id the device picked', () => {
		const handle = members();
		join(handle, 'anna-000001', anna, new Date('2026-11-01T10:00:00Z'));
		const { items, skipped } = readMembers(handle.doc());
		expect(skipped).toBe(0);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ ...anna, id: 'anna-000001', joinedAt: '2026-11-01T10:00:00.000Z' });
	});

	it('lists members by name, Dutch order', () => {
		const handle = members();
		join(handle, 'member-0003', { ...anna, name: 'Zeynep' });
		join(handle, 'member-0001', { ...anna, name: 'Émile' });
		join(handle, 'member-0002', { ...anna, name: 'anton' });
		expect(readMembers(handle.doc()).items.map((m) => m.name)).toEqual(['anton', 'Émile', 'Zeynep']);
	});

	it('two residents joining at the same time offline both end up in the list', () => {
		const base = A.from({ members: {} } as MembersDoc & Record<string, unknown>);
		const a = A.change(A.clone(base), (d) => {
			d.members['member-aaaa'] = { ...profileDoc('member-aaaa', 'Anna') };
		});
		const b = A.change(A.clone(base), (d) => {
			d.members['member-bbbb'] = { ...profileDoc('member-bbbb', 'Bert') };
		});
		expect(readMembers(A.merge(a, b)).items.map((m) => m.name)).toEqual(['Anna', 'Bert']);
	});
});

function profileDoc(id: string, name: string) {
	return {
		id: imm(id),
		name: imm(name),
		area: imm(''),
		phone: imm(''),
		phoneVisibility: imm('nobody'),
		helpWith: [],
		helpNote: imm(''),
		joinedAt: imm('2026-11-01T10:00:00.000Z'),
		updatedAt: imm('2026-11-01T10:00:00.000Z')
	};
}

describe('profile form', () => {
	it('requires a name and checks the phone number', () => {
		expect(checkProfile({ ...anna, name: '   ', phone: 'abc' })).toEqual({
			ok: false,
			errors: { name: 'required', phone: 'phone' }
		});
		expect(checkProfile({ ...anna, phoneVisibility: 'everyone' }).ok).toBe(false);
		expect(checkProfile({ ...anna, phone: '' }).ok).toBe(true);
	});
});

describe('editing and leaving', () => {
	it('edits only the changed fields, so another device editing another field keeps its edit', async () => {
		const handle = members();
		join(handle, 'anna-000001', anna);
		const repo2 = new Repo();
		const other = repo2.import<MembersDoc>(A.save(handle.doc()));
		updateProfile(handle, 'anna-000001', { ...anna, area: 'Beukenstraat' });
		updateProfile(other, 'anna-000001', { ...anna, phone: '06 9999 0000' });
		other.merge(handle);
		const me = findMember(other.doc(), 'anna-000001');
		expect(me?.area).toBe('Beukenstraat');
		expect(me?.phone).toBe('06 9999 0000');
	});

	it('reports an unknown member instead of creating one', () => {
		const handle = members();
		expect(updateProfile(handle, 'nobody-0000', anna)).toBe(false);
		expect(readMembers(handle.doc()).items).toHaveLength(0);
	});

	it('leaving erases contact details and hides the member, but keeps the name for history', () => {
		const handle = members();
		join(handle, 'anna-000001', anna);
		leave(handle, 'anna-000001');
		expect(readMembers(handle.doc()).items).toHaveLength(0);
		const gone = findMember(handle.doc(), 'anna-000001');
		expect(gone).toMatchObject({ name: 'Anna Jansen', phone: '', area: '', helpWith: [] });
		expect(gone?.leftAt).toBeTruthy();
	});
});

describe('invalid profiles from a peer', () => {
	it('skips and counts what cannot be read, and keeps the rest', () => {
		const doc = {
			members: {
				'good-000001': profileDoc('good-000001', 'Goed'),
				'noname-0001': { ...profileDoc('noname-0001', ''), name: imm('  ') },
				'wrongid-001': profileDoc('other-00001', 'Spoof'),
				'garbage-001': 42,
				'bad-date-01': { ...profileDoc('bad-date-01', 'X'), joinedAt: imm('yesterday') }
			}
		};
		const read = readMembers(doc);
		expect(read.items.map((m) => m.name)).toEqual(['Goed']);
		expect(read.skipped).toBe(4);
		expect(readMembers(undefined)).toEqual({ items: [], skipped: 0 });
		expect(readMembers({ members: 'nope' })).toEqual({ items: [], skipped: 0 });
	});
});

describe('who sees a phone number', () => {
	// A profile from before numbers were sealed: plain, whatever the choice (contact-seal.ts seals it on the owner's next start).
	const read = (visibility: string) => {
		const handle = members();
		join(handle, 'anna-000001', anna);
		handle.change((d) => void (d.members['anna-000001']!.phoneVisibility = imm(visibility)));
		return readMembers(handle.doc()).items[0]!;
	};

	it('is never written plain when it is not for everyone', () => {
		const handle = members();
		join(handle, 'anna-000001', { ...anna, phoneVisibility: 'managers', areaVisibility: 'accepted' });
		const stored = JSON.stringify(handle.doc());
		expect(stored).not.toContain('06 1111 2222');
		expect(stored).not.toContain(anna.area);
	});

	it('follows the owner’s choice', () => {
		const neighbour = { id: 'bert-000001', isManager: false };
		const manager = { id: 'fatima-00001', isManager: true };
		expect(visiblePhone(read('members'), neighbour)).toBe('06 1111 2222');
		expect(visiblePhone(read('managers'), neighbour)).toBe('');
		expect(visiblePhone(read('managers'), manager)).toBe('06 1111 2222');
		expect(visiblePhone(read('nobody'), manager)).toBe('');
		expect(visiblePhone(read('nobody'), { id: 'anna-000001', isManager: false })).toBe('06 1111 2222');
	});
});

describe('residents without a device', () => {
	it('are added by a volunteer with recorded consent and listed under that volunteer', () => {
		const handle = members();
		join(handle, 'vera-000001', { ...anna, name: 'Vera' });
		addManaged(handle, 'henk-000001', { ...anna, name: 'Henk', phone: '' }, { by: 'vera-000001', how: 'phone' }, new Date('2026-11-28T09:00:00Z'));
		const all = readMembers(handle.doc()).items;
		const henk = all.find((m) => m.name === 'Henk');
		expect(henk?.managedBy).toBe('vera-000001');
		expect(henk?.consent).toEqual({ by: 'vera-000001', at: '2026-11-28T09:00:00.000Z', how: 'phone' });
		expect(managedBy(all, 'vera-000001').map((m) => m.name)).toEqual(['Henk']);
		expect(managedBy(all, 'anna-000001')).toEqual([]);
	});
});
