// The repository's own code (each document's state machine, sync between peers, storing with its
// hashes) is JavaScript the browser compiles the first time it runs. After joining, that first time
// fell in the busy seconds when the neighbourhood's documents arrive: on the cheap phone
// (bench/member-device.ts) the page's first sync with the relay and its first save were tasks of
// 50 to 70 ms for documents of a kilobyte. While the resident types a name, two repositories of
// its own, in memory and joined by a channel nobody else uses, take a small document through those
// paths: found, synced, changed on both sides, stored.
import * as A from '@automerge/automerge/slim';
import { Repo, type Chunk, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import { randomId } from './fields.ts';
import { tinyDocument } from './warm-up.ts';
import { whenIdle, type Idle } from '../device/idle.ts';

/** Keeps what a warm-up repository stores for as long as the warm-up lasts. */
export class MemoryStorage implements StorageAdapterInterface {
	readonly #data = new Map<string, { key: StorageKey; data: Uint8Array }>();
	/** How many times something was stored: the warm-up ran the storing path. */
	saves = 0;

	async load(key: StorageKey): Promise<Uint8Array | undefined> {
		return this.#data.get(key.join('\0'))?.data;
	}
	async save(key: StorageKey, data: Uint8Array): Promise<void> {
		this.saves += 1;
		this.#data.set(key.join('\0'), { key, data });
	}
	async remove(key: StorageKey): Promise<void> {
		this.#data.delete(key.join('\0'));
	}
	async loadRange(prefix: StorageKey): Promise<Chunk[]> {
		return [...this.#data.values()].filter(({ key }) => startsWith(key, prefix)).map(({ key, data }) => ({ key, data }));
	}
	async removeRange(prefix: StorageKey): Promise<void> {
		for (const [id, { key }] of this.#data) if (startsWith(key, prefix)) this.#data.delete(id);
	}
}

const startsWith = (key: StorageKey, prefix: StorageKey) => prefix.every((part, i) => key[i] === part);

/** How long the two warm-up repositories may take to meet: longer, and the warm-up is skipped. */
const MEET_MS = 3000;

/**
 * Resolves true once the repository has met another peer; false after `MEET_MS`, or at once when
 * stopped: the real documents are on their way then, and this must not run among them.
 */
export function met(repo: Repo, stop?: AbortSignal): Promise<boolean> {
	if (repo.peers.length > 0) return Promise.resolve(!stop?.aborted);
	return new Promise((resolve) => {
		const timer = setTimeout(() => done(false), MEET_MS);
		const onPeer = () => done(!stop?.aborted);
		const onStop = () => done(false);
		function done(value: boolean) {
			clearTimeout(timer);
			repo.networkSubsystem.off('peer', onPeer);
			stop?.removeEventListener('abort', onStop);
			resolve(value);
		}
		repo.networkSubsystem.on('peer', onPeer);
		stop?.addEventListener('abort', onStop);
	});
}

/**
 * Takes a small document through the repository's paths, a step per idle moment. True when every
 * step ran; false when stopped (the resident tapped "Klaar": the real documents take these paths
 * now) or when one failed, which stands in nobody's way. Both repositories are shut down after;
 * their channels stay open until the page closes (the adapter of automerge-repo 2.5.6 cannot close
 * one), idle, on a name nobody else uses.
 */
export async function warmRepository(idle: Idle = whenIdle, stop?: AbortSignal): Promise<boolean> {
	const storage = { theirs: new MemoryStorage(), ours: new MemoryStorage() };
	let repos: Repo[] = [];
	const goOn = async () => {
		await idle();
		return !stop?.aborted;
	};
	try {
		if (!(await goOn())) return false;
		const channelName = `noaber-warm-${randomId()}`;
		const network = () => [new BroadcastChannelNetworkAdapter({ channelName, peerWaitMs: 100 })];
		// Another device's copy, as the relay's is, and the page's own.
		const [theirs, ours] = (repos = [new Repo({ storage: storage.theirs, network: network() }), new Repo({ storage: storage.ours, network: network() })]);
		const url = theirs.import(A.save(tinyDocument())).url;
		if (!(await goOn())) return false;
		// Asked before the two met, `find` gives up at once (unavailable): on a busy phone the
		// channel's first hello can take longer than the adapter waits for it.
		if (!(await met(ours, stop))) return false;
		const handle = await ours.find<{ count: number }>(url);
		handle.change((doc) => void (doc.count += 1));
		if (!(await goOn())) return false;
		await Promise.all([theirs.flush(), ours.flush()]);
		return storage.ours.saves > 0 && storage.theirs.saves > 0;
	} catch {
		return false;
	} finally {
		await Promise.all(repos.map((repo) => repo.shutdown())).catch(() => undefined);
	}
}
