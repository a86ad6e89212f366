// The relay's storage keeps the storage adapter contract of automerge-repo 2.5.6, on disk and with
// its full-disk guard in front, so documents load and save as before.
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../relay/log.ts';
import { AtomicFSStorageAdapter, GuardedStorage } from '../../relay/storage.ts';
import { tempDir } from './harness.ts';

runStorageAdapterTests(async () => ({ adapter: new AtomicFSStorageAdapter(tempDir()) }), 'AtomicFSStorageAdapter');
runStorageAdapterTests(async () => {
	const storage = new GuardedStorage(new AtomicFSStorageAdapter(tempDir()), { log: createLogger('silent') });
	return { adapter: storage, teardown: () => storage.close() };
}, 'GuardedStorage');

describe('writing a chunk', () => {
	it('leaves no partial file behind, and saves again into a document folder that was removed', async () => {
		const folder = tempDir();
		const disk = new AtomicFSStorageAdapter(folder);
		const id = '4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		await disk.save([id, 'incremental', 'a'], new Uint8Array([1]));
		await disk.removeRange([id]);
		await disk.save([id, 'incremental', 'b'], new Uint8Array([2]));
		expect((await disk.loadRange([id])).map((c) => c.key.at(-1))).toEqual(['b']);
		expect(readdirSync(join(folder, '.partial'))).toEqual([]);
	});
});

describe('writes the disk refused', () => {
	it('are replayed in order once it takes writes again: a document removed and brought back keeps its new chunk', async () => {
		const folder = tempDir();
		let full = false;
		const disk = new AtomicFSStorageAdapter(folder);
		const refusing = {
			load: disk.load.bind(disk),
			loadRange: disk.loadRange.bind(disk),
			remove: disk.remove.bind(disk),
			removeRange: disk.removeRange.bind(disk),
			save: async (key: string[], data: Uint8Array) => {
				if (full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
				return disk.save(key, data);
			}
		};
		const storage = new GuardedStorage(refusing, { log: createLogger('silent'), retryMs: 20 });
		const id = '4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		await storage.save([id, 'snapshot', 'old'], new Uint8Array([1]));
		full = true;
		await storage.save([id, 'incremental', 'lost'], new Uint8Array([2]));
		await storage.removeRange([id]);
		await storage.save([id, 'snapshot', 'new'], new Uint8Array([3]));
		expect((await storage.loadRange([id])).map((c) => c.key.at(-1))).toEqual(['new']);
		full = false;
		await storage.whenStored(id);
		expect((await disk.loadRange([id])).map((c) => [c.key.at(-1), [...c.data!]])).toEqual([['new', [3]]]);
		storage.close();
	});
});

describe('a document already on disk when the disk fills', () => {
	it('stays stored (and so is served) when a chunk it has is written again or a compaction’s removals wait', async () => {
		let full = false;
		const disk = new AtomicFSStorageAdapter(tempDir());
		const refusing = {
			load: disk.load.bind(disk),
			loadRange: disk.loadRange.bind(disk),
			remove: disk.remove.bind(disk),
			removeRange: disk.removeRange.bind(disk),
			save: async (key: string[], data: Uint8Array) => {
				if (full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
				return disk.save(key, data);
			}
		};
		const storage = new GuardedStorage(refusing, { log: createLogger('silent'), retryMs: 20 });
		const id = '4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		await storage.save([id, 'incremental', 'one'], new Uint8Array([1]));
		await storage.save([id, 'snapshot', 'all'], new Uint8Array([1, 2]));
		full = true;
		// The same snapshot saved a second time (automerge-repo 2.5.6 can), then the compaction's removal.
		await storage.save([id, 'snapshot', 'all'], new Uint8Array([1, 2]));
		await storage.remove([id, 'incremental', 'one']);
		expect(storage.writable).toBe(false);
		expect(storage.isStored(id)).toBe(true);
		// A chunk that is new is not on disk: the document is not stored until it is.
		await storage.save([id, 'incremental', 'two'], new Uint8Array([3]));
		expect(storage.isStored(id)).toBe(false);
		// A chunk removed and then saved again must be written again.
		const other = '2KYqczLsi4GA5gN1zNz5U2HJsSaB';
		full = false;
		await storage.whenStored(id);
		await storage.save([other, 'snapshot', 's'], new Uint8Array([4]));
		full = true;
		await storage.save([other, 'incremental', 'x'], new Uint8Array([5]));
		await storage.removeRange([other]);
		await storage.save([other, 'snapshot', 's'], new Uint8Array([4]));
		expect(storage.isStored(other)).toBe(false);
		full = false;
		await storage.whenStored(other);
		expect((await disk.loadRange([other])).map((c) => c.key.at(-1))).toEqual(['s']);
		expect((await disk.loadRange([id])).map((c) => c.key.at(-1)).sort()).toEqual(['all', 'two']);
		storage.close();
	});
});
