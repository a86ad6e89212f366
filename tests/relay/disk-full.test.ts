// A full disk is survived (#10): the relay stays up read-only, refuses changes with a clear close
// code, keeps serving what it has, says so once in its log, and takes changes again by itself once
// there is room, with nothing lost that anyone had been told was stored.
import type { Chunk, DocHandle, Repo, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { Repo as ClientRepo } from '@automerge/automerge-repo/slim';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Relay } from '../../relay/main.ts';
import { AtomicFSStorageAdapter, GuardedStorage, STORAGE_REFUSED } from '../../relay/storage.ts';
import { createLogger } from '../../relay/log.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { client, eventually, find, nameOf, shutdown, socketUrl, startTestRelay, tempDir, hostedOn } from './harness.ts';

/** The relay's documents folder on a disk that can be made full: every write then fails with ENOSPC. */
class FillableDisk implements StorageAdapterInterface {
	full = false;
	failedWrites = 0;
	readonly #disk: AtomicFSStorageAdapter;
	constructor(folder: string) {
		this.#disk = new AtomicFSStorageAdapter(folder);
	}
	#refuse() {
		if (!this.full) return;
		this.failedWrites += 1;
		throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
	}
	load(key: StorageKey) {
		return this.#disk.load(key);
	}
	loadRange(prefix: StorageKey): Promise<Chunk[]> {
		return this.#disk.loadRange(prefix);
	}
	async save(key: StorageKey, data: Uint8Array) {
		this.#refuse();
		return this.#disk.save(key, data);
	}
	// Removing a file works on a full disk; the relay must still not remove chunks it cannot replace.
	remove(key: StorageKey) {
		return this.#disk.remove(key);
	}
	removeRange(prefix: StorageKey) {
		return this.#disk.removeRange(prefix);
	}
}

interface Notes {
	items: Record<string, string>;
}

const repos: Repo[] = [];
const relays: Relay[] = [];
afterEach(async () => {
	await shutdown(...repos.splice(0));
	await shutdown(...relays.splice(0));
});

async function start(data: string, storage?: StorageAdapterInterface) {
	const relay = await startTestRelay({ data, storage, storageRetryMs: 100 });
	relays.push(relay);
	return { relay, logs: relay.logs };
}

function resident(relay: Relay, key: string): Repo {
	const repo = client(relay, key);
	repos.push(repo);
	return repo;
}

/** The relay has every change of this handle: its last known heads equal ours. */
async function relayHas(repo: Repo, handle: DocHandle<unknown>) {
	await eventually(
		() => {
			const storageId = repo.peers[0] ? repo.getStorageIdOfPeer(repo.peers[0]) : undefined;
			return storageId ? handle.getSyncInfo(storageId)?.lastHeads?.join() : undefined;
		},
		(heads) => heads === handle.heads().join()
	);
}

const itemsOf = (handle: DocHandle<Notes>) => Object.values(handle.doc()?.items ?? {}).sort();

describe('the relay on a full disk', () => {
	it('stays up read-only, refuses changes with 4507, serves reads, and resumes by itself with nothing lost', async () => {
		const data = tempDir();
		const disk = new FillableDisk(join(data, 'documents'));
		const { relay, logs } = await start(data, disk);
		const hosted = await hostedOn(relay.repo, relay.registry, relay.access, 'Lindenbuurt', relay.url);

		// Anna connects through an adapter whose socket we can watch for the relay's close code.
		const annasAdapter = new KeyedClientAdapter(socketUrl(relay), hosted.key, 100);
		const anna = new ClientRepo({ network: [annasAdapter] });
		repos.push(anna);
		const bert = resident(relay, hosted.key);
		const notes = anna.create<Notes>({ items: {} });
		const agenda = anna.create<Notes>({ items: {} });
		notes.change((d) => void (d.items.voor = 'boodschappen voor mevrouw Jansen'));
		agenda.change((d) => void (d.items.koffie = 'koffieochtend dinsdag'));
		await relayHas(anna, notes);
		await relayHas(anna, agenda);
		const bertsNotes = await eventually(() => find<Notes>(bert, notes.url), (h) => h.isReady());
		await eventually(() => itemsOf(bertsNotes), (items) => items.length === 1);

		disk.full = true;
		const closes: Array<{ code: number; reason: string }> = [];
		const watch = (socket: WebSocket) => socket.on('close', (code, reason) => closes.push({ code, reason: String(reason) }));
		watch(annasAdapter.socket as unknown as WebSocket);
		// This change reaches the relay before it knows the disk is full; it cannot be written.
		notes.change((d) => void (d.items.tijdens1 = 'rolstoel lenen'));
		await eventually(() => relay.storage.writable, (writable) => !writable);
		expect(disk.failedWrites).toBeGreaterThan(0);
		// The next change is refused, with a code and a reason the app can explain.
		notes.change((d) => void (d.items.tijdens2 = 'tuin opruimen'));
		await eventually(() => closes, (list) => list.length > 0);
		expect(closes[0]).toEqual({ code: STORAGE_REFUSED, reason: 'relay storage full' });

		// Reads go on: a resident who opens the app now gets the neighbourhood and the agenda.
		const carla = resident(relay, hosted.key);
		expect(nameOf((await find<RootDoc>(carla, hosted.root)).doc())).toBe('Lindenbuurt');
		const carlasAgenda = await eventually(() => find<Notes>(carla, agenda.url), (h) => h.isReady());
		expect(itemsOf(carlasAgenda)).toEqual(['koffieochtend dinsdag']);
		expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
		// A monitor asking whether the relay can take changes hears no, and why.
		const notReady = await fetch(`${relay.url}/readyz`);
		expect(notReady.status).toBe(503);
		expect(await notReady.json()).toEqual({ ready: false, problem: 'ENOSPC' });
		// Loud, once: not a line per failed write or retry.
		const refused = () => logs.filter((line) => line.includes('relay storage refuses writes'));
		expect(refused()).toHaveLength(1);
		expect(JSON.parse(refused()[0])).toMatchObject({ level: 50, code: 'ENOSPC' });
		const failedSoFar = disk.failedWrites;
		await eventually(() => disk.failedWrites, (count) => count > failedSoFar); // it keeps trying
		expect(refused()).toHaveLength(1);
		// The change that could not be written was shared with nobody.
		expect(itemsOf(bertsNotes)).toEqual(['boodschappen voor mevrouw Jansen']);

		disk.full = false;
		await eventually(() => relay.storage.writable, Boolean);
		expect(await (await fetch(`${relay.url}/readyz`)).json()).toEqual({ ready: true });
		expect(logs.filter((line) => line.includes('relay storage writes again'))).toHaveLength(1);
		// Anna's client reconnects by itself and hands over what was refused; new changes flow.
		notes.change((d) => void (d.items.na = 'bloemen water geven'));
		await eventually(() => itemsOf(bertsNotes), (items) => items.length === 4);
		await relayHas(anna, notes);
		await shutdown(...repos.splice(0));
		await shutdown(...relays.splice(0));

		// All of it is on the disk: a relay started afresh on the same folder serves it.
		const again = await start(data);
		const dirk = resident(again.relay, hosted.key);
		const dirksNotes = await eventually(() => find<Notes>(dirk, notes.url), (h) => h.isReady());
		await eventually(() => itemsOf(dirksNotes), (items) => items.length === 4);
		expect(itemsOf(dirksNotes)).toEqual(['bloemen water geven', 'boodschappen voor mevrouw Jansen', 'rolstoel lenen', 'tuin opruimen']);
	}, 30_000);

	it('keeps a compaction’s old chunks until its snapshot is written, so a crash meanwhile loses nothing', async () => {
		const folder = join(tempDir(), 'documents');
		const disk = new FillableDisk(folder);
		const storage = new GuardedStorage(disk, { log: createLogger('silent'), retryMs: 50 });
		const id = '4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		await storage.save([id, 'incremental', 'one'], new Uint8Array([1]));
		disk.full = true;
		// automerge-repo 2.5.6 compacts by writing a snapshot and then removing the chunks it replaces.
		await storage.save([id, 'snapshot', 'all'], new Uint8Array([1, 2]));
		await storage.remove([id, 'incremental', 'one']);
		expect(storage.writable).toBe(false);
		expect(storage.isStored(id)).toBe(false);
		// What the relay reads is the new state; what is on disk is still the old one, whole.
		expect((await storage.loadRange([id])).map((c) => c.key.join('/'))).toEqual([`${id}/snapshot/all`]);
		expect((await new AtomicFSStorageAdapter(folder).loadRange([id])).map((c) => c.key.at(-1))).toEqual(['one']);

		disk.full = false;
		await storage.whenStored(id);
		expect(storage.writable).toBe(true);
		expect((await new AtomicFSStorageAdapter(folder).loadRange([id])).map((c) => [c.key.at(-1), [...c.data!]])).toEqual([['all', [1, 2]]]);
		storage.close();
	});
});
