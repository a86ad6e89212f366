// Whether this device has written what it holds open to its own storage. automerge-repo writes a
// document a moment after it changed, and a cheap phone that just joined had written only part of
// a ten-year agenda ten seconds later (bench/member-device.ts). The status line must not say
// "Bijgewerkt met de buurt" before then: a resident who closes the app at that word and opens it
// offline would find part of the neighbourhood missing.
import type { Chunk, DocHandle, DocumentId, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim';
import { headsKey } from './heads.ts';

/** The part of a repository this needs: automerge-repo's `Repo.flush` writes what is not yet written. */
export interface Flushing {
	flush(documents?: DocumentId[]): Promise<void>;
}

/**
 * The repository's storage, counting the writes under way. The repository writes a document
 * 100 ms after it changed and does not say when that write is done; writing the same document
 * again meanwhile would do the work twice (a whole year of the agenda, on a slow phone).
 */
export class WatchedStorage implements StorageAdapterInterface {
	readonly #inner: StorageAdapterInterface;
	#writing = 0;
	#quiet: (() => void)[] = [];

	constructor(inner: StorageAdapterInterface) {
		this.#inner = inner;
	}

	/** Resolves once no write is under way, and what came after the last one ran. */
	quiet(): Promise<void> {
		return this.#writing === 0 ? Promise.resolve() : new Promise((resolve) => this.#quiet.push(resolve));
	}

	async #counted<T>(write: Promise<T>): Promise<T> {
		this.#writing += 1;
		try {
			return await write;
		} finally {
			this.#writing -= 1;
			// In a later task: the repository notes what it wrote (or starts its next write) only
			// after the write returned, and a check before then would write the same again.
			if (this.#writing === 0) setTimeout(() => this.#settled(), 0);
		}
	}

	#settled() {
		if (this.#writing === 0) for (const resolve of this.#quiet.splice(0)) resolve();
	}

	load(key: StorageKey): Promise<Uint8Array | undefined> {
		return this.#inner.load(key);
	}
	loadRange(prefix: StorageKey): Promise<Chunk[]> {
		return this.#inner.loadRange(prefix);
	}
	save(key: StorageKey, data: Uint8Array): Promise<void> {
		return this.#counted(this.#inner.save(key, data));
	}
	remove(key: StorageKey): Promise<void> {
		return this.#counted(this.#inner.remove(key));
	}
	removeRange(prefix: StorageKey): Promise<void> {
		return this.#counted(this.#inner.removeRange(prefix));
	}
}

export class StoredOnDevice {
	/** Per handle, the heads last known written; a handle's heads change with every change. */
	#written = new WeakMap<DocHandle<unknown>, string>();
	#checking = false;
	readonly #repo: Flushing;
	readonly #storage: WatchedStorage;
	readonly #settleMs: number;
	readonly #listeners = new Set<() => void>();

	/** `settleMs`: longer than the repository waits before it writes a change (100 ms by default). */
	constructor(repo: Flushing, storage: WatchedStorage, settleMs = 300) {
		this.#repo = repo;
		this.#storage = storage;
		this.#settleMs = settleMs;
	}

	/** Calls back when a check this started is done: time to ask `holds` again. */
	onWritten(listener: () => void): void {
		this.#listeners.add(listener);
	}

	/**
	 * Whether every one of these (ready) documents is written as it is now. When not, lets the
	 * repository's own writes finish, writes what is still missing, and calls back once done.
	 */
	holds(handles: DocHandle<unknown>[]): boolean {
		const unwritten = handles.filter((handle) => this.#written.get(handle) !== headsKey(handle));
		if (unwritten.length === 0) return true;
		if (!this.#checking) void this.#write(unwritten);
		return false;
	}

	async #write(handles: DocHandle<unknown>[]) {
		this.#checking = true;
		await new Promise((resolve) => setTimeout(resolve, this.#settleMs));
		await this.#storage.quiet();
		// The heads as they are now are what the flush writes at least; a later change asks again.
		const heads = handles.map((handle) => [handle, headsKey(handle)] as const);
		try {
			// Only what the repository has not written yet is written; the rest costs a comparison.
			await this.#repo.flush(handles.map((handle) => handle.documentId));
		} catch {
			// Storage that refuses to write (full, or taken away) would keep the status line waiting
			// for ever; the relay has the documents, so it says what it said before this check.
		}
		for (const [handle, written] of heads) this.#written.set(handle, written);
		this.#checking = false;
		for (const listener of this.#listeners) listener();
	}
}
