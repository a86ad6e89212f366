// Reads an export file (format.ts) and verifies all of it before anyone writes anything: the ZIP
// itself (sizes bounded before inflating, CRC-32 of every entry), the manifest, every file's size
// and SHA-256, that the files and the manifest list each other exactly, and every document loaded
// with Automerge with the heads and change count the manifest promises. Refusals carry a reason
// with a message `archive.refused.<reason>`, so the app and the relay say the same thing.
import * as A from '@automerge/automerge/slim';
import * as v from 'valibot';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import {
	ACCESS,
	FORMAT,
	LIMITS,
	MANIFEST_FILE,
	Manifest,
	VERSION,
	documentFile,
	sha256Hex,
	type DocumentEntry,
	type RefusalReason
} from './format.ts';
import { unpack, ZipRefused } from './zip-entries.ts';
import { documentIdOf } from '../automerge/document-id.ts';

export interface ArchiveDocument {
	entry: DocumentEntry;
	/** The document's bytes as in the file (Automerge.save). */
	bytes: Uint8Array;
	doc: A.Doc<unknown>;
}

export interface Archive {
	manifest: Manifest;
	/** By document id. */
	documents: Map<string, ArchiveDocument>;
	/** Every other listed file by its name (LEESMIJ, readable copies, access files). */
	files: Map<string, Uint8Array>;
	/** Present only when the manifest says withAccess: parsed JSON, to be checked by whoever uses it. */
	access?: { registry: unknown; book: unknown; erasures?: unknown };
}

export type ReadResult = { ok: true; archive: Archive } | { ok: false; reason: RefusalReason; detail?: string };

const refuse = (reason: RefusalReason, detail?: string): ReadResult => ({ ok: false, reason, ...(detail ? { detail } : {}) });
const decoder = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array): unknown {
	try {
		return JSON.parse(decoder.decode(bytes));
	} catch {
		return undefined;
	}
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The file's contents, verified; or why it is refused. Never throws for anything in the bytes. */
export async function readArchive(bytes: Uint8Array): Promise<ReadResult> {
	let unpacked: Map<string, Uint8Array>;
	try {
		unpacked = unpack(bytes);
	} catch (error) {
		if (error instanceof ZipRefused) return refuse(error.reason);
		return refuse('notZip');
	}
	const manifestBytes = unpacked.get(MANIFEST_FILE);
	if (!manifestBytes) return refuse('missing', MANIFEST_FILE);
	if (manifestBytes.length > LIMITS.manifestBytes) return refuse('tooLarge', MANIFEST_FILE);
	const json = parseJson(manifestBytes);
	if (typeof json !== 'object' || json === null) return refuse('manifest', 'not JSON');
	const head = json as { format?: unknown; version?: unknown };
	if (head.format !== FORMAT) return refuse('manifest', 'format');
	// A newer version is refused by name, so the person knows to update Noaber rather than suspect the file.
	if (head.version !== VERSION) return refuse('version', String(head.version));
	const parsed = v.safeParse(Manifest, json);
	if (!parsed.success) return refuse('manifest', v.getDotPath(parsed.issues[0]) ?? 'manifest');
	const manifest = parsed.output;

	// The manifest and the file must list each other exactly.
	const listed = new Set<string>([MANIFEST_FILE]);
	for (const entry of manifest.documents) {
		if (entry.file !== documentFile(entry.id) || listed.has(entry.file)) return refuse('manifest', entry.file);
		listed.add(entry.file);
	}
	for (const entry of manifest.files) {
		if (listed.has(entry.file) || entry.file.startsWith('documents/')) return refuse('manifest', entry.file);
		listed.add(entry.file);
	}
	for (const name of unpacked.keys()) if (!listed.has(name)) return refuse('unlisted', name);
	for (const name of listed) if (!unpacked.has(name)) return refuse('missing', name);
	const rootId = documentIdOf(manifest.neighbourhood.root);
	if (!manifest.documents.some((d) => d.id === rootId)) return refuse('manifest', 'root');
	const hasAccess = unpacked.has(ACCESS.registry) && unpacked.has(ACCESS.book);
	if (manifest.withAccess !== hasAccess || (!hasAccess && unpacked.has(ACCESS.erasures))) return refuse('manifest', 'withAccess');

	for (const entry of [...manifest.documents, ...manifest.files]) {
		const content = unpacked.get(entry.file)!;
		if (content.length !== entry.bytes || (await sha256Hex(content)) !== entry.sha256) return refuse('checksum', entry.file);
	}

	const documents = new Map<string, ArchiveDocument>();
	for (const entry of manifest.documents) {
		const content = unpacked.get(entry.file)!;
		let doc: A.Doc<unknown>;
		try {
			doc = A.load<unknown>(content);
		} catch {
			return refuse('document', entry.id);
		}
		if (!sameList([...A.getHeads(doc)].sort(), [...entry.heads].sort()) || A.stats(doc).numChanges !== entry.changes) return refuse('heads', entry.id);
		documents.set(entry.id, { entry, bytes: content, doc });
	}
	const root = readNeighbourhood(documents.get(rootId)!.doc);
	if (!root.ok || root.neighbourhood.id !== manifest.neighbourhood.id) return refuse('manifest', 'neighbourhood');

	const files = new Map<string, Uint8Array>();
	for (const entry of manifest.files) files.set(entry.file, unpacked.get(entry.file)!);
	let access: Archive['access'];
	if (manifest.withAccess) {
		const registry = parseJson(files.get(ACCESS.registry)!);
		const book = parseJson(files.get(ACCESS.book)!);
		const erasures = files.has(ACCESS.erasures) ? parseJson(files.get(ACCESS.erasures)!) : undefined;
		if (registry === undefined || book === undefined || (files.has(ACCESS.erasures) && erasures === undefined)) return refuse('manifest', 'access');
		access = { registry, book, ...(erasures !== undefined ? { erasures } : {}) };
	}
	return { ok: true, archive: { manifest, documents, files, ...(access ? { access } : {}) } };
}
