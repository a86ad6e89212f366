// How many bytes each document, and each neighbourhood, takes in the relay's storage: read from
// disk once, then kept up to date by adding what the relay accepts. Compaction makes the running
// figure an overestimate, so before anything is refused it is measured on disk again (at most
// every few seconds: a neighbourhood at its limit should not make every message walk the disk),
// adding what was accepted in the last moments and may not be saved yet.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes under a folder; 0 when it does not exist (a document the relay has not stored yet). */
function bytesUnder(path: string): number {
	let total = 0;
	let entries;
	try {
		entries = readdirSync(path, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const entry of entries) {
		const child = join(path, entry.name);
		try {
			total += entry.isDirectory() ? bytesUnder(child) : statSync(child).size;
		} catch {
			// Renamed away (a compaction) between listing and stat: counted at the next measure.
		}
	}
	return total;
}

/** How often a neighbourhood's usage may be read from disk again. */
const REMEASURE_MS = 5_000;
/** Longer than the repo's save delay (100 ms in automerge-repo 2.5.6) with room for a busy disk. */
const UNSAVED_MS = 5_000;

export class StorageUsage {
	#documentsDir: string;
	#documentsOf: (neighbourhood: string) => string[];
	#documents = new Map<string, number>();
	#neighbourhoods = new Map<string, number>();
	#measuredAt = new Map<string, number>();
	/** Accepted lately, per neighbourhood: the repo saves with a delay, so the disk may not show it yet. */
	#recent = new Map<string, Array<{ at: number; documentId: string; bytes: number }>>();
	#now: () => number;

	/** `documentsDir` is where NodeFSStorageAdapter keeps documents: `<dir>/<id[0:2]>/<id[2:]>/…`. */
	constructor(documentsDir: string, documentsOf: (neighbourhood: string) => string[], now = Date.now) {
		this.#documentsDir = documentsDir;
		this.#documentsOf = documentsOf;
		this.#now = now;
	}

	#onDisk(documentId: string): number {
		return bytesUnder(join(this.#documentsDir, documentId.slice(0, 2), documentId.slice(2)));
	}

	document(documentId: string): number {
		let bytes = this.#documents.get(documentId);
		if (bytes === undefined) {
			bytes = this.#onDisk(documentId);
			this.#documents.set(documentId, bytes);
		}
		return bytes;
	}

	neighbourhood(neighbourhood: string): number {
		let bytes = this.#neighbourhoods.get(neighbourhood);
		if (bytes === undefined) {
			bytes = this.#documentsOf(neighbourhood).reduce((sum, id) => sum + this.document(id), 0);
			this.#neighbourhoods.set(neighbourhood, bytes);
		}
		return bytes;
	}

	/** Reads a neighbourhood's figures from disk again, unless that was done moments ago. */
	remeasure(neighbourhood: string): void {
		const now = this.#now();
		if (now - (this.#measuredAt.get(neighbourhood) ?? -Infinity) < REMEASURE_MS) return;
		this.#measuredAt.set(neighbourhood, now);
		for (const id of this.#documentsOf(neighbourhood)) this.#documents.delete(id);
		this.#neighbourhoods.delete(neighbourhood);
		this.neighbourhood(neighbourhood);
		for (const { documentId, bytes } of this.#recentIn(neighbourhood, now)) this.#count(neighbourhood, documentId, bytes);
	}

	#count(neighbourhood: string, documentId: string, bytes: number): void {
		this.#documents.set(documentId, this.document(documentId) + bytes);
		this.#neighbourhoods.set(neighbourhood, this.neighbourhood(neighbourhood) + bytes);
	}

	add(neighbourhood: string, documentId: string, bytes: number): void {
		this.#count(neighbourhood, documentId, bytes);
		const now = this.#now();
		this.#recentIn(neighbourhood, now).push({ at: now, documentId, bytes });
	}

	#recentIn(neighbourhood: string, now: number) {
		let recent = this.#recent.get(neighbourhood);
		if (!recent) this.#recent.set(neighbourhood, (recent = []));
		while (recent.length > 0 && now - recent[0].at >= UNSAVED_MS) recent.shift();
		return recent;
	}
}
