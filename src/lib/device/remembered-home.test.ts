import { MemoryStorage } from '../../../tests/memory-storage.ts';
import { describe, expect, it } from 'vitest';
import type { Member } from '../members/view.ts';
import { RootView } from '../neighbourhood/schema.ts';
import * as v from 'valibot';
import { homeOf } from '../neighbourhood/home.ts';
import { REMEMBERED_HOME, rememberedHome, rememberHome } from './remembered-home.ts';

const ROOT = 'automerge:4NMNnkMhL8jXrBvXDpELfZiBbM7z';

const neighbourhood = v.parse(RootView, {
	name: 'Lindenbuurt',
	description: 'Buren in de Lindenbuurt helpen elkaar.',
	area: { description: 'Rond het Lindenplein' },
	contact: { name: 'Fatima de Vries', phone: '020 123 4567', hours: 'ma-vr 9-12' },
	settings: { modules: { help: true, agenda: false, map: true } }
});
const members = [{ id: 'anna-0000-0001' }, { id: 'bert-0000-0002' }, { id: 'cor-0000-0003' }] as Member[];
const view = { neighbourhood, members, manager: true, managed: [members[2]] };

describe('the home screen kept for the next start', () => {
	it('holds what the home screen shows of the neighbourhood, and comes back as it was kept', () => {
		const local = new MemoryStorage();
		rememberHome(local, ROOT, homeOf(view));
		expect(rememberedHome(local, ROOT)).toEqual({
			name: 'Lindenbuurt',
			description: 'Buren in de Lindenbuurt helpen elkaar.',
			area: 'Rond het Lindenplein',
			contact: { name: 'Fatima de Vries', phone: '020 123 4567', hours: 'ma-vr 9-12' },
			modules: { help: true, agenda: false, map: true },
			members: 3,
			manager: true,
			actsForOthers: true
		});
		expect(rememberedHome(local, 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ')).toBeUndefined();
	});

	it('is written again only when what it shows changed', () => {
		const local = new MemoryStorage();
		rememberHome(local, ROOT, homeOf(view));
		rememberHome(local, ROOT, homeOf({ ...view, members: [...members] }));
		expect(local.writes).toBe(1);
		rememberHome(local, ROOT, homeOf({ ...view, members: members.slice(1) }));
		expect(local.writes).toBe(2);
		expect(rememberedHome(local, ROOT)?.members).toBe(2);
	});

	it('reads a damaged or foreign value as nothing kept, so the start shows "wordt geladen" instead', () => {
		const local = new MemoryStorage();
		const kept = homeOf(view);
		for (const damaged of ['{', 'null', '[]', JSON.stringify({ ...kept, members: -1 }), JSON.stringify({ ...kept, name: 'x'.repeat(201) }), JSON.stringify({ ...kept, modules: undefined })]) {
			local.items.set(REMEMBERED_HOME + ROOT, damaged);
			expect(rememberedHome(local, ROOT), damaged).toBeUndefined();
		}
	});

	it('lets a full storage pass: nothing is kept and nothing breaks', () => {
		const full = { getItem: () => null, removeItem: () => undefined, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
		expect(() => rememberHome(full, ROOT, homeOf(view))).not.toThrow();
		expect(rememberedHome(full, ROOT)).toBeUndefined();
	});
});
