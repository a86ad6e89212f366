// Ids both ways: the map's written as the UUIDs HSDS wants, and the ids in an imported file read
// as the map's.
import type { MapRead } from '../view.ts';
import { textOf } from './fields.ts';

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^(?:urn:uuid:)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;
const OWN_ID = /^[A-Za-z0-9_-]{8,64}$/;

const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;
const encoder = new TextEncoder();

function fnv64(bytes: Uint8Array, basis: bigint): string {
	let hash = basis;
	for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK64;
	return hash.toString(16).padStart(16, '0');
}

/**
 * 32 hex characters derived from text: ids for what the map stores without one (an address, a
 * theme on a service) and for foreign ids that are not UUIDs, so exporting twice, or importing the
 * same file twice, gives the same ids. Marked as a version 8 (custom) UUID.
 */
export function hashId(text: string): string {
	const bytes = encoder.encode(text);
	const hex = fnv64(bytes, 0xcbf29ce484222325n) + fnv64(bytes, 0x84222325cbf29ce4n);
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

/** The map's ids are 32 random hex characters; HSDS wants them written as a UUID. */
export function toUuid(id: string): string {
	const hex = HEX32.test(id) ? id : hashId(id);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The map id of a UUID written by `toUuid` (or by anyone else). */
export function fromUuid(uuid: string): string | undefined {
	const m = UUID.exec(uuid.trim());
	return m ? m.slice(1).join('').toLowerCase() : undefined;
}

/** The id of a part of a record (its phone, a schedule, a theme), from the record's id and what the part is. */
export const partId = (...parts: string[]) => toUuid(hashId(parts.join('\u0000')));

/** An HSDS id as the map's; `fallback` names a record that has no id, so it still gets the same one each time. */
export type IdResolver = (value: unknown, fallback: string) => string;

/** Resolves an HSDS id to the map's: an id on the map in either spelling, a UUID, or anything else hashed. */
export function idResolver(current: MapRead): IdResolver {
	const known = new Map<string, string>();
	for (const item of [...current.organizations, ...current.locations, ...current.services]) {
		known.set(item.id.toLowerCase(), item.id);
		known.set(toUuid(item.id), item.id);
	}
	return (value: unknown, fallback: string): string => {
		const raw = textOf(value);
		if (!raw) return hashId(fallback);
		const hex = fromUuid(raw);
		const hit = known.get(raw.toLowerCase()) ?? (hex ? (known.get(hex) ?? known.get(toUuid(hex))) : undefined);
		return hit ?? hex ?? (OWN_ID.test(raw) ? raw : hashId(raw));
	};
}
