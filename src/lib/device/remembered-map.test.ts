import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../tests/memory-storage.ts';
import { MAP_CARDS, rememberMap, rememberedMap, REMEMBERED_MAP, type ServiceCard } from './remembered-map.ts';

const root = 'automerge:root1';
const card = (id: string, group = 'Geldzaken'): ServiceCard => ({
	id,
	name: 'Spreekuur ouderenadviseur',
	description: 'Hulp bij aanvragen voor zorg en geldzaken.',
	hours: 'ma t/m vr 9.00–12.00',
	free: 'Gratis',
	group
});

describe('the social map kept for the next start', () => {
	it('comes back as it was kept, in the language it was shown in only', () => {
		const local = new MemoryStorage();
		const map = { language: 'nl', cards: [card('service-1'), card('service-2', 'Vervoer')] };
		rememberMap(local, root, map);
		expect(rememberedMap(local, root, 'nl')).toEqual(map);
		expect(rememberedMap(local, root, 'en')).toBeUndefined();
		expect(rememberedMap(local, 'automerge:other', 'nl')).toBeUndefined();
	});

	it('is nothing when what is stored is damaged, links elsewhere or is more than a screenful', () => {
		const local = new MemoryStorage();
		const stored = (value: unknown) => local.setItem(REMEMBERED_MAP + root, JSON.stringify(value));
		local.setItem(REMEMBERED_MAP + root, '{"language":');
		expect(rememberedMap(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [card('../../uitnodigen')] });
		expect(rememberedMap(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [{ ...card('service-1'), name: 42 }] });
		expect(rememberedMap(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: Array.from({ length: MAP_CARDS + 1 }, (_, i) => card(`service-${i}`)) });
		expect(rememberedMap(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [card('service-1')] });
		expect(rememberedMap(local, root, 'nl')?.cards).toHaveLength(1);
	});
});
