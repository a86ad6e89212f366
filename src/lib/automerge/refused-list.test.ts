import { describe, expect, it } from 'vitest';
import { addRefused, dismissRefused, readRefused, type RefusedEntry } from './refused-list.ts';
import { MemoryStorage } from '../../../tests/memory-storage.ts';


const root = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
const entry = (id: string, rule = 'help.post-author'): RefusedEntry => ({
	id,
	documentId: 'doc1',
	rule,
	count: 1,
	at: '2026-12-01T12:00:00.000Z'
});

describe('refused changes kept on this device', () => {
	it('lists the newest first, per neighbourhood, across a reload', () => {
		const storage = new MemoryStorage();
		addRefused(storage, root, entry('a'));
		addRefused(storage, root, entry('b', 'agenda.organiser'));
		expect(readRefused(storage, root).map((e) => e.id)).toEqual(['b', 'a']);
		expect(readRefused(storage, 'automerge:other')).toEqual([]);
	});

	it('keeps one entry for a notice seen twice, and forgets a dismissed one', () => {
		const storage = new MemoryStorage();
		addRefused(storage, root, entry('a'));
		addRefused(storage, root, entry('a'));
		expect(readRefused(storage, root)).toHaveLength(1);
		expect(dismissRefused(storage, root, 'a')).toEqual([]);
		expect(readRefused(storage, root)).toEqual([]);
	});

	it('keeps at most twenty, and reads past damaged storage', () => {
		const storage = new MemoryStorage();
		for (let i = 0; i < 25; i++) addRefused(storage, root, entry(`e${i}`));
		expect(readRefused(storage, root)).toHaveLength(20);
		storage.setItem(`noaber.refused.${root}`, '{nope');
		expect(readRefused(storage, root)).toEqual([]);
		storage.setItem(`noaber.refused.${root}`, JSON.stringify([{ id: 1 }, entry('ok')]));
		expect(readRefused(storage, root).map((e) => e.id)).toEqual(['ok']);
	});
});
