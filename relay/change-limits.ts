// Limits before work: every change a peer sends is measured (inflated size, operations, nesting
// depth, the size it would give its document and neighbourhood) before automerge-repo applies it
// to the relay's copy. Automerge 3.5 / automerge-repo 2.5.6 apply whatever arrives: an 18 KB
// message nesting maps 10,000 deep stalls the process for a minute and aborts the wasm module, a
// 1 MB deflate bomb takes gigabytes. A message over a limit is refused whole: nothing of it is
// applied or passed on, and the connection is closed with one of the codes below.
import * as A from '@automerge/automerge/slim';
import { isDocumentChunk, MalformedChunk, OverLimit, splitChunks, summariseChunk } from './chunks.ts';

/** The chunks of one entry, or [undefined] for bytes that are no run of chunks. */
function entryChunks(entry: Uint8Array): Array<Uint8Array | undefined> {
	try {
		return splitChunks(entry);
	} catch (error) {
		if (error instanceof MalformedChunk) return [undefined];
		throw error;
	}
}
import type { Logger } from './log.ts';
import type { StorageUsage } from './usage.ts';

export const LIMIT_CLOSE = {
	/** The change itself is too large, has too many operations or nests too deeply. */
	changeRefused: 4413,
	/** The neighbourhood has used up its documents or its storage on this relay. */
	neighbourhoodFull: 4507,
	/** Bytes that claim to be a change but are not one. */
	badChange: 4400
} as const;

export interface ChangeLimits {
	/** Nesting depth of any object (an item of the root is 1). */
	maxDepth: number;
	/** Operations in one change. */
	maxChangeOperations: number;
	/** Bytes of one change once inflated. */
	maxChangeBytes: number;
	/** Operations in a whole-document chunk, and in all the changes of one sync message together. */
	maxMessageOperations: number;
	/** Bytes of a whole-document chunk once every column is inflated, and of one message's changes together. */
	maxMessageBytes: number;
	/** Stored bytes of one document. */
	maxDocumentBytes: number;
	/** Documents one neighbourhood may keep on the relay. */
	maxNeighbourhoodDocuments: number;
	/** Stored bytes of all of one neighbourhood's documents. */
	maxNeighbourhoodBytes: number;
}

const MB = 1024 * 1024;

/**
 * Measured against the bench generators (ten years of a neighbourhood): the deepest object our
 * schema makes is 5 levels down, a quarter of the help board is ~70,000 operations, 1 MB inflated
 * and 0.2 MB stored, the whole ten-year board 40 documents and 5.4 MB. Each default leaves
 * several times that room; the README explains each one. Bytes are kept lower than that room
 * allows because applying them is what stalls the relay: four 10 MB changes kept it from
 * answering for 5 s (bench/hostile-changes.ts on a busy 2-core machine).
 */
export const DEFAULT_CHANGE_LIMITS: ChangeLimits = {
	maxDepth: 24,
	maxChangeOperations: 100_000,
	maxChangeBytes: 4 * MB,
	maxMessageOperations: 500_000,
	maxMessageBytes: 16 * MB,
	maxDocumentBytes: 16 * MB,
	maxNeighbourhoodDocuments: 1_000,
	maxNeighbourhoodBytes: 512 * MB
};

/** `maxDocumentBytes` is set by NOABER_MAX_DOCUMENT_BYTES, and so on for every limit. */
export const envName = (limit: keyof ChangeLimits): string => `NOABER_${limit.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The limits an operator set in the environment; the others keep their defaults. */
export function changeLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<ChangeLimits> {
	const limits: Partial<ChangeLimits> = {};
	for (const limit of Object.keys(DEFAULT_CHANGE_LIMITS) as Array<keyof ChangeLimits>) {
		const value = env[envName(limit)];
		if (value === undefined || value === '') continue;
		const number = Number(value);
		if (!Number.isSafeInteger(number) || number < 1) throw new Error(`${envName(limit)} must be a whole number above 0, not "${value}"`);
		limits[limit] = number;
	}
	return limits;
}

export type LimitName = keyof ChangeLimits | 'wellFormed';

export interface Refusal {
	code: number;
	reason: string;
	limit: LimitName;
}

const refusal = (limit: LimitName): Refusal => {
	switch (limit) {
		case 'maxDepth':
			return { code: LIMIT_CLOSE.changeRefused, reason: 'too deeply nested', limit };
		case 'maxChangeOperations':
		case 'maxMessageOperations':
			return { code: LIMIT_CLOSE.changeRefused, reason: 'too many operations', limit };
		case 'maxChangeBytes':
		case 'maxMessageBytes':
			return { code: LIMIT_CLOSE.changeRefused, reason: 'change too large', limit };
		case 'maxDocumentBytes':
			return { code: LIMIT_CLOSE.changeRefused, reason: 'document too large', limit };
		case 'maxNeighbourhoodDocuments':
			return { code: LIMIT_CLOSE.neighbourhoodFull, reason: 'too many documents', limit };
		case 'maxNeighbourhoodBytes':
			return { code: LIMIT_CLOSE.neighbourhoodFull, reason: 'neighbourhood storage full', limit };
		case 'wellFormed':
			return { code: LIMIT_CLOSE.badChange, reason: 'bad change', limit };
	}
};

export interface Measured {
	/** Chunk bytes as sent: roughly what storing them costs. */
	bytes: number;
	operations: number;
	/** Every object the message makes, with its depth. */
	made: Map<string, number>;
}

/**
 * The depth of an object the message does not make itself, from what the relay already knows.
 * Undefined counts as too deep: the gate below always answers with a number instead.
 */
export type KnownDepth = (objectId: string) => number | undefined;

/**
 * Measures the changes of one sync message against the per-change and per-message limits, or
 * names the limit it breaks. Pure: what is known of the document comes in through `knownDepth`.
 */
export function measureChanges(changes: Uint8Array[], limits: ChangeLimits, knownDepth: KnownDepth): Measured | LimitName {
	const budget = { bytes: limits.maxMessageBytes, operations: limits.maxMessageOperations };
	const parents = new Map<string, string>();
	let bytes = 0;
	let operations = 0;
	for (const change of changes.flatMap(entryChunks)) {
		if (change === undefined) return 'wellFormed';
		// A whole document is measured against the message's totals only: it is a first sync.
		const whole = isDocumentChunk(change);
		const byChange = !whole && limits.maxChangeBytes <= budget.bytes;
		const opsByChange = !whole && limits.maxChangeOperations <= budget.operations;
		let summary;
		try {
			summary = summariseChunk(change, {
				bytes: byChange ? limits.maxChangeBytes : budget.bytes,
				operations: opsByChange ? limits.maxChangeOperations : budget.operations
			});
		} catch (error) {
			if (error instanceof OverLimit && error.what === 'bytes') return byChange ? 'maxChangeBytes' : 'maxMessageBytes';
			if (error instanceof OverLimit) return opsByChange ? 'maxChangeOperations' : 'maxMessageOperations';
			if (error instanceof MalformedChunk) return 'wellFormed';
			throw error;
		}
		budget.bytes -= summary.inflatedBytes;
		budget.operations -= summary.operations;
		bytes += change.length;
		operations += summary.operations;
		for (const { id, parent } of summary.made) parents.set(id, parent);
	}
	const made = depths(parents, limits.maxDepth, knownDepth);
	if (made === undefined) return 'maxDepth';
	return { bytes, operations, made };
}

/** Depth of every made object, or undefined as soon as one is deeper than `max`. */
function depths(parents: Map<string, string>, max: number, knownDepth: KnownDepth): Map<string, number> | undefined {
	const depth = new Map<string, number>();
	for (const id of parents.keys()) {
		// Walk up until a depth is known, then fill it in on the way down: linear overall, no
		// recursion (10,000 levels would overflow the stack), and a cycle simply counts as too deep.
		const path: string[] = [];
		let at: string | undefined = id;
		let base: number | undefined;
		while (at !== undefined) {
			const known = at === '_root' ? 0 : depth.get(at);
			if (known !== undefined) {
				base = known;
				break;
			}
			path.push(at);
			if (path.length > max) return undefined;
			const parent = parents.get(at);
			if (parent === undefined) {
				path.pop();
				base = knownDepth(at);
				break;
			}
			at = parent;
		}
		if (base === undefined) return undefined;
		for (let i = path.length - 1; i >= 0; i--) {
			base += 1;
			if (base > max) return undefined;
			depth.set(path[i], base);
		}
	}
	return depth;
}

export interface Sender {
	neighbourhood: string;
	peer: string | undefined;
	document: string;
}

export interface ChangeGateOptions {
	limits: ChangeLimits;
	log: Logger;
	usage: StorageUsage;
	/** Who owns a document, and how many a neighbourhood has (the relay's registry). */
	ownerOf: (documentId: string) => string | undefined;
	documentCount: (neighbourhood: string) => number;
	/** The relay's copy of a document when it is loaded. */
	documentOf: (documentId: string) => A.Doc<unknown> | undefined;
}

/** Objects at least this deep are remembered per document (honest documents have none). */
const deepFrom = (limits: ChangeLimits) => Math.floor(limits.maxDepth / 2);
/**
 * Deep objects remembered per document and in all; past either, deep objects are refused rather
 * than forgotten. Honest documents have none, so only the one who made so many notices.
 */
const MAX_REMEMBERED = 10_000;
const MAX_REMEMBERED_IN_ALL = 200_000;

/**
 * Applies the limits to each incoming sync or request message, and keeps the little it needs to:
 * the depth of unusually deep objects per document, bytes per document and neighbourhood, and
 * how often each limit refused something.
 */
export class ChangeGate {
	readonly refused = new Map<LimitName, number>();
	#options: ChangeGateOptions;
	#deep = new Map<string, Map<string, number>>();
	#rememberedInAll = 0;

	constructor(options: ChangeGateOptions) {
		this.#options = options;
	}

	/**
	 * Depth of an existing object. An object the relay cannot place (deleted from its copy, or the
	 * copy not loaded yet) counts as half the limit deep: deeper than anything our schema makes, so
	 * honest edits pass, while every object that deep was remembered when it was made. What a
	 * restart forgets can add at most half the limit once per restart.
	 */
	#knownDepth(documentId: string): KnownDepth {
		const deep = this.#deep.get(documentId);
		const doc = this.#options.documentOf(documentId);
		return (objectId) => {
			const known = deep?.get(objectId);
			if (known !== undefined) return known;
			if (doc) {
				try {
					const path = A.getBackend(doc).objInfo(objectId).path;
					if (path) return path.length;
				} catch {
					// Not in the relay's copy: placed below.
				}
			}
			return deepFrom(this.#options.limits);
		};
	}

	#remember(documentId: string, made: Map<string, number>): boolean {
		const floor = deepFrom(this.#options.limits);
		let deep = this.#deep.get(documentId);
		for (const [id, depth] of made) {
			if (depth < floor) continue;
			if (!deep) this.#deep.set(documentId, (deep = new Map()));
			if (deep.size >= MAX_REMEMBERED || this.#rememberedInAll >= MAX_REMEMBERED_IN_ALL) return false;
			if (!deep.has(id)) this.#rememberedInAll += 1;
			deep.set(id, depth);
		}
		return true;
	}

	#refuse(sender: Sender, limit: LimitName, value?: number): Refusal {
		this.refused.set(limit, (this.refused.get(limit) ?? 0) + 1);
		const max = limit === 'wellFormed' ? undefined : this.#options.limits[limit];
		this.#options.log.warn({ ...sender, limit, max, value }, 'change refused');
		return refusal(limit);
	}

	/** Checks one sync or request message; what passes is counted as stored. */
	/** `changes`: those of the message's sync data, decoded once by the guard. */
	check(sender: Sender, message: { type: 'sync' | 'request'; changes: Uint8Array[] }): Refusal | undefined {
		const { limits, usage, ownerOf, documentCount } = this.#options;
		const owner = ownerOf(sender.document);
		// Another neighbourhood's document, or a request for one nobody brought: the guard answers
		// "unavailable" and nothing is applied.
		if (owner !== undefined ? owner !== sender.neighbourhood : message.type === 'request') return undefined;
		// Any sync for a document nobody brought yet claims it, heads only or not.
		if (owner === undefined && documentCount(sender.neighbourhood) >= limits.maxNeighbourhoodDocuments) {
			return this.#refuse(sender, 'maxNeighbourhoodDocuments', documentCount(sender.neighbourhood));
		}
		const { changes } = message;
		if (changes.length === 0) return undefined;
		const measured = measureChanges(changes, limits, this.#knownDepth(sender.document));
		if (typeof measured === 'string') return this.#refuse(sender, measured);
		const over = (documentBytes: number, neighbourhoodBytes: number): LimitName | undefined => {
			if (documentBytes + measured.bytes > limits.maxDocumentBytes) return 'maxDocumentBytes';
			if (neighbourhoodBytes + measured.bytes > limits.maxNeighbourhoodBytes) return 'maxNeighbourhoodBytes';
			return undefined;
		};
		if (over(usage.document(sender.document), usage.neighbourhood(sender.neighbourhood))) {
			// The running figures only grow; compaction may have shrunk what is really stored.
			usage.remeasure(sender.neighbourhood);
			const documentBytes = usage.document(sender.document);
			const limit = over(documentBytes, usage.neighbourhood(sender.neighbourhood));
			if (limit) return this.#refuse(sender, limit, limit === 'maxDocumentBytes' ? documentBytes + measured.bytes : usage.neighbourhood(sender.neighbourhood) + measured.bytes);
		}
		if (!this.#remember(sender.document, measured.made)) return this.#refuse(sender, 'maxDepth');
		usage.add(sender.neighbourhood, sender.document, measured.bytes);
		return undefined;
	}
}
