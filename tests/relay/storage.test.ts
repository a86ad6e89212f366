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
