// "Nobody honest gets stuck": when the relay refuses changes this device sent (its role was taken
// away while it was offline, say), it says so with a notice (rules/refusal.ts) on that document.
// This takes the refused changes out of the repository's copy, on screen and in storage, keeps the
// person's later edits (rebase.ts), so the next sync carries only what the relay will take, and
// tells what was not passed on (`told`). Plain TypeScript: the documents worker, which changes
// documents for the pages (background-repo.ts), takes its refused changes out with it too.
import { decodeHeads, type DocumentId, type PeerId, type Repo, type RepoMessage, type StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { ERASED_RULE, readRefusal, type RefusalNotice } from '../rules/refusal.ts';
import { rebase } from './rebase.ts';
import type { RefusedEntry } from './refused-list.ts';
import { replaceDocument } from './replace-stored.ts';

export interface RefusedChangesOptions {
	repo: Repo;
	/** The repo's own storage adapter: the stored copy must lose the refused changes too. */
	storage?: StorageAdapterInterface;
	/** Only the relay's own notices count: it passes on other peers' ephemeral messages too. */
	isRelay: (peerId: PeerId) => boolean;
	/**
	 * Heads of the document at the neighbourhood's other relays. A change one relay took was judged
	 * there, from its author's device; another relay that refuses it because this device passed it
	 * on (it came here while that relay was down) is no reason to take it out (relay-sockets.ts).
	 */
	acceptedElsewhere?: (documentId: DocumentId) => string[];
	/** Told of each refusal once its changes are out: the person gets to read it. */
	told: (entry: RefusedEntry) => void;
	now?: () => Date;
}

export class RefusedChanges {
	#options: RefusedChangesOptions;
	#queue: Promise<void> = Promise.resolve();

	constructor(options: RefusedChangesOptions) {
		this.#options = options;
		options.repo.networkSubsystem.on('message', this.#onMessage);
	}

	#onMessage = (message: RepoMessage) => {
		if (message.type !== 'ephemeral' || !this.#options.isRelay(message.senderId)) return;
		const notice = readRefusal(message.data);
		if (!notice) return;
		// A copy from before an erasure is replaced by the relay's (erase/catch-up.ts, which hears this
		// notice too). Taking the change out here would rebuild the old copy, erased values and all,
		// under new hashes the catch-up no longer recognises: it would never be replaced, nor sync again.
		if (notice.rule === ERASED_RULE) return;
		// One at a time: two notices for one document must not rebase the same old copy twice.
		const relay = message.senderId;
		this.#queue = this.#queue.then(() => this.#takeOut(message.documentId, notice, relay)).catch(() => undefined);
	};

	async #takeOut(documentId: DocumentId, notice: RefusalNotice, relay: PeerId): Promise<void> {
		const { repo, storage } = this.#options;
		const handle = repo.handles[documentId];
		if (!handle?.isReady()) return;
		// What the relay has already taken stays, whoever claims otherwise.
		const storageId = repo.getStorageIdOfPeer(relay);
		const synced = storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
		const elsewhere = this.#options.acceptedElsewhere?.(documentId) ?? [];
		const result = rebase(handle.doc(), notice.changes, { relayHeads: [...(synced ? decodeHeads(synced) : []), ...elsewhere] });
		// Already taken out (a repeat, or another tab was first): nothing new to tell.
		if (!result.dropped.some((d) => d.refused)) return;
		const refusedAt = Math.min(...result.dropped.filter((d) => d.refused).map((d) => d.time));
		try {
			await replaceDocument(
				repo,
				storage,
				handle,
				result.doc,
				result.dropped.map((d) => d.hash)
			);
		} finally {
			// Told even when storage failed: on screen the change is out, and a restart that brings it
			// back from storage gets the notice again.
			this.#options.told({
				id: [...notice.changes].sort()[0]!,
				documentId,
				rule: notice.rule,
				...(notice.path ? { path: notice.path } : {}),
				count: result.dropped.length,
				// When the person made it (Automerge counts seconds); a device without a clock says 0.
				at: (refusedAt > 0 ? new Date(refusedAt * 1000) : (this.#options.now?.() ?? new Date())).toISOString()
			});
		}
	}

	/** Resolves once every notice received so far has been handled. */
	settled(): Promise<void> {
		return this.#queue;
	}

	stop(): void {
		this.#options.repo.networkSubsystem.off('message', this.#onMessage);
	}
}
