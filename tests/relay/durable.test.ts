// The durable outbox (relay/durable.ts): a sync message waits until its document is on disk, one
// save serves many waiting messages, messages keep their order, and a slow document holds up no
// other document.
import '@automerge/automerge';
import { Repo, type Chunk, type DocumentId, type Message, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { DurableOutbox } from '../../relay/durable.ts';
import { createLogger } from '../../relay/log.ts';
import { startRelay } from '../../relay/main.ts';
import { client, eventually, fakeApp, shutdown, tempDir, hostedOn } from './harness.ts';

/** A disk on which writes of one document hang until released; counts content writes per document. */
class SlowDisk implements StorageAdapterInterface {
	files = new Map<string, Uint8Array>();
	writes = new Map<string, number>();
	slow: string | undefined;
	#release: Array<() => void> = [];
	release() {
		this.slow = undefined;
		for (const go of this.#release.splice(0)) go();
	}
	async load(key: StorageKey) {
		return this.files.get(key.join('/'));
	}
	async save(key: StorageKey, data: Uint8Array) {
		if (key[1] === 'snapshot' || key[1] === 'incremental') this.writes.set(key[0], (this.writes.get(key[0]) ?? 0) + 1);
		if (key[0] === this.slow) await new Promise<void>((resolve) => this.#release.push(resolve));
		this.files.set(key.join('/'), data);
	}
	async remove(key: StorageKey) {
		this.files.delete(key.join('/'));
	}
	async loadRange(prefix: StorageKey): Promise<Chunk[]> {
		const start = prefix.join('/');
		return [...this.files].filter(([k]) => k.startsWith(start)).map(([k, data]) => ({ key: k.split('/'), data }));
	}
	async removeRange(prefix: StorageKey) {
		for (const k of [...this.files.keys()]) if (k.startsWith(prefix.join('/'))) this.files.delete(k);
	}
}

const sync = (documentId: DocumentId, n: number): Message =>
	({ type: 'sync', senderId: 'relay', targetId: 'anna', documentId, data: new Uint8Array([n]) }) as unknown as Message;

const onDisk = (disk: SlowDisk, id: string) => [...disk.files.keys()].some((k) => k.startsWith(`${id}/`) && !k.includes('sync-state'));

describe('the durable outbox', () => {
	it('sends a change only once it is on disk, with one save for many waiting messages, in order, without holding up other documents', async () => {
		const disk = new SlowDisk();
		// A long save debounce keeps the repo's own throttled save out of the way.
		const repo = new Repo({ storage: disk, saveDebounceRate: 60_000 });
		const stored = { whenStored: async () => undefined };
		const outbox = new DurableOutbox(repo, stored, createLogger('silent'), () => 'connection');
		const busy = repo.create<{ n: number }>({ n: 0 });
		const quiet = repo.create<{ n: number }>({ n: 0 });
		await repo.flush();
		const writesBefore = disk.writes.get(busy.documentId) ?? 0;

		disk.slow = busy.documentId;
		const delivered: number[] = [];
		for (let n = 1; n <= 10; n++) {
			busy.change((d) => void (d.n = n));
			outbox.send(sync(busy.documentId, n), (m) => delivered.push((m as { data: Uint8Array }).data[0]));
		}
		expect(outbox.waiting).toBe(10);

		// Another document goes out at once while the first one's disk write hangs.
		quiet.change((d) => void (d.n = 1));
		outbox.send(sync(quiet.documentId, 100), (m) => delivered.push((m as { data: Uint8Array }).data[0]));
		await eventually(() => delivered, (list) => list.includes(100));
		expect(onDisk(disk, quiet.documentId)).toBe(true);
		expect(delivered).toEqual([100]);

		disk.release();
		await eventually(() => delivered.length, (count) => count === 11);
		expect(delivered).toEqual([100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		// The first save covered the first message; the nine queued behind it shared one more.
		expect((disk.writes.get(busy.documentId) ?? 0) - writesBefore).toBeLessThanOrEqual(2);
		expect(outbox.waiting).toBe(0);
		await repo.shutdown();
	});

	it('lets a message through at once when its document is already on disk, and drops one whose peer left', async () => {
		const disk = new SlowDisk();
		const repo = new Repo({ storage: disk, saveDebounceRate: 60_000 });
		let connection = 'first';
		const outbox = new DurableOutbox(repo, { whenStored: async () => undefined }, createLogger('silent'), () => connection);
		const doc = repo.create<{ n: number }>({ n: 0 });
		const delivered: number[] = [];
		const deliver = (m: Message) => delivered.push((m as { data: Uint8Array }).data[0]);
		outbox.send(sync(doc.documentId, 1), deliver);
		await eventually(() => delivered, (list) => list.length === 1);
		outbox.send(sync(doc.documentId, 2), deliver);
		expect(delivered).toEqual([1, 2]); // synchronously: nothing new to save

		disk.slow = doc.documentId;
		doc.change((d) => void (d.n = 1));
		outbox.send(sync(doc.documentId, 3), deliver);
		connection = 'second'; // Anna reconnected: her new connection starts a sync of its own
		disk.release();
		await eventually(() => outbox.waiting, (waiting) => waiting === 0);
		expect(delivered).toEqual([1, 2]);
		await repo.shutdown();
	});

	it('tells a phone that the relay has a document it just sent only once that document is on disk', async () => {
		const disk = new SlowDisk();
		const relay = await startRelay({ port: 0, host: '127.0.0.1', data: tempDir(), publicUrl: undefined, app: fakeApp(), logLevel: 'silent', pollMs: 100, storage: disk });
		const anna = client(relay, (await hostedOn(relay.repo, relay.registry, relay.access, 'Lindenbuurt', `http://127.0.0.1:${relay.port}`)).key);
		try {
			// A document the relay has never seen: its first answer comes from inside automerge-repo's
			// update, before the relay's handle is ready (2.5.6).
			const agenda = anna.create<{ items: string[] }>({ items: ['koffieochtend dinsdag'] });
			disk.slow = agenda.documentId;
			const relaysHeads = () => {
				const storageId = anna.peers[0] ? anna.getStorageIdOfPeer(anna.peers[0]) : undefined;
				return storageId ? agenda.getSyncInfo(storageId)?.lastHeads?.join() : undefined;
			};
			// The relay has the document and is writing it; the write hangs.
			await eventually(() => disk.writes.get(agenda.documentId) ?? 0, (writes) => writes > 0);
			expect(relaysHeads()).not.toBe(agenda.heads().join());
			disk.release();
			await eventually(relaysHeads, (heads) => heads === agenda.heads().join());
			expect(onDisk(disk, agenda.documentId)).toBe(true);
		} finally {
			disk.release();
			await shutdown(anna, relay);
		}
	});
});
