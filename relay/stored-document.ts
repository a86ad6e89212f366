// One document as automerge-repo's NodeFSStorageAdapter (2.5.6) keeps it in a data folder:
// documents/<first 2 characters of the id>/<rest of the id>/{snapshot,incremental}/<chunk>; a
// document is all its chunks together (StorageSubsystem.loadDocData). Read and written without a
// Repo, so that backup, restore, export and import work whether the relay runs or not.
import * as A from '@automerge/automerge/slim';
import { isValidDocumentId } from '@automerge/automerge-repo/slim';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const CHUNK_KINDS = ['snapshot', 'incremental'] as const;

export const documentFolder = (documents: string, id: string): string => join(documents, id.slice(0, 2), id.slice(2));

/**
 * The key automerge-repo 2.5.6 gives a snapshot (StorageSubsystem's `headsHash`, not exported): the
 * sha256 of the heads' text run together. A snapshot saved under it is one the repo itself would
 * have written, so it recognises it and replaces it in its next compaction.
 */
export const snapshotName = (heads: readonly string[]): string => createHash('sha256').update(heads.join('')).digest('hex');

/** The ids of the documents stored under `documents` (skips the storage id and `.partial`). */
export function storedDocumentIds(documents: string): string[] {
	const ids: string[] = [];
	for (const first of readdirSafe(documents)) {
		if (!first.isDirectory() || first.name.length !== 2) continue;
		for (const rest of readdirSafe(join(documents, first.name))) {
			const id = first.name + rest.name;
			if (rest.isDirectory() && isValidDocumentId(id)) ids.push(id);
		}
	}
	return ids.sort();
}

function readdirSafe(folder: string) {
	try {
		return readdirSync(folder, { withFileTypes: true });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
}

/** A chunk vanished between listing and reading: the relay compacted the document meanwhile. */
class Moved extends Error {}

function readChunks(folder: string): Uint8Array[] {
	const chunks: Uint8Array[] = [];
	for (const kind of CHUNK_KINDS) {
		for (const entry of readdirSafe(join(folder, kind))) {
			if (!entry.isFile()) continue;
			try {
				chunks.push(readFileSync(join(folder, kind, entry.name)));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Moved();
				throw error;
			}
		}
	}
	return chunks;
}

export class UnreadableDocument extends Error {
	constructor(
		readonly documentId: string,
		reason: string
	) {
		super(`document ${documentId}: ${reason}`);
	}
}

/**
 * The document as its stored chunks hold it, read consistently while the relay may be writing it.
 * Each chunk file is whole or absent (storage.ts writes tmp + rename), but a compaction can write a
 * snapshot and remove the chunks it replaces between our listing and our reading: then a chunk is
 * gone (ENOENT) or, with an unlucky listing order, a change's dependencies are missing; either way
 * the listing is read again, a moment later. A chunk that does not load is read again too: `noaber
 * create` writes through the stock adapter, which writes in place. Undefined when the folder holds
 * no chunks (only sync states).
 */
export async function readStoredDocument(documents: string, id: string, attempts = 10): Promise<A.Doc<unknown> | undefined> {
	const folder = documentFolder(documents, id);
	let problem = 'its chunks kept changing';
	for (let attempt = 1; attempt <= attempts; attempt++) {
		if (attempt > 1) await sleep(attempt * 20);
		let chunks: Uint8Array[];
		try {
			chunks = readChunks(folder);
		} catch (error) {
			if (error instanceof Moved) continue;
			throw error;
		}
		if (chunks.length === 0) return undefined;
		let doc = A.init<unknown>();
		try {
			for (const chunk of chunks) doc = A.loadIncremental(doc, chunk);
		} catch (error) {
			A.free(doc);
			problem = `a stored chunk is damaged (${(error as Error).message})`;
			continue;
		}
		if (A.getMissingDeps(doc, []).length === 0) return doc;
		A.free(doc);
		problem = 'its chunks miss changes they depend on';
	}
	throw new UnreadableDocument(id, `${problem}; read ${attempts} times`);
}

/** What the backup records of a document and the restore checks: its heads and number of changes. */
export interface DocumentState {
	heads: string[];
	changes: number;
}

export const stateOf = (doc: A.Doc<unknown>): DocumentState => ({ heads: [...A.getHeads(doc)].sort(), changes: A.stats(doc).numChanges });

const documentsFolder = (data: string) => join(data, 'documents');

/**
 * The stored chunks of a document one after another (Automerge loads them as one document), or
 * undefined when the data folder holds none; read consistently as `readStoredDocument` reads.
 */
export async function storedBytes(data: string, documentId: string): Promise<Uint8Array | undefined> {
	const doc = await readStoredDocument(documentsFolder(data), documentId);
	if (!doc) return undefined;
	const bytes = A.save(doc);
	A.free(doc);
	return bytes;
}

/** The stored document in a data folder, or undefined when it holds no chunk of it. Throws when its chunks do not load. */
export const readStored = (data: string, documentId: string): Promise<A.Doc<unknown> | undefined> => readStoredDocument(documentsFolder(data), documentId);

/**
 * Adds a chunk to a stored document, under the key automerge-repo would give it (an incremental
 * named by the SHA-256 of its bytes), written beside and renamed into place so it is whole or
 * absent. Adding a chunk never loses what is stored: the document is all its chunks together, and a
 * running relay's compaction removes only the chunks it loaded itself.
 */
export async function addChunk(data: string, documentId: string, sha256: string, bytes: Uint8Array): Promise<void> {
	const target = join(documentsFolder(data), documentId.slice(0, 2), documentId.slice(2), 'incremental', sha256);
	// Outside every document's folder (a dot is never in a document folder's name): a relay loading
	// the document meanwhile must not read a half-written chunk.
	const partial = join(documentsFolder(data), '.import');
	await mkdir(partial, { recursive: true });
	await mkdir(dirname(target), { recursive: true });
	const temporary = join(partial, randomBytes(8).toString('hex'));
	try {
		await writeFile(temporary, bytes, { mode: 0o600 });
		await rename(temporary, target);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	} finally {
		await rmdir(partial).catch(() => undefined);
	}
}
