// The repository's warm-up runs its paths once while the resident types, and never fails a join.
import { describe, expect, it } from 'vitest';
import { Repo } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import { MemoryStorage, met, warmRepository } from './warm-repo.ts';

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

	it('waits for its two repositories to meet, and no longer once stopped (the real documents are on their way then)', async () => {
		const channelName = `warm-test-${Math.random()}`;
		const [a, b] = [0, 1].map(() => new Repo({ network: [new BroadcastChannelNetworkAdapter({ channelName, peerWaitMs: 100 })] }));
		expect(await met(a!)).toBe(true);
		const alone = new Repo({ network: [] });
		const stop = new AbortController();
		const waiting = met(alone, stop.signal);
		stop.abort();
		// Without the stop it would wait 3 s for a peer that never comes.
		const still = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000));
		expect(await Promise.race([waiting, still])).toBe(false);
		await Promise.all([a!, b!, alone].map((repo) => repo.shutdown()));
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
