// The relay's document storage, made to survive a full disk and a kill -9.
//
// automerge-repo 2.5.6 calls the storage adapter from a throttled save whose promise nobody
// awaits: one ENOSPC from `save` is an unhandled rejection and the relay exits. Here a failed write
// never reaches automerge-repo. It is kept in memory (a backlog, replayed in order when the disk
// takes writes again), the relay says loudly that it has become read-only, and the durable outbox
// (durable.ts) keeps every change that is only in the backlog from reaching another peer.
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import type { Logger } from './log.ts';

/**
 * NodeFSStorageAdapter (2.5.6) writes a chunk straight into its final file: a kill -9 or ENOSPC
 * halfway leaves a truncated chunk that is loaded with the whole document at the next start. Here a
 * chunk is written beside the documents and renamed into place, so a chunk file is whole or absent.
 *
 * A write counts as done when `writeFile` has handed every byte to the kernel: the page cache
 * survives the death of the process (kill -9, a crash), which is what the relay promises. It does
 * not survive a power cut; that would need an fsync per save, and clients still hold their changes.
 */
export class AtomicFSStorageAdapter extends NodeFSStorageAdapter {
	readonly #base: string;
	readonly #partial: string;
	/** Folders known to exist: a save is then two system calls fewer. */
	#folders = new Set<string>();

	constructor(baseDirectory: string) {
		super(baseDirectory);
		this.#base = baseDirectory;
		// Not a document folder: those are two base58 characters, which never include a dot.
		this.#partial = join(baseDirectory, '.partial');
		// Left over from a relay killed mid-write; never read as a chunk.
		rmSync(this.#partial, { recursive: true, force: true });
	}

	override async save(keyArray: StorageKey, binary: Uint8Array): Promise<void> {
		// The parent's file layout (its getFilePath is private): <2 chars>/<rest of the id>/<key…>.
		const [first, ...rest] = keyArray;
		const target = join(this.#base, first.slice(0, 2), first.slice(2), ...rest);
		const temporary = join(this.#partial, randomBytes(8).toString('hex'));
		for (let attempt = 1; ; attempt++) {
			try {
				await this.#folder(this.#partial);
				await this.#folder(dirname(target));
				await writeFile(temporary, binary);
				await rename(temporary, target);
				// As the parent does (its cache is private): later loads of the key come from memory.
				(this as unknown as { cache: Record<string, Uint8Array> }).cache[join(...keyArray)] = binary;
				return;
			} catch (error) {
				await rm(temporary, { force: true }).catch(() => undefined);
				// A folder remembered as made was removed since (removeRange): make it again, once.
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 1) throw error;
				this.#folders.clear();
			}
		}
	}

	async #folder(folder: string) {
		if (this.#folders.has(folder)) return;
		await mkdir(folder, { recursive: true });
		this.#folders.add(folder);
	}
}

/** What the relay tells a client whose change it cannot store. Documented in the README. */
export const STORAGE_REFUSED = 4507;

type Operation = { kind: 'save'; key: StorageKey; data: Uint8Array } | { kind: 'remove'; key: StorageKey } | { kind: 'removeRange'; key: StorageKey };

const keyString = (key: StorageKey) => key.join('/');
const isUnder = (key: StorageKey, prefix: StorageKey) => prefix.every((part, i) => key[i] === part);
/** Only these hold a document's content; sync states and the storage id can wait without harm. */
const isContent = (key: StorageKey) => key[1] === 'snapshot' || key[1] === 'incremental';

export interface GuardedStorageOptions {
	log: Logger;
	/** How often a backlog is tried again while the disk refuses writes. */
	retryMs?: number;
}

/**
 * Wraps the storage adapter so that a refused write (ENOSPC, EDQUOT, EROFS, EIO, anything) leaves the
 * relay running read-only instead of stopping it. Nothing is dropped: failed and later writes wait
 * in memory and are replayed, saves before removals, until the disk takes them.
 */
export class GuardedStorage implements StorageAdapterInterface {
	readonly #inner: StorageAdapterInterface;
	readonly #log: Logger;
	readonly #retryMs: number;
	/** Latest operation per key, in the order they were asked for; empty while writable. */
	#backlog = new Map<string, Operation>();
	#failure: string | undefined;
	#retry: NodeJS.Timeout | undefined;
	#replaying: Promise<void> | undefined;
	/**
	 * Content chunks this storage has written and not removed since. Their keys name their content
	 * (an incremental by a hash of its bytes, a snapshot by a hash of its heads), so writing one
	 * again adds nothing: while read-only it need not wait in the backlog.
	 */
	#written = new Set<string>();
	/** Documents whose content is only in the backlog, with who waits for them to reach the disk. */
	#waiting = new Map<string, Array<() => void>>();
	#closed = false;

	constructor(inner: StorageAdapterInterface, options: GuardedStorageOptions) {
		this.#inner = inner;
		this.#log = options.log;
		this.#retryMs = options.retryMs ?? 5000;
	}

	/** False while the disk refuses writes: the relay then takes no changes from clients. */
	get writable(): boolean {
		return this.#failure === undefined;
	}

	/** The error code of the write that failed (ENOSPC, EROFS, …), while not writable. */
	get failure(): string | undefined {
		return this.#failure;
	}

	/**
	 * Whether every content chunk of this document that was asked to be written is on disk. A removal
	 * that waits loses nothing: the snapshot that replaces the chunk was written first.
	 */
	isStored(documentId: string): boolean {
		if (this.writable) return true;
		for (const operation of this.#backlog.values()) if (operation.kind === 'save' && operation.key[0] === documentId && isContent(operation.key)) return false;
		return true;
	}

	/** Resolves once `isStored(documentId)`. */
	whenStored(documentId: string): Promise<void> {
		if (this.isStored(documentId)) return Promise.resolve();
		return new Promise((resolve) => {
			const list = this.#waiting.get(documentId) ?? [];
			list.push(resolve);
			this.#waiting.set(documentId, list);
		});
	}

	async load(key: StorageKey): Promise<Uint8Array | undefined> {
		const pending = this.#backlog.get(keyString(key));
		if (pending?.kind === 'save') return pending.data;
		if (pending || this.#removedByRange(key)) return undefined;
		return this.#inner.load(key);
	}

	async loadRange(prefix: StorageKey): Promise<Chunk[]> {
		const chunks = new Map<string, Chunk>();
		for (const chunk of await this.#inner.loadRange(prefix)) {
			if (!this.#removedByRange(chunk.key)) chunks.set(keyString(chunk.key), chunk);
		}
		for (const [key, operation] of this.#backlog) {
			if (operation.kind === 'removeRange' || !isUnder(operation.key, prefix)) continue;
			if (operation.kind === 'save') chunks.set(key, { key: operation.key, data: operation.data });
			else chunks.delete(key);
		}
		return [...chunks.values()];
	}

	save(key: StorageKey, data: Uint8Array): Promise<void> {
		return this.#do({ kind: 'save', key, data });
	}

	remove(key: StorageKey): Promise<void> {
		return this.#do({ kind: 'remove', key });
	}

	removeRange(key: StorageKey): Promise<void> {
		return this.#do({ kind: 'removeRange', key });
	}

	/** Stops retrying (the relay is stopping); what is still in the backlog is reported. */
	close(): void {
		this.#closed = true;
		clearTimeout(this.#retry);
		if (this.#backlog.size > 0) this.#log.error({ pending: this.#backlog.size, code: this.#failure }, 'relay stopped with writes its disk refused');
	}

	#removedByRange(key: StorageKey): boolean {
		for (const operation of this.#backlog.values()) if (operation.kind === 'removeRange' && isUnder(key, operation.key)) return true;
		return false;
	}

	async #do(operation: Operation): Promise<void> {
		if (this.writable) {
			try {
				await this.#apply(operation);
				return;
			} catch (error) {
				this.#becomeReadOnly(error);
			}
		}
		this.#queue(operation);
	}

	#queue(operation: Operation) {
		const key = keyString(operation.key);
		// automerge-repo 2.5.6 can save the same heads twice (the repo's throttled save and the
		// outbox's run side by side, and each records its heads only when its write is done): the
		// second copy of a chunk already on disk would otherwise hold the document back as unstored.
		if (operation.kind === 'save' && this.#written.has(key) && !this.#backlog.has(key) && !this.#removedByRange(operation.key)) return;
		// Whatever a range removal covers is gone: saves in the backlog after it are all newer.
		if (operation.kind === 'removeRange') for (const [k, o] of this.#backlog) if (isUnder(o.key, operation.key)) this.#backlog.delete(k);
		// The latest operation on a key is the only one that matters; it moves to the end.
		this.#backlog.delete(key);
		this.#backlog.set(key, operation);
	}

	async #apply(operation: Operation): Promise<void> {
		const key = keyString(operation.key);
		if (operation.kind === 'save') {
			await this.#inner.save(operation.key, operation.data);
			if (isContent(operation.key)) this.#written.add(key);
		} else if (operation.kind === 'remove') {
			await this.#inner.remove(operation.key);
			this.#written.delete(key);
		} else {
			await this.#inner.removeRange(operation.key);
			for (const written of this.#written) if (written === key || written.startsWith(`${key}/`)) this.#written.delete(written);
		}
	}

	#becomeReadOnly(error: unknown) {
		if (this.#failure !== undefined) return;
		const failed = error as NodeJS.ErrnoException | undefined;
		this.#failure = failed?.code ?? 'EUNKNOWN';
		// Once per state change, not per write: the operator has one thing to fix. No message: it
		// names the file, whose name is a document id, and a document id lets a peer ask for it.
		this.#log.error(
			{ code: this.#failure, syscall: failed?.syscall },
			'relay storage refuses writes: the relay is read-only and refuses changes until it can write again'
		);
		this.#scheduleRetry();
	}

	#scheduleRetry() {
		if (this.#closed) return;
		clearTimeout(this.#retry);
		this.#retry = setTimeout(() => void this.#replay(), this.#retryMs);
		this.#retry.unref();
	}

	#replay(): Promise<void> {
		return (this.#replaying ??= (async () => {
			try {
				// In order, but chunk removals last: a compaction deletes the chunks its snapshot
				// replaces, and a crash in between must find the snapshot already written. Extra
				// chunks are harmless; Automerge loads a change it already has as a no-op.
				const ordered = [...this.#backlog.values()].sort((a, b) => Number(a.kind === 'remove') - Number(b.kind === 'remove'));
				for (const operation of ordered) {
					await this.#apply(operation);
					const key = keyString(operation.key);
					// A newer operation on the same key may have arrived meanwhile: keep that one.
					if (this.#backlog.get(key) === operation) this.#backlog.delete(key);
				}
			} catch {
				this.#scheduleRetry();
				return;
			} finally {
				this.#replaying = undefined;
			}
			if (this.#backlog.size > 0) return void this.#replay();
			const was = this.#failure;
			this.#failure = undefined;
			this.#log.warn({ code: was }, 'relay storage writes again: the relay takes changes again');
			for (const [documentId, resolvers] of this.#waiting) {
				this.#waiting.delete(documentId);
				for (const resolve of resolvers) resolve();
			}
		})());
	}
}
