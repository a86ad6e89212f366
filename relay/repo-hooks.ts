// automerge-repo 2.5.6 keeps what the relay must watch out of reach: each document's synchronizer
// (with a sync state per peer it ever met), the promises it starts without awaiting, and the
// messages it is still working on. These hooks make them visible without forking the library:
// they wrap the collection synchronizer's public fields of one Repo, never a shared prototype, so
// clients in the same process (tests) keep the stock behaviour.
import * as A from '@automerge/automerge/slim';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { Faults } from './faults.ts';

/** automerge-repo 2.5.6's DocHandle timeout (DocHandle.#timeoutDelay, not settable through Repo). */
export const UPSTREAM_SYNC_TIMEOUT_MS = 60_000;

type Listener = (...args: never[]) => void;

export interface Synchronizer {
	readonly documentId: string;
	beginSync(peerIds: string[]): Promise<void>;
	hasPeer(peerId: string): boolean;
	metrics(): { peers: string[] };
}

interface IncomingMessage {
	type: string;
	senderId: string;
	documentId?: string;
}

/** The parts of automerge-repo 2.5.6's CollectionSynchronizer (marked @hidden) the relay uses. */
interface Collection {
	docSynchronizers: Record<string, Synchronizer>;
	receiveMessage(message: IncomingMessage): Promise<void>;
	removeDocument(documentId: string): void;
	addDocument(handle: DocHandle<unknown>): void;
	readonly peers: string[];
	on(event: 'message', listener: (message: { documentId?: string; targetId?: string }) => void): unknown;
	on(event: 'open-doc', listener: (event: { documentId: string; peerId: string }) => void): unknown;
}

/** The handle listeners a synchronizer adds in its constructor and never removes (2.5.6). */
interface Owned {
	handle: DocHandle<unknown>;
	listeners: Array<[string, Listener]>;
}

export type Activity = (documentId: string) => void;

export class RepoHooks {
	readonly repo: Repo;
	#faults: Faults;
	#syncTimeoutMs: number;
	#owned = new WeakMap<Synchronizer, Owned>();
	#inFlight = new Map<string, number>();
	#timed = new WeakSet<DocHandle<unknown>>();
	#activity: Activity[] = [];
	#opened: Array<(documentId: string, peerId: string) => void> = [];
	#watching = new Map<string, Set<() => void>>();

	constructor(repo: Repo, faults: Faults, syncTimeoutMs = UPSTREAM_SYNC_TIMEOUT_MS) {
		this.repo = repo;
		this.#faults = faults;
		this.#syncTimeoutMs = syncTimeoutMs;
		const collection = this.collection;
		// Every synchronizer is stored here right after its constructor ran: the moment to catch what
		// it never catches itself, and to note which handle listeners are its own.
		collection.docSynchronizers = new Proxy(collection.docSynchronizers, {
			set: (target, key, value: Synchronizer) => {
				if (typeof key === 'string') this.#adopt(key, value);
				target[key as string] = value;
				return true;
			}
		});
		const receive = collection.receiveMessage.bind(collection);
		collection.receiveMessage = async (message) => {
			const documentId = message.documentId;
			if (documentId) this.#begin(documentId);
			try {
				await receive(message);
			} catch (error) {
				// The stock repo only prints these on stdout.
				this.#faults.record('receive-failed', error, { documentId, peer: message.senderId });
			} finally {
				if (documentId) this.#end(documentId);
			}
		};
		collection.on('message', (message) => {
			if (message.documentId) this.#touch(message.documentId);
		});
		collection.on('open-doc', ({ documentId, peerId }) => {
			for (const listener of this.#opened) listener(documentId, peerId);
		});
	}

	get collection(): Collection {
		return this.repo.synchronizer as unknown as Collection;
	}

	/** Called whenever a message for a document comes in or goes out. */
	onActivity(listener: Activity): void {
		this.#activity.push(listener);
	}

	/** Called when a document's synchronizer starts syncing with a peer (and keeps its sync state). */
	onOpened(listener: (documentId: string, peerId: string) => void): void {
		this.#opened.push(listener);
	}

	/** Messages for this document that automerge-repo is still working on. */
	inFlight(documentId: string): number {
		return this.#inFlight.get(documentId) ?? 0;
	}

	/**
	 * Resolves once the relay's copy of a document holds these changes, or after `ms`. Checked
	 * whenever a message for it is done with or goes out: applying a message is followed by both.
	 */
	holds(documentId: string, hashes: readonly string[], ms: number): Promise<void> {
		const held = () => {
			const handle = this.repo.handles[documentId as keyof Repo['handles']] as DocHandle<unknown> | undefined;
			return handle?.isReady() === true && A.hasHeads(handle.doc() as A.Doc<unknown>, [...hashes]);
		};
		if (held()) return Promise.resolve();
		return new Promise((resolve) => {
			const watchers = this.#watching.get(documentId) ?? new Set<() => void>();
			this.#watching.set(documentId, watchers);
			const done = () => {
				clearTimeout(timer);
				watchers.delete(check);
				if (watchers.size === 0 && this.#watching.get(documentId) === watchers) this.#watching.delete(documentId);
				resolve();
			};
			const check = () => {
				if (held()) done();
			};
			const timer = setTimeout(done, ms);
			timer.unref();
			watchers.add(check);
		});
	}

	/** Counts as work in flight on these documents (so they are not unloaded) until the returned function is called. */
	hold(documentIds: readonly string[]): () => void {
		for (const id of documentIds) this.#begin(id);
		let held = true;
		return () => {
			if (!held) return;
			held = false;
			for (const id of documentIds) this.#end(id);
		};
	}

	synchronizer(documentId: string): Synchronizer | undefined {
		return this.collection.docSynchronizers[documentId];
	}

	/**
	 * Replaces a ready document's synchronizer by a fresh one, which drops the sync states of every
	 * peer the old one met: automerge-repo 2.5.6 never forgets a peer's sync state (a browser is a
	 * new peer on every page load). Peers still connected start again from their saved sync state
	 * (or a fresh one), which costs one extra round of sync messages and loses nothing.
	 */
	recycle(documentId: string): boolean {
		const old = this.synchronizer(documentId);
		const handle = this.repo.handles[documentId as keyof Repo['handles']] as DocHandle<unknown> | undefined;
		if (!old || !handle?.isReady() || this.inFlight(documentId) > 0) return false;
		this.#release(old);
		this.collection.removeDocument(documentId);
		this.collection.addDocument(handle);
		return true;
	}

	/** Drops a synchronizer's own listeners, so the handle no longer keeps it (and its sync states). */
	release(documentId: string): void {
		const synchronizer = this.synchronizer(documentId);
		if (synchronizer) this.#release(synchronizer);
	}

	#release(synchronizer: Synchronizer) {
		const owned = this.#owned.get(synchronizer);
		if (!owned) return;
		for (const [event, listener] of owned.listeners) owned.handle.off(event as never, listener as never);
		this.#owned.delete(synchronizer);
	}

	#adopt(documentId: string, synchronizer: Synchronizer) {
		const handle = this.repo.handles[documentId as keyof Repo['handles']] as DocHandle<unknown> | undefined;
		if (handle) {
			// DocSynchronizer's constructor (2.5.6) adds exactly these two, last, and never removes them.
			const listeners: Array<[string, Listener]> = [];
			for (const event of ['change', 'ephemeral-message-outbound'] as const) {
				const last = handle.listeners(event).at(-1) as Listener | undefined;
				if (last) listeners.push([event, last]);
			}
			this.#owned.set(synchronizer, { handle, listeners });
			this.#shortenTimeout(handle);
		}
		// automerge-repo 2.5.6 calls `void docSynchronizer.beginSync(...)`, and beginSync awaits
		// `handle.whenReady()` with a timeout: a peer that announced a document the relay does not
		// have and then left makes it reject 60 s later, and Node exits on the unhandled rejection.
		const beginSync = synchronizer.beginSync.bind(synchronizer);
		synchronizer.beginSync = (peerIds) =>
			beginSync(peerIds).catch((error: unknown) => {
				const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
				const timedOut = name === 'AbortError' || name === 'TimeoutError';
				this.#faults.record(timedOut ? 'sync-timeout' : 'sync-failed', error, { documentId });
			});
	}

	/**
	 * How long the relay waits for a document a peer announced. automerge-repo 2.5.6 fixes it at
	 * 60 s (a DocHandle option the Repo never passes); a shorter wait is given to `whenReady` as an
	 * abort signal, which upstream turns into its own AbortError and cleans up after.
	 */
	#shortenTimeout(handle: DocHandle<unknown>) {
		const ms = this.#syncTimeoutMs;
		if (ms >= UPSTREAM_SYNC_TIMEOUT_MS || this.#timed.has(handle)) return;
		this.#timed.add(handle);
		const whenReady = handle.whenReady.bind(handle);
		handle.whenReady = (states, options) => {
			if (options?.signal) return whenReady(states, options);
			const controller = new AbortController();
			const timer = setTimeout(() => controller.abort(Object.assign(new Error(`no document after ${ms} ms`), { name: 'AbortError' })), ms);
			timer.unref();
			return whenReady(states, { ...options, signal: controller.signal }).finally(() => clearTimeout(timer));
		};
	}

	#touch(documentId: string) {
		for (const listener of this.#activity) listener(documentId);
		for (const check of this.#watching.get(documentId) ?? []) check();
	}

	#begin(documentId: string) {
		this.#inFlight.set(documentId, this.inFlight(documentId) + 1);
		this.#touch(documentId);
	}

	#end(documentId: string) {
		const left = this.inFlight(documentId) - 1;
		if (left > 0) this.#inFlight.set(documentId, left);
		else this.#inFlight.delete(documentId);
		this.#touch(documentId);
	}
}
