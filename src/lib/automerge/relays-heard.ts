// What the relays a repository reaches have told it: which documents each lacks, and which
// changes each holds. The page's repository (synced-repo.svelte.ts: the status line, "wordt
// geopend") and the documents worker's (background-repo.ts) read documents' whereabouts the same way.
import { decodeHeads, type DocHandle, type DocumentId, type PeerId, type Repo } from '@automerge/automerge-repo/slim';
import type { RelaySocket } from './relay-socket.ts';
import type { RelaySockets } from './relay-sockets.ts';
import { headsKey, sortedKey } from './heads.ts';

export class RelaysHeard {
	readonly #repo: Repo;
	readonly #sockets: RelaySockets;
	/** Per relay (its peer id): the documents it said it does not have, since it connected. */
	readonly #lacking = new Map<string, Set<string>>();
	readonly #listeners = new Set<() => void>();

	constructor(repo: Repo, sockets: RelaySockets) {
		this.#repo = repo;
		this.#sockets = sockets;
		const network = repo.networkSubsystem;
		network.on('message', (message) => {
			if (message.type !== 'doc-unavailable') return;
			this.#lacking.set(message.senderId, (this.#lacking.get(message.senderId) ?? new Set()).add(message.documentId));
			this.#changed();
		});
		network.on('peer-disconnected', ({ peerId }) => {
			this.#lacking.delete(peerId);
			this.#changed();
		});
		network.on('peer', () => this.#changed());
		// A relay's socket may close after its peer was said gone (the stock adapter speaks first):
		// what counts as reached changes then too.
		sockets.onChange(() => this.#changed());
	}

	/** Calls back when what this says may have changed: a relay came or went, or lacks a document. */
	onChange(listener: () => void): void {
		this.#listeners.add(listener);
	}

	#changed() {
		for (const listener of this.#listeners) listener();
	}

	/**
	 * Whether a document that is not here yet is on its way: a relay this repository reaches has
	 * not said it lacks it. Offline nothing is on its way.
	 */
	coming(handle: DocHandle<unknown>): boolean {
		if (!handle.inState(['loading', 'requesting', 'unavailable'])) return false;
		return this.#sockets.open().some((socket) => socket.remotePeerId !== undefined && !this.#lacking.get(socket.remotePeerId)?.has(handle.documentId));
	}

	/** Whether every one of these documents is on the relay at the other end of `socket`, as it is here. */
	holds(socket: RelaySocket, handles: DocHandle<unknown>[]): boolean {
		const peer = socket.remotePeerId as PeerId | undefined;
		const storageId = peer ? this.#repo.getStorageIdOfPeer(peer) : undefined;
		return handles.every((handle) => {
			const theirs = storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
			// Heads are a set: compared in one order, whichever order each side lists them in.
			return theirs !== undefined && sortedKey(theirs) === headsKey(handle);
		});
	}

	/** Whether every relay reached now holds these documents as they are here; offline, none does. */
	allHold(handles: DocHandle<unknown>[]): boolean {
		const open = this.#sockets.open();
		return open.length > 0 && open.every((socket) => this.holds(socket, handles));
	}

	/** What every connected relay is known to hold of a document: the union of their heads. */
	heads(documentId: string): string[] {
		const handle = this.#repo.handles[documentId as DocumentId];
		if (!handle) return [];
		return this.#sockets.open().flatMap((socket) => {
			const storageId = this.#repo.getStorageIdOfPeer(socket.remotePeerId as PeerId);
			const heads = storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
			return heads ? decodeHeads(heads) : [];
		});
	}
}
