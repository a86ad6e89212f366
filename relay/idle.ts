// Documents nobody used for a while leave the relay's memory and come back from disk when a peer
// asks for them again. Without this the relay holds every document it ever served (one member
// writing 600 MB took it from 120 MB to 3.4 GB).
//
// automerge-repo 2.5.6 has `repo.removeFromCache` (experimental). Read as it is, it replaces the
// saved document with an empty one: `handle.unload()` empties the handle's document, the handle
// emits "heads-changed" for that, and the repo's save listener writes the empty document, which
// for a small document compacts away every saved chunk. It also waits (up to the sync timeout) on
// a handle that is not ready, and throws for one that is unavailable. So it is used only for a
// ready handle, after the document is on disk, with no message for it in flight, and after every
// listener is taken off the handle, so the emptying reaches neither storage nor any peer.
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { sep } from 'node:path';
import type { Faults } from './faults.ts';
import type { Logger } from './log.ts';
import type { RepoHooks } from './repo-hooks.ts';
import { documentIdIn } from './find-release.ts';

/** A storage adapter that keeps a copy of every chunk it saved (NodeFSStorageAdapter 2.5.6, a private field in its types). */
interface ChunkCache {
	cache?: Record<string, unknown>;
}

export interface IdleState {
	/** Documents in memory (handles the repo holds). */
	loaded: number;
	/** Documents unloaded since the relay started. */
	unloaded: number;
	/** Chunks the storage adapter holds in memory. */
	cachedChunks: number;
}

type Handle = DocHandle<unknown>;

export class IdleUnloader {
	#repo: Repo;
	#hooks: RepoHooks;
	#faults: Faults;
	#log: Logger;
	#idleMs: number;
	#storage: ChunkCache;
	#lastUsed = new Map<string, number>();
	#timer: NodeJS.Timeout | undefined;
	#sweeping: Promise<void> | undefined;
	#unloaded = 0;
	#collect: (() => void) | undefined;

	/** `collect`: asked after a sweep that unloaded documents (collector.ts). */
	constructor(repo: Repo, hooks: RepoHooks, options: { idleMs: number; storage: object; faults: Faults; log: Logger; collect?: () => void }) {
		this.#repo = repo;
		this.#hooks = hooks;
		this.#faults = options.faults;
		this.#log = options.log;
		this.#idleMs = options.idleMs;
		this.#storage = options.storage as ChunkCache;
		this.#collect = options.collect;
		hooks.onActivity((documentId) => this.#lastUsed.set(documentId, Date.now()));
		// The relay's own readers (calendar feeds, setup) count as use too.
		const find = repo.find.bind(repo);
		repo.find = ((id: Parameters<Repo['find']>[0], options?: Parameters<Repo['find']>[1]) => {
			this.#lastUsed.set(documentIdIn(id), Date.now());
			return find(id, options);
		}) as Repo['find'];
	}

	start(): void {
		const every = Math.max(100, Math.min(30_000, Math.floor(this.#idleMs / 2)));
		this.#timer = setInterval(() => void this.sweep(), every);
		this.#timer.unref();
	}

	stop(): Promise<void> {
		clearInterval(this.#timer);
		return this.#sweeping ?? Promise.resolve();
	}

	/** Unloads every document idle for long enough; one sweep at a time. */
	sweep(): Promise<void> {
		this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
		return this.#sweeping;
	}

	state(): IdleState {
		return {
			loaded: Object.keys(this.#repo.handles).length,
			unloaded: this.#unloaded,
			cachedChunks: Object.keys(this.#storage.cache ?? {}).length
		};
	}

	#idle(documentId: string, now = Date.now()): boolean {
		const last = this.#lastUsed.get(documentId);
		if (last === undefined) {
			// First seen by this sweep (created by the relay itself): give it a full idle period.
			this.#lastUsed.set(documentId, now);
			return false;
		}
		return now - last >= this.#idleMs && this.#hooks.inFlight(documentId) === 0;
	}

	async #sweep() {
		const before = this.#unloaded;
		for (const [documentId, handle] of Object.entries(this.#repo.handles) as Array<[string, Handle]>) {
			if (!this.#idle(documentId)) continue;
			try {
				if (handle.isReady()) await this.#unload(documentId, handle);
				else if (handle.state === 'unavailable') this.#forgetUnavailable(documentId, handle);
			} catch (error) {
				this.#faults.record('unload-failed', error, { documentId });
			}
		}
		for (const documentId of this.#lastUsed.keys()) {
			if (!(documentId in this.#repo.handles)) this.#lastUsed.delete(documentId);
		}
		if (this.#unloaded > before) this.#collect?.();
	}

	async #unload(documentId: string, handle: Handle) {
		// On disk first. If that fails (a full disk), the document stays in memory and nothing is lost.
		await this.#repo.flush([documentId as never]);
		// Anything may have happened while writing: look again, and from here on stay synchronous up
		// to removeFromCache, so no incoming message can reach the handle in between.
		const current = this.#repo.handles[documentId as keyof Repo['handles']] as Handle | undefined;
		if (current !== handle || !handle.isReady() || !this.#idle(documentId)) return;
		this.#hooks.release(documentId);
		// Takes off the repo's save listener: unload() empties the document and would save that.
		handle.removeAllListeners();
		this.#forgetChunks(documentId);
		await this.#repo.removeFromCache(documentId as never);
		this.#lastUsed.delete(documentId);
		this.#unloaded += 1;
		this.#log.debug({ documentId }, 'idle document unloaded');
	}

	/**
	 * A document a peer announced but never delivered (the peer left): removeFromCache throws for
	 * these in 2.5.6, so the handle is dropped from the repo's cache directly. `repo.handles` is the
	 * cache itself in 2.5.6. A later request starts afresh.
	 */
	#forgetUnavailable(documentId: string, handle: Handle) {
		this.#hooks.release(documentId);
		handle.removeAllListeners();
		this.#hooks.collection.removeDocument(documentId);
		delete this.#repo.handles[documentId as keyof Repo['handles']];
		this.#lastUsed.delete(documentId);
	}

	/** NodeFSStorageAdapter 2.5.6 keeps every chunk it ever saved in memory; an unloaded one reads from disk. */
	#forgetChunks(documentId: string) {
		const cache = this.#storage.cache;
		if (!cache) return;
		const prefix = `${documentId}${sep}`;
		for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
	}
}
