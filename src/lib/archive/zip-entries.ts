// Reads a ZIP's central directory and unpacks its entries with every size bounded before anything
// is inflated. fflate (0.8.3) unpacks without checking an entry's CRC-32, and trusts the sizes the
// file declares; an imported export is outside input, so this reads the directory itself, refuses
// a file that promises too much (a zip bomb) before inflating, inflates each entry into a buffer of
// exactly its declared size, and then checks both the size and the CRC-32 of what came out.
import { inflateSync } from 'fflate';
import { LIMITS } from './format.ts';

export type ZipProblem = 'notZip' | 'truncated' | 'tooLarge' | 'checksum';

export class ZipRefused extends Error {
	constructor(readonly reason: ZipProblem) {
		super(`zip refused: ${reason}`);
	}
}

interface Entry {
	name: string;
	nameBytes: Uint8Array;
	/** Where its record in the central directory starts. */
	central: number;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const LOCAL = 0x04034b50;

const table = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

export function crc32(data: Uint8Array): number {
	let c = 0xffffffff;
	for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function directory(data: Uint8Array): Entry[] {
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const startsLikeZip = data.length >= 4 && view.getUint32(0, true) === LOCAL;
	if (data.length < 22) throw new ZipRefused(startsLikeZip ? 'truncated' : 'notZip');
	// The end record is in the last 22 bytes plus at most a 64 KiB comment.
	let end = -1;
	for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
		if (view.getUint32(i, true) === END && i + 22 + view.getUint16(i + 20, true) === data.length) {
			end = i;
			break;
		}
	}
	if (end < 0) throw new ZipRefused(startsLikeZip ? 'truncated' : 'notZip');
	const count = view.getUint16(end + 10, true);
	const size = view.getUint32(end + 12, true);
	const offset = view.getUint32(end + 16, true);
	// 0xffff / 0xffffffff mean ZIP64, which this format never needs (it stays far below 4 GiB).
	if (count === 0xffff || offset === 0xffffffff) throw new ZipRefused('tooLarge');
	if (count > LIMITS.files) throw new ZipRefused('tooLarge');
	if (offset + size > end) throw new ZipRefused('truncated');
	const entries: Entry[] = [];
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let at = offset;
	let total = 0;
	for (let i = 0; i < count; i++) {
		if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw new ZipRefused('checksum');
		const nameLength = view.getUint16(at + 28, true);
		const extra = view.getUint16(at + 30, true);
		const comment = view.getUint16(at + 32, true);
		if (at + 46 + nameLength > end) throw new ZipRefused('checksum');
		let name: string;
		try {
			name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));
		} catch {
			throw new ZipRefused('checksum');
		}
		const entry: Entry = {
			name,
			nameBytes: data.subarray(at + 46, at + 46 + nameLength),
			central: at,
			method: view.getUint16(at + 10, true),
			crc: view.getUint32(at + 16, true),
			compressedSize: view.getUint32(at + 20, true),
			size: view.getUint32(at + 24, true),
			localOffset: view.getUint32(at + 42, true)
		};
		if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw new ZipRefused('tooLarge');
		total += entry.size;
		if (total > LIMITS.totalBytes) throw new ZipRefused('tooLarge');
		entries.push(entry);
		at += 46 + nameLength + extra + comment;
	}
	return entries;
}

/**
 * Every entry of the ZIP, unpacked and checked. Throws ZipRefused: notZip, truncated, tooLarge
 * (over LIMITS before inflating), checksum (a changed byte: CRC-32 or size differs, or bad deflate).
 * A name that occurs twice is refused too: which one a reader takes would be ambiguous.
 */
export function unpack(data: Uint8Array): Map<string, Uint8Array> {
	if (data.length > LIMITS.fileBytes) throw new ZipRefused('tooLarge');
	const entries = directory(data);
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const files = new Map<string, Uint8Array>();
	for (const entry of entries) {
		if (files.has(entry.name)) throw new ZipRefused('checksum');
		const local = entry.localOffset;
		if (local + 30 > data.length) throw new ZipRefused('truncated');
		if (view.getUint32(local, true) !== LOCAL) throw new ZipRefused('checksum');
		// The local header repeats the directory's version, flags, method, time, CRC, sizes and name:
		// a changed byte there is refused as well, even where it would not change the content.
		const nameLength = view.getUint16(local + 26, true);
		if (local + 30 + nameLength > data.length) throw new ZipRefused('truncated');
		for (let i = 0; i < 22; i++) if (data[local + 4 + i] !== data[entry.central + 6 + i]) throw new ZipRefused('checksum');
		if (nameLength !== entry.nameBytes.length || entry.nameBytes.some((b, i) => data[local + 30 + i] !== b)) throw new ZipRefused('checksum');
		const start = local + 30 + nameLength + view.getUint16(local + 28, true);
		if (start + entry.compressedSize > data.length) throw new ZipRefused('truncated');
		const packed = data.subarray(start, start + entry.compressedSize);
		let content: Uint8Array;
		if (entry.method === 0) content = packed.slice();
		else if (entry.method === 8) {
			try {
				// Into exactly the declared size: inflating more than that is dropped, and caught below.
				content = inflateSync(packed, { out: new Uint8Array(entry.size) });
			} catch {
				throw new ZipRefused('checksum');
			}
		} else throw new ZipRefused('notZip');
		if (content.length !== entry.size || crc32(content) !== entry.crc) throw new ZipRefused('checksum');
		files.set(entry.name, content);
	}
	return files;
}
