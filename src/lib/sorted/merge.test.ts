import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, mergeSorted } from './merge.ts';

const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

describe('merging lists in order', () => {
	it('gives what sorting them together gives, equal items in the order of their lists', () => {
		const list = fc.array(fc.record({ key: fc.integer({ min: 0, max: 20 }), from: fc.nat() }), { maxLength: 30 });
		fc.assert(
			fc.property(fc.array(list, { maxLength: 6 }), (lists) => {
				const sorted = lists.map((l, i) => [...l].sort(byKey).map((item) => ({ ...item, from: i })));
				// Array.prototype.sort is stable: equal keys stay in the order the lists were concatenated.
				expect(mergeSorted(sorted, byKey)).toEqual(sorted.flat().sort(byKey));
			})
		);
	});

	it('puts a list that comes wholly before another in front of it, whole', () => {
		const older = ['2017-01-01', '2017-06-01'];
		const newer = ['2026-01-01', '2026-12-01'];
		expect(mergeSorted([newer, older], compare)).toEqual([...older, ...newer]);
		expect(mergeSorted([[], older, []], compare)).toBe(older);
	});
});
