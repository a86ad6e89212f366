import { describe, expect, it } from 'vitest';
import { collector } from './collector.ts';

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the collector the relay runs after unloading', () => {
	it('frees what nothing holds any more', async () => {
		const collect = collector(0);
		let big: number[] | undefined = Array.from({ length: 100_000 }, (_, i) => i);
		const ref = new WeakRef(big);
		big = undefined;
		// A WeakRef read in this turn keeps its object until the turn ends.
		await nextTurn();
		collect();
		expect(ref.deref()).toBeUndefined();
	});

	it('runs at most once per interval, however often it is asked', () => {
		let now = 0;
		let runs = 0;
		const collect = collector(5000, { now: () => now, gc: () => (runs += 1) });
		collect();
		collect();
		now = 4999;
		collect();
		expect(runs).toBe(1);
		now = 5000;
		collect();
		expect(runs).toBe(2);
	});
});
