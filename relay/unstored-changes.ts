// Changes the referee let through that the relay's copy of their document may not hold yet.
// automerge-repo (2.5.6) applies a message a few awaits after the guard hands it over (its
// collection synchronizer first asks the share policy and finds the handle), and longer on a busy
// relay. A device's next change, built on the one before, can arrive meanwhile: judged against the
// copy without it, it edits an object that is not there yet and would be refused. Seen as a
// resident's "Het is gedaan" on the request she had just posted, refused as not hers.

/** How long a wait for accepted changes may last; an honest relay stores them in milliseconds. */
export const STORE_WAIT_MS = 10_000;

/**
 * The changes of `accepted` (in order) the relay's copy can apply now: each builds only on what it
 * `holds` or on such a change. One built on a change the relay has never seen waits in Automerge's
 * queue, maybe for ever: waiting for it would let one device hold up everyone's changes.
 */
export function applicable(accepted: ReadonlyArray<{ hash: string; deps: readonly string[] }>, holds: (hash: string) => boolean): string[] {
	const found = new Set<string>();
	for (const change of accepted) if (change.deps.every((dep) => found.has(dep) || holds(dep))) found.add(change.hash);
	return [...found];
}

export class UnstoredChanges {
	#byDocument = new Map<string, Map<string, number>>();
	#swept: number;
	#forgetMs: number;
	#now: () => number;

	constructor(forgetMs = 6 * STORE_WAIT_MS, now = () => Date.now()) {
		this.#forgetMs = forgetMs;
		this.#now = now;
		this.#swept = now();
	}

	add(document: string, hashes: readonly string[]): void {
		if (hashes.length === 0) return;
		const at = this.#now();
		this.#sweep(at);
		const known = this.#byDocument.get(document) ?? new Map<string, number>();
		for (const hash of hashes) known.set(hash, at);
		this.#byDocument.set(document, known);
	}

	/** Which of `deps` the referee accepted and the copy does not hold yet (`holds` asks the copy). */
	awaited(document: string, deps: Iterable<string>, holds: (hash: string) => boolean): string[] {
		const known = this.#byDocument.get(document);
		if (!known) return [];
		const awaited = new Set<string>();
		for (const hash of deps) {
			if (!known.has(hash) || awaited.has(hash)) continue;
			if (holds(hash)) known.delete(hash);
			else awaited.add(hash);
		}
		if (known.size === 0) this.#byDocument.delete(document);
		return [...awaited];
	}

	/** Every change of `document` the referee accepted that its copy does not hold yet. */
	all(document: string, holds: (hash: string) => boolean): string[] {
		return this.awaited(document, [...(this.#byDocument.get(document)?.keys() ?? [])], holds);
	}

	/** No longer waited for: stored, or the wait ran out (the change is then judged as it stands). */
	settle(document: string, hashes: readonly string[]): void {
		const known = this.#byDocument.get(document);
		if (!known) return;
		for (const hash of hashes) known.delete(hash);
		if (known.size === 0) this.#byDocument.delete(document);
	}

	/** Documents nothing was judged for since: their copies hold these long since. */
	#sweep(at: number) {
		if (at - this.#swept < this.#forgetMs) return;
		this.#swept = at;
		for (const [document, known] of this.#byDocument) {
			for (const [hash, added] of known) if (at - added >= this.#forgetMs) known.delete(hash);
			if (known.size === 0) this.#byDocument.delete(document);
		}
	}

	get size(): number {
		let n = 0;
		for (const known of this.#byDocument.values()) n += known.size;
		return n;
	}
}
