// Builds the export file of a neighbourhood (format.ts): every document with its full history,
// the manifest, the readable copies and the LEESMIJ. Runs in the browser (the managers' export
// button) and in Node (`noaber export`); Automerge must be ready (its wasm loaded) before the call.
import * as A from '@automerge/automerge/slim';
import { zipSync, type Zippable } from 'fflate';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import {
	ACCESS,
	FORMAT,
	MANIFEST_FILE,
	README_FILE,
	VERSION,
	documentFile,
	isDocumentId,
	sha256Hex,
	zipTime,
	type DocumentEntry,
	type FileEntry,
	type Manifest
} from './format.ts';
import { readableCopies } from './readable.ts';
import { readmeText } from './readme.ts';
import { documentIdOf } from '../automerge/document-id.ts';

/** What an operator's export adds with --with-access: files of the relay, as JSON values (hashes only). */
export interface AccessFiles {
	/** The relay's registry record of the neighbourhood (relay/registry.ts), without its secrets. */
	registry: unknown;
	/** The neighbourhood's access book (relay/access-book.ts): members, roles, hashed device credentials. */
	book: unknown;
	/**
	 * The relay's erasure records (relay/erase.ts), when there were erasures: the new relay needs them
	 * to refuse the erased changes that devices with an old copy still offer.
	 */
	erasures?: unknown;
}

export interface ExportInput {
	/** The root document's id (or its `automerge:` URL); it must be among `documents`. */
	root: string;
	/** The neighbourhood's name; by default the name in the root. */
	name?: string;
	/** Every document of the neighbourhood by document id (no `automerge:`), as Automerge binaries (a save, or chunks one after another). */
	documents: ReadonlyMap<string, Uint8Array>;
	/** Only the operator's export; the app never passes it. */
	access?: AccessFiles;
	/** ISO time of the export; by default now. Stamps the manifest, the ZIP entries and the readable copies. */
	createdAt?: string;
	/** The Noaber version that made the file. */
	app?: string;
}

const encoder = new TextEncoder();
const jsonBytes = (value: unknown) => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The export as ZIP bytes. Throws (a programming error, not a user's) when the root is missing from
 * `documents`, a document id is not one, a binary is not an Automerge document, or the root is not
 * a neighbourhood.
 */
export async function exportArchive(input: ExportInput): Promise<Uint8Array> {
	const createdAt = input.createdAt ?? new Date().toISOString();
	const rootId = documentIdOf(input.root);
	if (!input.documents.has(rootId)) throw new Error(`The root document ${rootId} is not among the documents`);
	const ids = [...input.documents.keys()].sort();
	const loaded = new Map<string, unknown>();
	const entries: DocumentEntry[] = [];
	const zip: Zippable = {};
	const mtime = zipTime(createdAt);
	const saved = new Map<string, Uint8Array>();
	for (const id of ids) {
		if (!isDocumentId(id)) throw new Error(`Not a document id: ${id}`);
		// A save, or stored chunks put one after another, load alike (load is twice as fast as loadIncremental).
		const doc = A.load<unknown>(input.documents.get(id)!);
		if (A.getHeads(doc).length === 0) throw new Error(`Not an Automerge document, or an empty one: ${id}`);
		// Saved again: whatever chunks the caller had, the file holds one compact document.
		const bytes = A.save(doc);
		loaded.set(id, doc);
		saved.set(id, bytes);
		entries.push({
			id,
			file: documentFile(id),
			bytes: bytes.length,
			sha256: await sha256Hex(bytes),
			heads: [...A.getHeads(doc)].sort(),
			changes: A.stats(doc).numChanges
		});
	}
	const root = readNeighbourhood(loaded.get(rootId));
	if (!root.ok) throw new Error(`The root document ${rootId} is not a neighbourhood`);
	const name = input.name ?? root.neighbourhood.name;

	const other = new Map<string, Uint8Array>();
	other.set(README_FILE, encoder.encode(readmeText({ name, createdAt, withAccess: !!input.access })));
	for (const [file, text] of readableCopies(rootId, loaded, createdAt)) other.set(file, encoder.encode(text));
	if (input.access) {
		other.set(ACCESS.registry, jsonBytes(input.access.registry));
		other.set(ACCESS.book, jsonBytes(input.access.book));
		if (input.access.erasures !== undefined) other.set(ACCESS.erasures, jsonBytes(input.access.erasures));
	}
	const files: FileEntry[] = [];
	for (const [file, bytes] of other) files.push({ file, bytes: bytes.length, sha256: await sha256Hex(bytes) });

	const manifest: Manifest = {
		format: FORMAT,
		version: VERSION,
		createdAt,
		app: input.app ?? 'noaber',
		neighbourhood: { id: root.neighbourhood.id, name, root: `automerge:${rootId}` },
		documents: entries,
		files,
		withAccess: !!input.access
	};
	zip[README_FILE] = [other.get(README_FILE)!, { mtime }];
	zip[MANIFEST_FILE] = [jsonBytes(manifest), { mtime }];
	// Stored, not deflated: Automerge compresses its own columns, and deflating them again took 60
	// times as long for 5 % less (measured on the ten-year neighbourhood at a tenth of its size).
	for (const entry of entries) zip[entry.file] = [saved.get(entry.id)!, { mtime, level: 0 }];
	for (const [file, bytes] of other) if (file !== README_FILE) zip[file] = [bytes, { mtime, level: 6 }];
	return zipSync(zip);
}
