// Keeps a neighbourhood's access the same on every relay it is paired with (pairing.ts). Whenever
// the access book of a paired neighbourhood changes (here, or on disk by the operator command),
// this relay sends the whole book to each peer (POST /api/peer/exchange, with the peer secret);
// the peer merges it (access-merge.ts) and answers with its merged book, which is merged here:
// one round trip is a full exchange. A peer that is down is tried again with a growing pause; which
// peers still wait is kept in peers/outbox.json, so a restart loses nothing, and a restart starts
// with a full exchange with every peer.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as v from 'valibot';
import type { AccessBook, Book } from './access-book.ts';
import { mergeBooks } from './access-merge.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import type { Logger } from './log.ts';
import { parsePeerBook } from './peer-records.ts';
import type { PeersBook } from './peers-book.ts';

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 5 * 60 * 1000;
const CALL_MS = 15_000;

const Outbox = v.record(v.string(), v.record(v.string(), v.object({ attempts: v.number(), nextAt: v.number() })));
type Outbox = v.InferOutput<typeof Outbox>;

/** What a book holds, independent of the order it was written in. */
export const digestOf = (book: Book): string => createHash('sha256').update(JSON.stringify(mergeBooks(book, book))).digest('base64url');

export interface MergeOutcome {
	changed: boolean;
	removedDevices: string[];
	removedMembers: string[];
}

export interface ReplicationOptions {
	data: string;
	book: AccessBook;
	peers: PeersBook;
	log: Logger;
	/** A merge took something away or changed roles: close what is closed, tell open devices. */
	merged: (neighbourhood: string, outcome: MergeOutcome) => void;
	fetcher?: typeof fetch;
	now?: () => number;
}

export class Replication {
	#o: ReplicationOptions;
	#outboxFile: string;
	#outbox: Outbox;
	/** neighbourhood → peer url → digest of the book both held after the last exchange. */
	#agreed = new Map<string, Map<string, string>>();
	#busy = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#stopListening: () => void;
	#closed = false;
	/** A merge is being written: the listener must not take our own merge for a change to send back. */
	#receiving = false;

	constructor(options: ReplicationOptions) {
		this.#o = options;
		this.#outboxFile = join(options.data, 'peers', 'outbox.json');
		let outbox: Outbox = {};
		try {
			outbox = readJsonFile(this.#outboxFile, Outbox, () => ({}));
		} catch {
			// A damaged outbox is rebuilt: the full exchange below covers everything it could hold.
		}
		this.#outbox = outbox;
		// After a restart every peer gets a full exchange: what changed meanwhile on either side meets.
		for (const neighbourhood of options.peers.paired()) this.#due(neighbourhood, true);
		this.#stopListening = options.book.onChange((neighbourhood) => {
			if (this.#receiving) return;
			for (const n of neighbourhood ? [neighbourhood] : options.peers.paired()) this.#due(n, false);
		});
		this.#timer = setInterval(() => this.#sendDue(), 500);
		this.#timer.unref();
		queueMicrotask(() => this.#sendDue());
	}

	#now() {
		return (this.#o.now ?? Date.now)();
	}

	#save() {
		writeJsonFile(this.#outboxFile, this.#outbox);
	}

	/** Marks each peer of the neighbourhood whose last agreed book differs from ours (or all) as waiting. */
	#due(neighbourhood: string, all: boolean) {
		const peers = this.#o.peers.peersOf(neighbourhood);
		if (peers.length === 0) return;
		const digest = digestOf(this.#o.book.records(neighbourhood));
		let changed = false;
		for (const peer of peers) {
			if (!all && this.#agreed.get(neighbourhood)?.get(peer.url) === digest) continue;
			const waiting = (this.#outbox[neighbourhood] ??= {});
			// A peer already waiting keeps its pause: a busy neighbourhood must not hammer a relay that is down.
			if (waiting[peer.url]) continue;
			waiting[peer.url] = { attempts: 0, nextAt: this.#now() };
			changed = true;
		}
		if (changed) {
			this.#save();
			queueMicrotask(() => this.#sendDue());
		}
	}

	#sendDue() {
		if (this.#closed) return;
		for (const [neighbourhood, waiting] of Object.entries(this.#outbox)) {
			for (const [url, state] of Object.entries(waiting)) {
				const key = `${neighbourhood} ${url}`;
				if (state.nextAt > this.#now() || this.#busy.has(key)) continue;
				this.#busy.add(key);
				void this.#exchange(neighbourhood, url).finally(() => this.#busy.delete(key));
			}
		}
	}

	async #exchange(neighbourhood: string, url: string) {
		const peer = this.#o.peers.peersOf(neighbourhood).find((p) => p.url === url);
		if (!peer) return this.#done(neighbourhood, url);
		const ours = this.#o.book.records(neighbourhood);
		try {
			const response = await (this.#o.fetcher ?? fetch)(`${url}/api/peer/exchange`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${peer.secret}` },
				body: JSON.stringify({ neighbourhood, access: ours }),
				signal: AbortSignal.timeout(CALL_MS)
			});
			if (!response.ok) throw new Error(`answered ${response.status}`);
			const theirs = parsePeerBook(((await response.json()) as { access?: unknown }).access);
			if (!theirs) throw new Error('answered something that is no access book');
			if (this.#closed) return;
			this.receive(neighbourhood, url, theirs, false);
			this.#done(neighbourhood, url);
		} catch (error) {
			if (this.#closed) return;
			const state = this.#outbox[neighbourhood]?.[url];
			if (!state) return;
			state.attempts += 1;
			state.nextAt = this.#now() + Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (state.attempts - 1));
			this.#save();
			// The address and the reason only: never the secret or the book.
			if (state.attempts === 1 || state.attempts % 10 === 0) {
				this.#o.log.warn({ neighbourhood, peer: url, attempts: state.attempts, reason: (error as Error).message }, 'paired relay not reached; access changes wait for it');
			}
		}
	}

	#done(neighbourhood: string, url: string) {
		const waiting = this.#outbox[neighbourhood];
		if (!waiting?.[url]) return;
		const attempts = waiting[url]!.attempts;
		// Something changed here while the exchange was under way: the peer has not got it yet.
		if (this.#agreed.get(neighbourhood)?.get(url) !== digestOf(this.#o.book.records(neighbourhood))) {
			waiting[url] = { attempts: 0, nextAt: this.#now() };
			this.#save();
			queueMicrotask(() => this.#sendDue());
			return;
		}
		delete waiting[url];
		if (Object.keys(waiting).length === 0) delete this.#outbox[neighbourhood];
		this.#save();
		if (attempts > 0) this.#o.log.info({ neighbourhood, peer: url }, 'paired relay reached again; access is the same on both');
	}

	/**
	 * Takes in a peer's book; returns ours after the merge. From its call (`answering`), the peer
	 * gets the merged book as our answer; from its answer to our call, it holds just what it sent.
	 */
	receive(neighbourhood: string, url: string, theirs: Book, answering: boolean): Book {
		this.#receiving = true;
		let outcome: MergeOutcome;
		try {
			outcome = this.#o.book.mergeIn(neighbourhood, theirs);
		} finally {
			this.#receiving = false;
		}
		const merged = this.#o.book.records(neighbourhood);
		let agreed = this.#agreed.get(neighbourhood);
		if (!agreed) this.#agreed.set(neighbourhood, (agreed = new Map()));
		agreed.set(url, digestOf(answering ? merged : theirs));
		if (outcome.changed) {
			this.#o.merged(neighbourhood, outcome);
			// Other peers of the neighbourhood hear of it too (a third relay).
			this.#due(neighbourhood, false);
		}
		return merged;
	}

	/** Waits for nothing; for tests and the operator: how many exchanges still wait. */
	waiting(): number {
		return Object.values(this.#outbox).reduce((sum, peers) => sum + Object.keys(peers).length, 0);
	}

	close(): void {
		this.#closed = true;
		clearInterval(this.#timer);
		this.#stopListening();
	}
}
