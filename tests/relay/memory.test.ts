// Memory stays bounded: a browser is a new peer id on every page load, and the relay lets go of
// everything it kept for a peer when the peer leaves. The relay runs in a child process of its own
// so its heap is measured alone, after a full collection.
import { next as A } from '@automerge/automerge';
import { Repo, type AutomergeUrl, type Chunk, type DocHandle, type PeerId, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo/slim';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdleState } from '../../relay/idle.ts';
import type { PeerState } from '../../relay/peers.ts';
import { createFromShell, startChild, type Child } from './child.ts';
import { eventually, shutdown, socketUrl, tempDir } from './harness.ts';

const children: Child[] = [];
const repos: Repo[] = [];

afterEach(async () => {
	await shutdown(...repos.splice(0));
	for (const { child } of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A browser's IndexedDB: it outlives page loads, so the device keeps its storage id. */
class DeviceStorage implements StorageAdapterInterface {
	#data = new Map<string, Uint8Array>();
	async load(key: StorageKey) {
		return this.#data.get(key.join('/'));
	}
	async save(key: StorageKey, data: Uint8Array) {
		this.#data.set(key.join('/'), data);
	}
	async remove(key: StorageKey) {
		this.#data.delete(key.join('/'));
	}
	async loadRange(prefix: StorageKey): Promise<Chunk[]> {
		const start = prefix.join('/');
		return [...this.#data].filter(([k]) => k.startsWith(start)).map(([k, data]) => ({ key: k.split('/'), data }));
	}
	async removeRange(prefix: StorageKey) {
		for (const { key } of await this.loadRange(prefix)) this.#data.delete(key.join('/'));
	}
}

interface Probe {
	heap: number;
	peers: PeerState;
	idle: IdleState;
	faults: Record<string, number>;
}

function probe(relay: Child): Promise<Probe> {
	return new Promise((resolve) => {
		relay.child.once('message', (m) => resolve(m as Probe));
		relay.child.send('probe');
	});
}

/** Whether the relay holds every change of this handle (its last known heads are ours). */
function relayHas(repo: Repo, handle: DocHandle<unknown>): boolean {
	const relayPeer = repo.peers[0];
	const storageId = relayPeer ? repo.getStorageIdOfPeer(relayPeer) : undefined;
	return storageId !== undefined && handle.getSyncInfo(storageId)?.lastHeads?.join() === handle.heads().join();
}

let loads = 0;

/** One try at a page load; false when its socket never got to the relay. */
async function tryPageLoad(relay: Child, key: string, device: DeviceStorage | undefined, urls: string[]): Promise<boolean> {
	const repo = new Repo({
		// No retry within a page load: the stock client opens a new socket on each retry without
		// closing the one still connecting, and on a busy machine that leaves sockets behind.
		network: [new KeyedClientAdapter(socketUrl(relay), key, 60_000)],
		storage: device,
		peerId: `page-${(loads += 1)}-${Math.random().toString(36).slice(2)}` as PeerId
	});
	try {
		// This stand-in page asks for its documents once its socket is open: asked earlier, a stock
		// automerge-repo 2.5.6 client may mark a handle unavailable and, now and then, not ask the relay
		// again once the socket opens. The test then waited 40 s for the client, not the relay's memory.
		const joined = await eventually(() => repo.peers.length, (n) => n > 0, 15_000).then(() => true, () => false);
		if (!joined) return false;
		const handles = await Promise.all(urls.map((url) => repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] })));
		await eventually(() => handles.every((h) => h.isReady() && relayHas(repo, h)), Boolean, 40_000);
		return true;
	} finally {
		await repo.shutdown().catch(() => undefined);
	}
}

/**
 * One page load: a fresh peer id, on a device that keeps its storage (a browser with IndexedDB) or
 * on a first visit without any; it opens the documents and leaves. A socket that never gets through
 * (on a busy machine a connect can fail, and this client would not retry for a minute) is a page
 * the person reloads, as they would.
 */
async function pageLoad(relay: Child, key: string, device: DeviceStorage | undefined, urls: string[]) {
	for (let attempt = 1; attempt <= 3; attempt += 1) {
		if (await tryPageLoad(relay, key, device, urls)) return;
	}
	throw new Error(`three page loads in a row never reached the relay; it said:\n${relay.output().slice(-4000)}`);
}

describe('memory per peer', () => {
	it('does not grow over 300 page loads with fresh peer ids, and holds nothing for peers that left', async () => {
		const data = tempDir();
		const relay = await startChild(data, {}, ['--expose-gc', '--import', 'tsx', 'tests/relay/probe-child.ts']);
		children.push(relay);
		const created = await createFromShell(data, relay.port);

		// A kiosk in the community centre keeps the neighbourhood open all day, so no document ever
		// goes idle: only letting go per peer can keep memory bounded.
		const kiosk = new Repo({ network: [new KeyedClientAdapter(socketUrl(relay), created.key, 60_000)], storage: new DeviceStorage() });
		repos.push(kiosk);
		const root = await kiosk.find<unknown>(created.root as AutomergeUrl);
		// Written one item at a time, as people do: a peer that receives them all keeps their hashes.
		const others = Array.from({ length: 5 }, (_, i) => {
			let list = A.from<{ title: string; items: string[] }>({ title: `lijst ${i}`, items: [] });
			for (let j = 0; j < 60; j += 1) list = A.change(list, (d) => void d.items.push(`punt ${j}`));
			return kiosk.import<unknown>(A.save(list));
		});
		const handles = [root, ...others];
		await eventually(() => handles.every((h) => relayHas(kiosk, h)), Boolean, 20_000);
		const urls = handles.map((h) => h.url);

		const devices = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? new DeviceStorage() : undefined));
		const churn = async (count: number) => {
			for (let done = 0; done < count; done += devices.length) {
				await Promise.all(devices.map((device) => pageLoad(relay, created.key, device, urls)));
			}
		};
		await churn(102);
		await eventually(() => probe(relay), (p) => p.peers.connections === 1);
		const early = await probe(relay);
		await churn(198);
		// The last page's socket may be gone a moment before the relay has let go of its peer (that
		// waits for the adapter to finish: peers.ts); a peer never let go still fails below.
		await eventually(() => probe(relay), (p) => p.peers.connections === 1);
		await eventually(() => probe(relay), (p) => p.peers.tracked === 1).catch(() => undefined);
		const late = await probe(relay);

		// Measured here: 1.15 MB more without letting go per peer, 0.45 MB with it (most of which is
		// the JIT's own code warming up). The counts below catch a regression exactly; the heap
		// check is the backstop with room for noise.
		const grown = late.heap - early.heap;
		expect(grown, `heap grew by ${(grown / 1024).toFixed(0)} KB`).toBeLessThan(1024 * 1024);
		expect(late.peers).toMatchObject({ metadata: 1, neighbourhoods: 1, tracked: 1 });
		expect(late.peers.departedSyncStates).toBeLessThan(16 * handles.length);
		expect(late.idle.loaded).toBe(handles.length);

		// The kiosk's documents were rebuilt many times under it: its changes still get through.
		const list = others[0] as DocHandle<{ items: string[] }>;
		list.change((d) => void d.items.push('nieuw punt'));
		await eventually(() => relayHas(kiosk, list), Boolean);
		const visitor = new Repo({ network: [new KeyedClientAdapter(socketUrl(relay), created.key, 60_000)] });
		repos.push(visitor);
		const seen = await visitor.find<{ items: string[] }>(list.url, { allowableStates: ['ready', 'unavailable'] });
		await eventually(() => (seen.isReady() ? seen.doc().items.at(-1) : undefined), (item) => item === 'nieuw punt');

		// Once the kiosk leaves too, nothing is kept for any peer.
		await shutdown(...repos.splice(0));
		const after = await eventually(() => probe(relay), (p) => p.peers.connections === 0 && p.peers.departedSyncStates === 0);
		expect(after.peers).toEqual({ connections: 0, metadata: 0, sockets: 0, neighbourhoods: 0, tracked: 0, departedSyncStates: 0 });
		expect(after.faults).toEqual({});
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);
	}, 150_000);
});
