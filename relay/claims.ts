// Which neighbourhood a document id belongs to. A document belongs to the neighbourhood whose root
// lists it (read with the app's own schema, neighbourhood/documents.ts), even when a member of
// another neighbourhood brings it first: an id is no secret (a member of two neighbourhoods, or a
// root that lists a new quarter before the quarter itself reached the relay, tells it), and the
// first bringer used to own it for good. A document nobody lists yet may be claimed provisionally
// by the neighbourhood whose member brings it with content (the app creates a document, then lists
// it; the two reach the relay in either order). Its own root listing it makes the claim final;
// another neighbourhood's root listing it takes it over. Nothing but a root listing ever makes a
// claim final: a time limit would only turn an early squatter into an owner.
//
// The relay follows each hosted root's 'change' events and walks only that root's indexes (tens
// to hundreds of entries), never the listed documents. Every decision is appended to the owners
// logs (registry.ts) at once, so a restart keeps it.
import { generateSyncMessage, init, initSyncState, receiveSyncMessage } from '@automerge/automerge/slim';
import type { AutomergeUrl, DocHandle, DocHandleChangePayload, Repo } from '@automerge/automerge-repo/slim';
import { listedDocuments } from '../src/lib/neighbourhood/documents.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';


/**
 * The answer of a peer that has nothing of the document yet, to a heads-only first sync message.
 * Automerge sends its changes only once it has heard the other side's heads, so refusing that
 * first message would keep every new document off the relay; answering it through the repo would
 * give an id nobody owns a handle that is never evicted. This claims nothing and makes nothing.
 */
export function replyAsEmptyPeer(data: Uint8Array): Uint8Array | undefined {
	try {
		const [doc, state] = receiveSyncMessage(init(), initSyncState(), data);
		return generateSyncMessage(doc, state)[1] ?? undefined;
	} catch {
		return undefined;
	}
}

type Outcome = 'claimed' | 'confirmed' | 'taken over' | 'listed elsewhere' | 'own';

/** Applies one neighbourhood's listing of a document to the registry. */
export function applyListing(registry: Pick<Registry, 'ownerOf' | 'isProvisional' | 'claim'>, neighbourhood: string, documentId: string): Outcome {
	const owner = registry.ownerOf(documentId);
	const provisional = owner !== undefined && registry.isProvisional(documentId);
	if (owner === neighbourhood && !provisional) return 'own';
	if (owner !== undefined && !provisional) return 'listed elsewhere';
	registry.claim(documentId, neighbourhood);
	if (owner === undefined) return 'claimed';
	return owner === neighbourhood ? 'confirmed' : 'taken over';
}

interface Watched {
	/** Undefined once the root left memory: nothing holds on to the handle the repo let go of. */
	handle?: DocHandle<unknown>;
	/** Ids this root listed when last read: only newly listed ones need a decision. */
	listed: Set<string>;
	stop: () => void;
}

/** Follows every hosted neighbourhood's root and claims what it lists. */
export class ListingWatcher {
	#repo: Repo;
	#registry: Registry;
	#log: Logger;
	#watched = new Map<string, Watched>();
	#opening = new Set<string>();
	#unreadable = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#closed = false;

	constructor(repo: Repo, registry: Registry, log: Logger, pollMs = 1000) {
		this.#repo = repo;
		this.#registry = registry;
		this.#log = log;
		// Neighbourhoods are few; this catches ones created since (setup link, operator command) and
		// a root handle the repo replaced (after it left memory).
		this.#timer = setInterval(() => this.follow(), pollMs);
		this.#timer.unref();
		this.follow();
	}

	/** Starts following roots not followed yet; cheap enough to call on every registry change. */
	follow(): void {
		if (this.#closed) return;
		for (const record of this.#registry.list()) {
			const rootId = documentIdOf(record.root);
			const watched = this.#watched.get(record.id);
			const loaded = this.#repo.handles[rootId as never] as DocHandle<unknown> | undefined;
			if (watched && loaded === watched.handle) continue;
			// A root that left memory changes only once something loads it again: followed from then
			// on. Loading it here instead would keep every root of the relay in memory for good.
			if (watched && !loaded) {
				if (watched.handle) {
					watched.stop();
					this.#watched.set(record.id, { listed: watched.listed, stop: () => undefined });
				}
				continue;
			}
			if (this.#opening.has(record.id)) continue;
			watched?.stop();
			this.#watched.delete(record.id);
			this.#opening.add(record.id);
			void this.#open(record.id, record.root).finally(() => this.#opening.delete(record.id));
		}
	}

	async #open(neighbourhood: string, rootUrl: string) {
		let handle: DocHandle<unknown>;
		try {
			handle = await this.#repo.find<unknown>(rootUrl as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		} catch (error) {
			// Tried again at every poll; said once.
			if (!this.#unreadable.has(neighbourhood)) this.#log.warn({ neighbourhood, reason: String(error) }, 'root not readable for its document list');
			this.#unreadable.add(neighbourhood);
			return;
		}
		this.#unreadable.delete(neighbourhood);
		if (this.#closed) return;
		const watched: Watched = { handle, listed: new Set(), stop: () => handle.off('change', onChange) };
		const onChange = ({ doc }: DocHandleChangePayload<unknown>) => this.#read(neighbourhood, watched, doc);
		handle.on('change', onChange);
		this.#watched.set(neighbourhood, watched);
		// Changes that arrived while the root was loading, or before a restart, are caught up here.
		if (handle.isReady()) this.#read(neighbourhood, watched, handle.doc());
	}

	#read(neighbourhood: string, watched: Watched, doc: unknown) {
		try {
			const listed = new Set(listedDocuments(doc).map(documentIdOf));
			for (const documentId of listed) {
				if (watched.listed.has(documentId)) continue;
				const outcome = applyListing(this.#registry, neighbourhood, documentId);
				if (outcome === 'taken over') this.#log.warn({ neighbourhood, document: documentId }, 'document taken over from a provisional claim by the neighbourhood that lists it');
				else if (outcome === 'listed elsewhere') this.#log.warn({ neighbourhood, document: documentId }, 'root lists a document of another neighbourhood; it stays with its owner');
			}
			watched.listed = listed;
		} catch (error) {
			// One root's odd content must not stop the relay; the next change reads it again.
			this.#log.error({ neighbourhood, err: error }, 'reading the document list failed');
		}
	}

	close(): void {
		this.#closed = true;
		clearInterval(this.#timer);
		for (const watched of this.#watched.values()) watched.stop();
		this.#watched.clear();
	}
}
