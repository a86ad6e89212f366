// `noaber export`: one file with a whole neighbourhood (src/lib/archive), made from the relay's data
// folder. It reads the stored chunks directly (stored-document.ts), so it works with the relay
// running or stopped; a change the running relay took in the last fraction of a second (its
// throttled save) may be missing, and every device still holds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportArchive, type AccessFiles } from '../src/lib/archive/write.ts';
import type { NeighbourhoodRecord, Registry } from './registry.ts';
import { storedBytes } from './stored-document.ts';
import { appVersion } from './version.ts';

export interface Exported {
	bytes: Uint8Array;
	documents: number;
	/** Documents the registry lists that have no chunk in the data folder (never brought, or erased). */
	absent: string[];
}

/**
 * What `--with-access` carries: the registry record without its secrets, and the access book (hashes
 * of credentials and tickets, roles; never a secret). The agenda feed's address is left out: it
 * names the old relay, and the new one makes its own. The shared member key of before December 2026
 * is left out too: it is a secret, not a hash (close it with `noaber close-old-key` before moving).
 * The erasure records go along: which documents an erasure rewrote, so the new relay refuses the
 * erased changes a device with an old copy still offers, and tells devices to replace such copies.
 */
export function accessFiles(data: string, record: NeighbourhoodRecord): AccessFiles {
	const { id, name, root, createdAt, rotatedAt } = record;
	let book: unknown = { approval: 'open', members: {}, devices: {}, tickets: {}, codes: {}, history: [] };
	try {
		book = JSON.parse(readFileSync(join(data, 'access', `${id}.json`), 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The access book of ${name} cannot be read: ${(error as Error).message}`);
	}
	let erasures: unknown;
	try {
		erasures = JSON.parse(readFileSync(join(data, 'erasures', `${id}.json`), 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The erasure records of ${name} cannot be read: ${(error as Error).message}`);
	}
	return { registry: { id, name, root, createdAt, ...(rotatedAt ? { rotatedAt } : {}) }, book, ...(erasures !== undefined ? { erasures } : {}) };
}

export async function exportNeighbourhood(
	data: string,
	registry: Pick<Registry, 'documentsOf'>,
	record: NeighbourhoodRecord,
	options: { withAccess: boolean; createdAt?: string }
): Promise<Exported> {
	const documents = new Map<string, Uint8Array>();
	const absent: string[] = [];
	for (const id of registry.documentsOf(record.id).sort()) {
		// As stored: exportArchive loads the chunks and saves them as one document.
		const bytes = await storedBytes(data, id);
		if (bytes) documents.set(id, bytes);
		else absent.push(id);
	}
	const bytes = await exportArchive({
		root: record.root,
		name: record.name,
		documents,
		createdAt: options.createdAt,
		app: appVersion(),
		...(options.withAccess ? { access: accessFiles(data, record) } : {})
	});
	return { bytes, documents: documents.size, absent };
}
