// Reads Automerge's binary chunks (the entries of a sync message's `changes`) far enough to measure
// them: how many operations they hold, which objects they make and under which parent, and how
// large they are once inflated. Automerge 3.5 itself inflates without a limit and builds deeply
// nested objects at superlinear cost, so the relay measures here, in plain JavaScript with every
// loop and every inflation capped, before Automerge ever sees the bytes.
// Format: https://automerge.org/automerge-binary-format-spec/ (chunk header, columns, RLE).
import { inflateRawSync } from 'node:zlib';

export const CHUNK_TYPE = { document: 0, change: 1, compressed: 2 } as const;
const MAGIC = [0x85, 0x6f, 0x4a, 0x83];

/** The bytes are not a chunk Automerge would accept. */
export class MalformedChunk extends Error {}

/** Inflating, or counting operations, went past the cap the caller gave. */
export class OverLimit extends Error {
	constructor(readonly what: 'bytes' | 'operations') {
		super(`chunk over its ${what} limit`);
	}
}

class Reader {
	pos: number;
	constructor(
		readonly bytes: Uint8Array,
		start = 0,
		readonly end = bytes.length
	) {
		this.pos = start;
	}

	get done(): boolean {
		return this.pos >= this.end;
	}

	byte(): number {
		if (this.pos >= this.end) throw new MalformedChunk('unexpected end');
		return this.bytes[this.pos++];
	}

	uleb(): number {
		let result = 0;
		let scale = 1;
		for (let i = 0; i < 8; i++) {
			const b = this.byte();
			result += (b & 0x7f) * scale;
			if ((b & 0x80) === 0) {
				if (!Number.isSafeInteger(result)) break;
				return result;
			}
			scale *= 128;
		}
		throw new MalformedChunk('number too large');
	}

	sleb(): number {
		let result = 0;
		let scale = 1;
		for (let i = 0; i < 8; i++) {
			const b = this.byte();
			result += (b & 0x7f) * scale;
			scale *= 128;
			if ((b & 0x80) === 0) {
				if (b & 0x40) result -= scale;
				if (!Number.isSafeInteger(result)) break;
				return result;
			}
		}
		throw new MalformedChunk('number too large');
	}

	take(length: number): Uint8Array {
		if (length > this.end - this.pos) throw new MalformedChunk('length past the end');
		const slice = this.bytes.subarray(this.pos, this.pos + length);
		this.pos += length;
		return slice;
	}
}

export interface Chunk {
	type: number;
	/** The body as sent: still deflated for a compressed change. */
	body: Uint8Array;
}

/**
 * The chunks one entry of a sync message's `changes` holds. Automerge 3 puts several changes
 * back to back in one entry (it loads them with `loadIncremental`), so an entry is a run of chunks.
 */
export function splitChunks(bytes: Uint8Array): Uint8Array[] {
	const chunks: Uint8Array[] = [];
	let start = 0;
	do {
		if (bytes.length - start < 10 || MAGIC.some((b, i) => bytes[start + i] !== b)) throw new MalformedChunk('not an Automerge chunk');
		const reader = new Reader(bytes, start + 8);
		reader.byte();
		reader.take(reader.uleb());
		chunks.push(bytes.subarray(start, reader.pos));
		start = reader.pos;
	} while (start < bytes.length);
	return chunks;
}

/** Splits one chunk into its type and body. */
export function readChunk(bytes: Uint8Array): Chunk {
	if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new MalformedChunk('not an Automerge chunk');
	const reader = new Reader(bytes, 8);
	const type = reader.byte();
	const length = reader.uleb();
	const body = reader.take(length);
	if (!reader.done) throw new MalformedChunk('bytes after the chunk');
	return { type, body };
}

/** Inflates raw deflate data, refusing as soon as it would grow past `max` bytes. */
export function inflateCapped(data: Uint8Array, max: number): Uint8Array {
	try {
		return inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
	} catch (error) {
		if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new OverLimit('bytes');
		throw new MalformedChunk('bad deflate data');
	}
}

/** Run-length encoded integers (unsigned, or signed for delta columns); null runs allowed. */
class RleColumn {
	#reader: Reader;
	#signed: boolean;
	#left = 0;
	#kind: 'run' | 'literal' | 'null' = 'null';
	#value = 0;

	constructor(data: Uint8Array | undefined, signed: boolean) {
		this.#reader = new Reader(data ?? new Uint8Array(0));
		this.#signed = signed;
	}

	#read(): number {
		return this.#signed ? this.#reader.sleb() : this.#reader.uleb();
	}

	/** The next value; null for a null entry and for a column that ran out (Automerge omits trailing nulls). */
	next(): number | null | undefined {
		if (this.#left === 0) {
			if (this.#reader.done) return undefined;
			const count = this.#reader.sleb();
			if (count > 0) {
				this.#kind = 'run';
				this.#left = count;
				this.#value = this.#read();
			} else if (count < 0) {
				this.#kind = 'literal';
				this.#left = -count;
			} else {
				this.#kind = 'null';
				this.#left = this.#reader.uleb();
				if (this.#left === 0) throw new MalformedChunk('empty null run');
			}
		}
		this.#left -= 1;
		if (this.#kind === 'run') return this.#value;
		if (this.#kind === 'literal') return this.#read();
		return null;
	}
}

/** Deltas, summed: op and key counters are stored this way. */
class DeltaColumn {
	#rle: RleColumn;
	#sum = 0;
	constructor(data: Uint8Array | undefined) {
		this.#rle = new RleColumn(data, true);
	}
	next(): number | null {
		const delta = this.#rle.next();
		if (delta === null || delta === undefined) return null;
		this.#sum += delta;
		return this.#sum;
	}
}

// Column specs: id << 4 | deflate bit (8) | type. Only the columns that place objects are read.
const DEFLATE = 0x08;
const OBJ_ACTOR = 0x01;
const OBJ_COUNTER = 0x02;
const ID_ACTOR = 0x21;
const ID_COUNTER = 0x23;
const ACTION = 0x42;
/** Actions that make an object: makeMap 0, makeList 2, makeText 4, makeTable 6. */
const MAKES = new Set([0, 2, 4, 6]);

interface Budget {
	/** Bytes the chunk may take once every deflated part is inflated. */
	bytes: number;
	operations: number;
}

/**
 * Each column's data by spec, inflated where it is deflated. The budget, already charged with the
 * body as sent, is charged with what inflating adds.
 */
function readColumns(reader: Reader, specs: Array<[number, number]>, budget: Budget): Map<number, Uint8Array> {
	const columns = new Map<number, Uint8Array>();
	for (const [spec, length] of specs) {
		let data = reader.take(length);
		if (spec & DEFLATE) {
			data = inflateCapped(data, budget.bytes + length);
			budget.bytes -= data.length - length;
			if (budget.bytes < 0) throw new OverLimit('bytes');
		}
		columns.set(spec & ~DEFLATE, data);
	}
	return columns;
}

function readSpecs(reader: Reader): Array<[number, number]> {
	const count = reader.uleb();
	if (count > 64) throw new MalformedChunk('too many columns');
	const specs: Array<[number, number]> = [];
	for (let i = 0; i < count; i++) specs.push([reader.uleb(), reader.uleb()]);
	return specs;
}

function readActor(reader: Reader): string {
	return Buffer.from(reader.take(reader.uleb())).toString('hex');
}

export interface MadeObject {
	/** As Automerge names it: `counter@actor`. */
	id: string;
	/** The object it was made in; `_root` for the document's root. */
	parent: string;
}

export interface ChunkSummary {
	operations: number;
	/** Bytes once inflated (the whole chunk body). */
	inflatedBytes: number;
	made: MadeObject[];
}

const objectId = (actors: string[], actor: number | null | undefined, counter: number | null): string => {
	if (counter === null || counter === 0) return '_root';
	const name = actor === null || actor === undefined ? undefined : actors[actor];
	if (name === undefined) throw new MalformedChunk('unknown actor');
	return `${counter}@${name}`;
};

/** Walks the operation rows, collecting the objects made, and stops once over the operation cap. */
function walkOperations(columns: Map<number, Uint8Array>, actors: string[], budget: Budget, idOf: (row: number, id: { actor: RleColumn; counter: DeltaColumn }) => string): { operations: number; made: MadeObject[] } {
	const action = new RleColumn(columns.get(ACTION), false);
	const objActor = new RleColumn(columns.get(OBJ_ACTOR), false);
	const objCounter = new RleColumn(columns.get(OBJ_COUNTER), false);
	const ids = { actor: new RleColumn(columns.get(ID_ACTOR), false), counter: new DeltaColumn(columns.get(ID_COUNTER)) };
	const made: MadeObject[] = [];
	let operations = 0;
	for (;;) {
		const act = action.next();
		if (act === undefined) break;
		operations += 1;
		if (operations > budget.operations) throw new OverLimit('operations');
		const parentActor = objActor.next();
		const parentCounter = objCounter.next() ?? null;
		const id = idOf(operations - 1, ids);
		if (act !== null && MAKES.has(act)) made.push({ id, parent: objectId(actors, parentActor, parentCounter) });
	}
	return { operations, made };
}

/** A change chunk's body (already inflated when it came compressed). */
export function summariseChange(body: Uint8Array, budget: Budget): ChunkSummary {
	const remaining = { ...budget, bytes: budget.bytes - body.length };
	if (remaining.bytes < 0) throw new OverLimit('bytes');
	const reader = new Reader(body);
	const deps = reader.uleb();
	reader.take(deps * 32);
	const actors = [readActor(reader)];
	reader.uleb(); // seq
	const startOp = reader.uleb();
	reader.sleb(); // time
	reader.take(reader.uleb()); // message
	const others = reader.uleb();
	if (others > body.length) throw new MalformedChunk('too many actors');
	for (let i = 0; i < others; i++) actors.push(readActor(reader));
	const columns = readColumns(reader, readSpecs(reader), remaining);
	const { operations, made } = walkOperations(columns, actors, budget, (row) => `${startOp + row}@${actors[0]}`);
	return { operations, inflatedBytes: budget.bytes - remaining.bytes, made };
}

/** A whole-document chunk, as a stock client sends on the first sync of a document the relay lacks. */
export function summariseDocument(body: Uint8Array, budget: Budget): ChunkSummary {
	const reader = new Reader(body);
	const actorCount = reader.uleb();
	if (actorCount > body.length) throw new MalformedChunk('too many actors');
	const actors: string[] = [];
	for (let i = 0; i < actorCount; i++) actors.push(readActor(reader));
	const heads = reader.uleb();
	reader.take(heads * 32);
	const changeSpecs = readSpecs(reader);
	const opSpecs = readSpecs(reader);
	const remaining = { ...budget, bytes: budget.bytes - body.length };
	if (remaining.bytes < 0) throw new OverLimit('bytes');
	readColumns(reader, changeSpecs, remaining); // only inflated to be measured
	const columns = readColumns(reader, opSpecs, remaining);
	const { operations, made } = walkOperations(columns, actors, budget, (_row, id) => objectId(actors, id.actor.next(), id.counter.next()));
	return { operations, inflatedBytes: budget.bytes - remaining.bytes, made };
}

/** Whether an entry of a sync message's `changes` is a whole document (cheap: reads the header). */
export const isDocumentChunk = (bytes: Uint8Array): boolean => bytes.length > 8 && bytes[8] === CHUNK_TYPE.document;

/** Measures one entry of a sync message's `changes`, within the given caps. */
export function summariseChunk(bytes: Uint8Array, budget: Budget): ChunkSummary & { type: number } {
	const { type, body } = readChunk(bytes);
	if (type === CHUNK_TYPE.change) return { type, ...summariseChange(body, budget) };
	if (type === CHUNK_TYPE.compressed) return { type, ...summariseChange(inflateCapped(body, budget.bytes), budget) };
	if (type === CHUNK_TYPE.document) return { type, ...summariseDocument(body, budget) };
	throw new MalformedChunk('unknown chunk type');
}
