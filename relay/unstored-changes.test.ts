import { describe, expect, it } from 'vitest';
import { applicable, UnstoredChanges } from './unstored-changes.ts';

describe('changes the referee accepted and the relay has not stored yet', () => {
	it('names only the ones a change builds on that the copy does not hold, and forgets what it holds', () => {
		const unstored = new UnstoredChanges();
		unstored.add('doc-a', ['h1', 'h2']);
		const held = new Set(['h1']);
		expect(unstored.awaited('doc-a', ['h1', 'h2', 'h3'], (hash) => held.has(hash))).toEqual(['h2']);
		expect(unstored.awaited('doc-b', ['h2'], () => false)).toEqual([]);
		expect(unstored.size).toBe(1);
		unstored.settle('doc-a', ['h2']);
		expect(unstored.awaited('doc-a', ['h2'], () => false)).toEqual([]);
		expect(unstored.size).toBe(0);
	});

	it('keeps nothing for long: a relay that runs for years does not grow with every change it ever took', () => {
		let now = 0;
		const unstored = new UnstoredChanges(60_000, () => now);
		for (let i = 0; i < 1000; i++) unstored.add(`doc-${i}`, [`h${i}`]);
		expect(unstored.size).toBe(1000);
		now = 60_000;
		unstored.add('doc-new', ['fresh']);
		expect(unstored.size).toBe(1);
		expect(unstored.awaited('doc-new', ['fresh'], () => false)).toEqual(['fresh']);
	});

	it('waits for no change built on one the relay never saw: a device cannot hold up everyone with it', () => {
		const held = new Set(['stored']);
		const accepted = [
			{ hash: 'a', deps: ['stored'] },
			{ hash: 'b', deps: ['a'] },
			{ hash: 'orphan', deps: ['never-seen'] },
			{ hash: 'after-orphan', deps: ['orphan'] }
		];
		expect(applicable(accepted, (hash) => held.has(hash))).toEqual(['a', 'b']);
	});
});
