// The repository's warm-up runs its paths once while the resident types, and never fails a join.
import { describe, expect, it } from 'vitest';
import { MemoryStorage, warmRepository } from './warm-repo.ts';

describe("warming the repository's code up while the resident types a name", () => {
	it('syncs a document between two repositories of its own and stores it on both, a step per idle moment', async () => {
		let idle = 0;
		// True only when both sides stored something: the storing path ran, not only the sync.
		expect(await warmRepository(async () => void (idle += 1))).toBe(true);
		expect(idle).toBe(3);
	});

	it('runs no further step once stopped (the resident tapped "Klaar")', async () => {
		const stop = new AbortController();
		let idle = 0;
		const ran = await warmRepository(async () => {
			idle += 1;
			if (idle === 2) stop.abort();
		}, stop.signal);
		expect(ran).toBe(false);
		expect(idle).toBe(2);
	});

	it('makes nothing when stopped before its first step', async () => {
		const stop = new AbortController();
		stop.abort();
		let idle = 0;
		expect(await warmRepository(async () => void (idle += 1), stop.signal)).toBe(false);
		expect(idle).toBe(1);
	});

	it('ends quietly, false, when a step cannot run', async () => {
		expect(await warmRepository(() => Promise.reject(new Error('page closed')))).toBe(false);
	});
});

describe('the warm-up repositories\u2019 storage in memory', () => {
	it('loads, lists by prefix and removes what was stored', async () => {
		const storage = new MemoryStorage();
		const bytes = (n: number) => new Uint8Array([n]);
		await storage.save(['doc', 'snapshot', 'a'], bytes(1));
		await storage.save(['doc', 'incremental', 'b'], bytes(2));
		await storage.save(['other', 'snapshot', 'c'], bytes(3));
		expect(await storage.load(['doc', 'snapshot', 'a'])).toEqual(bytes(1));
		expect((await storage.loadRange(['doc'])).map((c) => c.key.join('/')).sort()).toEqual(['doc/incremental/b', 'doc/snapshot/a']);
		await storage.removeRange(['doc']);
		expect(await storage.loadRange(['doc'])).toEqual([]);
		await storage.remove(['other', 'snapshot', 'c']);
		expect(await storage.load(['other', 'snapshot', 'c'])).toBeUndefined();
		expect(storage.saves).toBe(3);
	});
});
