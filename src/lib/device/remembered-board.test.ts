import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../tests/memory-storage.ts';
import { BOARD_CARDS, rememberBoard, rememberedBoard, REMEMBERED_BOARD, type PostCard } from './remembered-board.ts';

const root = 'automerge:root1';
const card = (id: string): PostCard => ({
	id,
	kind: 'request',
	kindLabel: 'Vraag',
	category: 'Boodschappen',
	status: '',
	hidden: '',
	stale: '',
	title: 'Boodschappen op donderdag',
	when: 'Wanneer het uitkomt',
	by: 'Van Anna · Nog geen reacties'
});

describe('the board kept for the next start', () => {
	it('comes back as it was kept, in the language it was shown in only', () => {
		const local = new MemoryStorage();
		const board = { language: 'nl', cards: [card('post-1'), card('post-2')] };
		rememberBoard(local, root, board);
		expect(rememberedBoard(local, root, 'nl')).toEqual(board);
		expect(rememberedBoard(local, root, 'en')).toBeUndefined();
		expect(rememberedBoard(local, 'automerge:other', 'nl')).toBeUndefined();
	});

	it('is nothing when what is stored is damaged, links elsewhere or is more than a screenful', () => {
		const local = new MemoryStorage();
		const stored = (value: unknown) => local.setItem(REMEMBERED_BOARD + root, JSON.stringify(value));
		local.setItem(REMEMBERED_BOARD + root, '{"language":');
		expect(rememberedBoard(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [card('../../uitnodigen')] });
		expect(rememberedBoard(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [{ ...card('post-1'), kind: 'sale' }] });
		expect(rememberedBoard(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: Array.from({ length: BOARD_CARDS + 1 }, (_, i) => card(`post-${i}`)) });
		expect(rememberedBoard(local, root, 'nl')).toBeUndefined();
		stored({ language: 'nl', cards: [card('post-1')] });
		expect(rememberedBoard(local, root, 'nl')?.cards).toHaveLength(1);
	});
});
