import { Repo } from '@automerge/automerge-repo/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { SlowStorage } from '../../../tests/slow-storage.ts';
import { StoredOnDevice, WatchedStorage } from './stored-on-device.ts';

const repos: { repo: Repo; storage: SlowStorage }[] = [];
afterEach(async () => {
	for (const { storage } of repos) {
		storage.held = storage.failing = false;
		storage.release();
	}
	await Promise.allSettled(repos.splice(0).map(({ repo }) => repo.shutdown()));
});

function setUp(saveDebounceRate = 86_400_000) {
	const storage = new SlowStorage();
	const watched = new WatchedStorage(storage);
	// By default the repository's own write comes a day later: what is written, this check wrote.
	const repo = new Repo({ storage: watched, network: [], saveDebounceRate });
	repos.push({ repo, storage });
	let flushes = 0;
	const flushing = { flush: (ids?: Parameters<Repo['flush']>[0]) => ((flushes += 1), repo.flush(ids)) };
	const stored = new StoredOnDevice(flushing, watched, 20);
	const written: number[] = [];
	stored.onWritten(() => written.push(flushes));
	const handle = repo.create<{ text: string }>({ text: 'Koffieochtend' });
	return { storage, repo, stored, handle, written, flushes: () => flushes };
}

const until = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
	expect(check()).toBe(true);
};

describe('whether this device has written what it holds open', () => {
	it('says no while a document is being written, and yes once it is in storage', async () => {
		const { storage, stored, handle, written } = setUp();
		storage.held = true;
		expect(stored.holds([handle])).toBe(false);
		await until(() => storage.writes > 0);
		expect(stored.holds([handle])).toBe(false);
		expect(written).toEqual([]);
		storage.release();
		await until(() => written.length === 1);
		expect(stored.holds([handle])).toBe(true);
		expect([...storage.data.keys()].some((key) => key.startsWith(handle.documentId))).toBe(true);
	});

	it('asks for one write at a time, and again after the next change', async () => {
		const { storage, stored, handle, written, flushes } = setUp();
		storage.held = true;
		stored.holds([handle]);
		stored.holds([handle]);
		await until(() => storage.writes === 1);
		stored.holds([handle]);
		expect(flushes()).toBe(1);
		storage.release();
		await until(() => written.length === 1);
		expect(stored.holds([handle])).toBe(true);

		handle.change((d) => (d.text = 'Koffieochtend in het buurthuis'));
		storage.held = false;
		expect(stored.holds([handle])).toBe(false);
		await until(() => written.length === 2);
		expect(stored.holds([handle])).toBe(true);
		expect(flushes()).toBe(2);
	});

	it("lets the repository's own write finish first, so a document is not written twice", async () => {
		const { storage, stored, handle, written } = setUp(100);
		storage.held = true;
		await until(() => storage.writes === 1);
		expect(stored.holds([handle])).toBe(false);
		// Well past the wait before it looks: still nothing, as the repository's write is under way.
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(written).toEqual([]);
		storage.release();
		await until(() => written.length === 1);
		expect(stored.holds([handle])).toBe(true);
		expect(storage.writes).toBe(1);
	});

	it('does not keep the status waiting for ever when storage refuses to write', async () => {
		const { storage, stored, handle, written } = setUp();
		storage.failing = true;
		expect(stored.holds([handle])).toBe(false);
		await until(() => written.length === 1);
		expect(stored.holds([handle])).toBe(true);
	});
});
