// `noaber import`: a neighbourhood from an export file (src/lib/archive) into this relay's data
// folder: the same neighbourhood id, the same document ids, the same history, its registry record,
// and with an operator's export (--with-access) its access book, so devices keep their credentials.
//
// Nothing is written until all of it is verified: the file (readArchive: checksums, heads), the
// access files against their schemas, that no document or neighbourhood id here belongs to another
// neighbourhood, and that every stored document it meets can be read. A refused file changes nothing.
//
// Into a neighbourhood that is already here, the import merges: a document's history is added as one
// more chunk (stored-document.ts), so nothing stored is lost, and a document that already holds
// every change of the file is left alone: importing the same file twice writes nothing the second
// time. The access book gains the members, devices and tickets it lacks; a removal or withdrawal on
// either side stays. This is safe while the relay runs, the same way as `noaber create`: the relay
// picks up new registry and access files within a second and loads new documents from disk; a
// document it already has in memory shows the merged history after it next loads it from disk (a
// restart, or once it was idle), which the command says.
import * as A from '@automerge/automerge/slim';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { readArchive } from '../src/lib/archive/read.ts';
import type { ImportRefusal } from '../src/lib/archive/refusal-text.ts';
import { BookFile } from './access-book.ts';
import { ErasureFile } from './erase.ts';
import { writeJsonFile } from './json-file.ts';
import { Registry } from './registry.ts';
import { addChunk, readStored } from './stored-document.ts';

// Refusals besides the file's own (src/lib/archive/refusal-text.ts): `conflict`, an id in it belongs to
// another neighbourhood here; `rewritten`, a document's history here and in the file cannot be
// merged because an erasure rewrote it on one side (src/lib/erase/rewrite.ts keeps actors and
// sequence numbers, so Automerge refuses the mix with "duplicate seq"; stored together, the relay
// could not load the document any more).
export type { ImportRefusal };

type Book = v.InferOutput<typeof BookFile>;
type Erasures = v.InferOutput<typeof ErasureFile>;
/** As relay/erase.ts keeps them. */
const MAX_ERASURE_RECORDS = 500;

export type ImportOutcome =
	| { ok: false; reason: ImportRefusal; detail?: string }
	| {
			ok: true;
			neighbourhood: { id: string; name: string; root: string };
			/** The neighbourhood was not on this relay before. */
			created: boolean;
			documents: { added: number; merged: number; present: number };
			access: 'none' | 'added' | 'merged' | 'present';
			/** Erasure records that were not here yet. */
			erasures: number;
			/** Nothing was written: everything in the file was here already. */
			unchanged: boolean;
	  };

const RegistryFile = v.object({ id: v.string(), name: v.string(), root: v.string() });
const MAX_HISTORY = 500;

const revoking = ['removedAt', 'removedBy', 'withdrawnAt', 'usedAt'] as const;

/** `current` with what `imported` adds: records it lacks, and removals, withdrawals and uses it has not seen. */
export function mergeBooks(current: Book | undefined, imported: Book): Book {
	if (!current) return imported;
	const merged = structuredClone(current);
	for (const part of ['members', 'devices', 'tickets', 'codes'] as const) {
		const target = merged[part] as Record<string, Record<string, unknown>>;
		for (const [key, record] of Object.entries(imported[part] as Record<string, Record<string, unknown>>)) {
			const here = target[key];
			if (!here) {
				target[key] = structuredClone(record);
				continue;
			}
			// A credential revoked on either relay stays revoked.
			for (const field of revoking) if (record[field] !== undefined && here[field] === undefined) here[field] = record[field];
			if (part === 'members' && record.status === 'removed') here.status = 'removed';
		}
	}
	const seen = new Set(merged.history.map((entry) => JSON.stringify(entry)));
	const added = imported.history.filter((entry) => !seen.has(JSON.stringify(entry)));
	if (added.length > 0) merged.history = [...merged.history, ...added].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_HISTORY);
	return merged;
}

/** `current` with the records it lacks; the managers' period as chosen here, else as in the file. */
export function mergeErasures(current: Erasures | undefined, imported: Erasures): { merged: Erasures; added: number } {
	const seen = new Set((current?.records ?? []).map((r) => `${r.document} ${r.at}`));
	const added = imported.records.filter((r) => !seen.has(`${r.document} ${r.at}`));
	const eraseAfterMonths = current?.eraseAfterMonths ?? imported.eraseAfterMonths;
	const records = [...(current?.records ?? []), ...added].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_ERASURE_RECORDS);
	return { merged: { ...(eraseAfterMonths !== undefined ? { eraseAfterMonths } : {}), records }, added: added.length };
}

function readSchemaFile<S extends v.GenericSchema>(path: string, schema: S): v.InferOutput<S> | undefined | 'damaged' {
	if (!existsSync(path)) return undefined;
	try {
		const parsed = v.safeParse(schema, JSON.parse(readFileSync(path, 'utf8')));
		return parsed.success ? parsed.output : 'damaged';
	} catch {
		return 'damaged';
	}
}

export async function importArchiveFile(data: string, bytes: Uint8Array): Promise<ImportOutcome> {
	const read = await readArchive(bytes);
	if (!read.ok) return read;
	const { manifest, documents, access } = read.archive;
	const { id, name, root } = manifest.neighbourhood;

	let importedBook: Book | undefined;
	let importedErasures: Erasures | undefined;
	if (access) {
		const record = v.safeParse(RegistryFile, access.registry);
		if (!record.success || record.output.id !== id || record.output.root !== root) return { ok: false, reason: 'manifest', detail: 'access registry' };
		const book = v.safeParse(BookFile, access.book);
		if (!book.success) return { ok: false, reason: 'manifest', detail: 'access book' };
		importedBook = book.output;
		if (access.erasures !== undefined) {
			const erasures = v.safeParse(ErasureFile, access.erasures);
			if (!erasures.success) return { ok: false, reason: 'manifest', detail: 'erasures' };
			importedErasures = erasures.output;
		}
	}

	// From here the data folder is read; nothing is written before the plan is complete.
	const registry = new Registry(data);
	const existing = registry.list().find((r) => r.id === id);
	if (existing && existing.root !== root) return { ok: false, reason: 'conflict', detail: id };
	for (const documentId of documents.keys()) {
		const owner = registry.ownerOf(documentId);
		if (owner && owner !== id && !registry.isProvisional(documentId)) return { ok: false, reason: 'conflict', detail: documentId };
	}
	const plan: Array<{ id: string; action: 'add' | 'merge' | 'present' }> = [];
	for (const [documentId, { entry }] of documents) {
		let stored: A.Doc<unknown> | undefined;
		try {
			stored = await readStored(data, documentId);
		} catch (error) {
			throw new Error(`The stored copy of document ${documentId} cannot be read (${(error as Error).message}); nothing was imported.`);
		}
		const action = !stored ? 'add' : A.hasHeads(stored, entry.heads) ? 'present' : 'merge';
		if (action === 'merge') {
			// The merge is tried in memory first: what is stored afterwards must load.
			try {
				A.free(A.loadIncremental(A.clone(stored!), documents.get(documentId)!.bytes));
			} catch {
				return { ok: false, reason: 'rewritten', detail: documentId };
			}
		}
		plan.push({ id: documentId, action });
	}
	const bookPath = join(data, 'access', `${id}.json`);
	let book: { merged: Book; action: 'added' | 'merged' | 'present' } | undefined;
	if (importedBook) {
		const current = readSchemaFile(bookPath, BookFile);
		if (current === 'damaged') throw new Error(`The access book of ${name} on this relay cannot be read (${bookPath}); nothing was imported.`);
		const merged = mergeBooks(current, importedBook);
		book = { merged, action: !current ? 'added' : JSON.stringify(merged) === JSON.stringify(current) ? 'present' : 'merged' };
	}

	const erasuresPath = join(data, 'erasures', `${id}.json`);
	let erasures: { merged: Erasures; added: number } | undefined;
	if (importedErasures) {
		const current = readSchemaFile(erasuresPath, ErasureFile);
		if (current === 'damaged') throw new Error(`The erasure records of ${name} on this relay cannot be read (${erasuresPath}); nothing was imported.`);
		erasures = mergeErasures(current, importedErasures);
		if (current && erasures.added === 0) erasures = undefined;
	}

	// Documents first, as `noaber create` does: on disk before the registry tells anyone they exist.
	for (const step of plan) {
		if (step.action === 'present') continue;
		const { entry, bytes: content } = documents.get(step.id)!;
		await addChunk(data, step.id, entry.sha256, content);
	}
	const ids = [...documents.keys()];
	let claimed = false;
	if (!existing) registry.add({ id, name, root, documents: ids });
	else
		for (const documentId of ids) {
			if (registry.ownerOf(documentId) === id && !registry.isProvisional(documentId)) continue;
			registry.claim(documentId, id);
			claimed = true;
		}
	if (book && book.action !== 'present') writeJsonFile(bookPath, book.merged);
	// A running relay reads these at its next start (relay/erase.ts keeps them in memory).
	if (erasures) writeJsonFile(erasuresPath, erasures.merged);

	const count = (action: string) => plan.filter((p) => p.action === action).length;
	const counts = { added: count('add'), merged: count('merge'), present: count('present') };
	return {
		ok: true,
		neighbourhood: { id, name, root },
		created: !existing,
		documents: counts,
		access: book?.action ?? 'none',
		erasures: erasures?.added ?? 0,
		unchanged: !!existing && counts.added === 0 && counts.merged === 0 && !claimed && (!book || book.action === 'present') && !erasures
	};
}
