// Durable before shared: the relay passes a change on only once it is on the relay's disk.
//
// automerge-repo 2.5.6 forwards a change to the other peers at once and saves it up to 100 ms
// later (a throttled save): a crash in between lost changes that other residents had already
// seen (8.4 % of them in 20 kill -9 rounds). This outbox sits in the server adapter's `send`. A
// sync message of a document whose current state is not yet on disk waits until one save has
// written it; every message that waited meanwhile goes out after that same save.
//
// What "on disk" means: the save has handed every byte to the kernel (storage.ts), which a kill -9
// cannot take back. A save writes one new incremental chunk, or, when those outgrow the snapshot,
// a new snapshot first and only then removes the chunks it replaces (StorageSubsystem, 2.5.6): a
// crash in between leaves both, and loading merges them, so no save ever puts stored data at risk.
import { decodeSyncMessage, getHeads } from '@automerge/automerge/slim';
import type { DocumentId, Message, Repo } from '@automerge/automerge-repo/slim';
import type { Logger } from './log.ts';

/** What the outbox needs from the relay's storage (GuardedStorage in storage.ts). */
export interface Stored {
	/** Resolves once every content chunk of the document that was asked to be written is on disk. */
	whenStored(documentId: string): Promise<void>;
}

interface Queue {
	/** Messages in the order the repo sent them, each delivered only if its peer is still there. */
	messages: Array<() => void>;
	saving: boolean;
}

/** How long a failed save waits before it is tried again (a save that throws, not a full disk). */
const RETRY_MS = 1000;

export class DurableOutbox {
	readonly #repo: Repo;
	readonly #storage: Stored;
	readonly #log: Logger;
	readonly #connectionOf: (peerId: string) => unknown;
	/** Documents with messages waiting for a save; a document leaves when its queue empties. */
	#queues = new Map<DocumentId, Queue>();
	/** The heads last confirmed on disk, per document: messages of a document at these heads pass. */
	#stored = new Map<DocumentId, string>();
	/**
	 * A document's heads, per version of it: one change fans out to every reader, and each of
	 * those messages asks whether the version it carries is stored.
	 */
	#heads = new WeakMap<object, string>();

	/**
	 * `connectionOf` names the connection a peer id is on: a message that waited is dropped when its
	 * peer has left or come back on another connection (that one starts a sync of its own).
	 */
	constructor(repo: Repo, storage: Stored, log: Logger, connectionOf: (peerId: string) => unknown) {
		this.#repo = repo;
		this.#storage = storage;
		this.#log = log;
		this.#connectionOf = connectionOf;
	}

	/** Number of messages waiting for their document to be saved (for tests and a later /metrics). */
	get waiting(): number {
		let count = 0;
		for (const queue of this.#queues.values()) count += queue.messages.length;
		return count;
	}

	/** Delivers the message now or once its document's current state is on disk. */
	send(message: Message, deliver: (message: Message) => void): void {
		const documentId = 'documentId' in message ? (message.documentId as DocumentId | undefined) : undefined;
		if (documentId === undefined) return deliver(message);
		const queue = this.#queues.get(documentId);
		// Anything about a document with messages waiting queues behind them: per peer and per
		// document, messages keep their order.
		if (queue === undefined && (message.type !== 'sync' || this.#isStored(documentId, message))) return deliver(message);
		const connection = this.#connectionOf(message.targetId);
		const later = () => {
			if (this.#connectionOf(message.targetId) === connection) deliver(message);
		};
		if (queue) {
			queue.messages.push(later);
			return;
		}
		this.#queues.set(documentId, { messages: [later], saving: false });
		void this.#save(documentId);
	}

	#current(documentId: DocumentId) {
		const handle = this.#repo.handles[documentId];
		// A handle still asking its peers has nothing of its own to lose.
		return handle?.isReady() ? handle.doc() : undefined;
	}

	#headsOf(doc: object): string {
		let heads = this.#heads.get(doc);
		if (heads === undefined) {
			heads = getHeads(doc as Parameters<typeof getHeads>[0]).join();
			this.#heads.set(doc, heads);
		}
		return heads;
	}

	#isStored(documentId: DocumentId, message: Message): boolean {
		const doc = this.#current(documentId);
		if (doc !== undefined) return this.#stored.get(documentId) === this.#headsOf(doc);
		// automerge-repo 2.5.6 answers the first changes of a document new to the relay from inside
		// `handle.update`, before the handle turns ready: that answer already announces the new
		// heads (the sender then counts its change as on the relay) while nothing is saved yet.
		// Judged by what it announces, it waits like any other; heads-only requests pass.
		return !('data' in message && message.data instanceof Uint8Array) || decodeSyncMessage(message.data).heads.length === 0;
	}

	/** The document once its handle is ready: at once, or after the update underway (see #isStored). */
	async #ready(documentId: DocumentId) {
		const handle = this.#repo.handles[documentId];
		if (handle && !handle.isReady() && !handle.inState(['deleted', 'unloaded'])) await handle.whenReady(['ready', 'unavailable', 'deleted', 'unloaded']);
		return this.#current(documentId);
	}

	/**
	 * One save at a time per document, so documents never wait for each other. A save covers every
	 * message queued before it began, because a sync message carries nothing the document did not
	 * already hold when it was sent.
	 */
	async #save(documentId: DocumentId): Promise<void> {
		const queue = this.#queues.get(documentId);
		if (!queue || queue.saving) return;
		queue.saving = true;
		const covered = queue.messages.length;
		try {
			const doc = await this.#ready(documentId);
			if (doc !== undefined) {
				const heads = this.#headsOf(doc);
				// Writes only what changed since the last save (or nothing); the same call the repo's
				// throttled save makes, and automerge-repo orders concurrent saves of one document
				// (a chunk both happen to write twice is not held as unstored: storage.ts).
				await this.#repo.storageSubsystem?.saveDoc(documentId, doc);
				// Written, or waiting in the backlog of a full disk until it is.
				await this.#storage.whenStored(documentId);
				this.#stored.set(documentId, heads);
			}
		} catch (error) {
			// No document id in the log: it lets whoever reads it ask the relay for the document.
			this.#log.error({ code: (error as NodeJS.ErrnoException | undefined)?.code, reason: (error as Error | undefined)?.name }, 'saving a document before sharing it failed; retrying');
			queue.saving = false;
			setTimeout(() => void this.#save(documentId), RETRY_MS).unref();
			return;
		}
		queue.saving = false;
		for (const deliver of queue.messages.splice(0, covered)) {
			try {
				deliver();
			} catch (error) {
				this.#log.warn({ reason: (error as Error | undefined)?.message }, 'sending a saved change failed');
			}
		}
		if (queue.messages.length === 0) this.#queues.delete(documentId);
		else void this.#save(documentId);
	}
}
