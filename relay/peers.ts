// What the relay keeps per peer, let go when the peer leaves. A browser is a new peer id on every
// page load, so anything kept per peer id after it left grows with every page load for as long as
// the relay runs (about 165 KB per 50 documents with automerge-repo 2.5.6).
import type { Repo } from '@automerge/automerge-repo/slim';
import type { RepoHooks, Synchronizer } from './repo-hooks.ts';

/**
 * A busy document (one some peer always has open) is rebuilt after this many peers left it: that
 * frees their sync states at the cost of one extra round of sync messages with the peers still
 * there. A document nobody has open any more is rebuilt at once, which costs nothing.
 */
export const RECYCLE_AFTER_DEPARTURES = 16;

interface Departures {
	synchronizer: Synchronizer;
	peers: Set<string>;
}

export interface PeerState {
	/** Open websocket connections, joined or not. */
	connections: number;
	/** Peer metadata the repo holds (automerge-repo's peerMetadataByPeerId). */
	metadata: number;
	/** Peers the relay's network adapter holds a socket for. */
	sockets: number;
	/** Peers the guard knows the neighbourhood of. */
	neighbourhoods: number;
	/** Connected peers and the documents they opened, kept to know whom to clean up after. */
	tracked: number;
	/** Sync states of departed peers that documents' synchronizers still hold. */
	departedSyncStates: number;
}

export interface PeerHolders {
	neighbourhoodOf(peerId: string): string | undefined;
	sockets: Record<string, unknown>;
	server: { clients: Set<unknown> };
}

export class PeerJanitor {
	#repo: Repo;
	#hooks: RepoHooks;
	#holders: PeerHolders;
	/**
	 * The documents each connected peer opened: their synchronizers hold its sync state. A list, not
	 * a set: a device opens a few dozen at most, and a set costs several times more per connection.
	 */
	#opened = new Map<string, string[]>();
	#departed = new Map<string, Departures>();

	constructor(repo: Repo, hooks: RepoHooks, holders: PeerHolders) {
		this.#repo = repo;
		this.#hooks = hooks;
		this.#holders = holders;
		hooks.onOpened((documentId, peerId) => {
			const documents = this.#opened.get(peerId);
			if (!documents) this.#opened.set(peerId, [documentId]);
			else if (!documents.includes(documentId)) documents.push(documentId);
			// automerge-repo 2.5.6 handles a message only after finding its document, which may wait for
			// the disk: a peer that left meanwhile is added to the document after its departure was
			// cleaned up, and nothing would clean up again.
			if (!this.#repo.peers.includes(peerId as never)) this.#forgetIfGone(peerId);
		});
		// The repo's own listener (registered first) has already stopped syncing with the peer.
		repo.networkSubsystem.on('peer-disconnected', ({ peerId }) => {
			// A peer that joins again on a new socket is "disconnected" from its old one just before it is
			// added again: look once the adapter is done.
			this.#forgetIfGone(peerId);
		});
	}

	/** Lets go of a peer once the adapter is done, unless it came back meanwhile. */
	#forgetIfGone(peerId: string) {
		setImmediate(() => {
			if (!this.#repo.peers.includes(peerId as never)) this.#forget(peerId);
		});
	}

	#forget(peerId: string) {
		// automerge-repo 2.5.6 keeps every peer's metadata forever.
		delete this.#repo.peerMetadataByPeerId[peerId as keyof Repo['peerMetadataByPeerId']];
		const documents = this.#opened.get(peerId) ?? [];
		this.#opened.delete(peerId);
		for (const documentId of documents) {
			const synchronizer = this.#hooks.synchronizer(documentId);
			if (!synchronizer) continue;
			let departures = this.#departed.get(documentId);
			if (departures?.synchronizer !== synchronizer) {
				departures = { synchronizer, peers: new Set() };
				this.#departed.set(documentId, departures);
			}
			departures.peers.add(peerId);
			this.sweep(documentId);
		}
	}

	/** Rebuilds a document's synchronizer when that frees enough; retried on the next departure. */
	sweep(documentId: string): void {
		const departures = this.#departed.get(documentId);
		const synchronizer = this.#hooks.synchronizer(documentId);
		if (!departures || departures.synchronizer !== synchronizer) {
			this.#departed.delete(documentId);
			return;
		}
		const idle = synchronizer.metrics().peers.length === 0;
		if ((idle || departures.peers.size >= RECYCLE_AFTER_DEPARTURES) && this.#hooks.recycle(documentId)) {
			this.#departed.delete(documentId);
		}
	}

	state(): PeerState {
		let departedSyncStates = 0;
		for (const [documentId, departures] of this.#departed) {
			if (this.#hooks.synchronizer(documentId) === departures.synchronizer) departedSyncStates += departures.peers.size;
		}
		return {
			connections: this.#holders.server.clients.size,
			metadata: Object.keys(this.#repo.peerMetadataByPeerId).length,
			sockets: Object.keys(this.#holders.sockets).length,
			neighbourhoods: Object.keys(this.#holders.sockets).filter((peerId) => this.#holders.neighbourhoodOf(peerId) !== undefined).length,
			tracked: this.#opened.size,
			departedSyncStates
		};
	}
}
