// `noaber restore <backup folder>`: puts a backup (backup.ts) into an empty data folder and then
// checks, by loading every document back from the restored folder, that it holds what the backup's
// manifest says. A backup whose files do not match their checksums is refused before anything is
// written; a data folder that holds anything is never written into.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BadManifest, readManifest, sha256, type FileEntry, type Manifest } from './backup-manifest.ts';
import { FOLDER_MODE } from './data-folder.ts';
import { Registry } from './registry.ts';
import { writeSynced } from './synced-file.ts';
import { readStoredDocument, stateOf, UnreadableDocument } from './stored-document.ts';

/** Why a restore did not start; nothing was written. */
export type Refusal =
	| { kind: 'not-empty'; data: string }
	| { kind: 'no-backup'; folder: string }
	| { kind: 'bad-manifest'; folder: string; reason: string }
	| { kind: 'damaged'; folder: string; missing: string[]; damaged: string[] };

export class RestoreRefused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.kind);
	}
}

/** One thing in the restored folder that is not as the manifest says. */
export type Mismatch =
	| { kind: 'document-missing'; id: string }
	| { kind: 'document-unreadable'; id: string; reason: string }
	| { kind: 'document-differs'; id: string; expected: { heads: string[]; changes: number }; found: { heads: string[]; changes: number } }
	| { kind: 'file-missing'; path: string }
	| { kind: 'file-differs'; path: string }
	| { kind: 'neighbourhood-missing'; id: string; name: string };

export interface RestoreResult {
	data: string;
	manifest: Manifest;
	/** Empty when the restored folder holds exactly what was backed up. */
	mismatches: Mismatch[];
}

const everyFile = (manifest: Manifest): FileEntry[] => [...manifest.documents.map((d) => d.file), ...manifest.files];

function readIfThere(path: string): Buffer | undefined {
	try {
		return readFileSync(path);
	} catch {
		return undefined;
	}
}

/** The backup's manifest, once every file it lists is there with its checksum; refuses otherwise. */
export function checkBackup(folder: string): Manifest {
	if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new RestoreRefused({ kind: 'no-backup', folder });
	let manifest: Manifest;
	try {
		manifest = readManifest(folder);
	} catch (error) {
		if (error instanceof BadManifest && error.message === 'missing') throw new RestoreRefused({ kind: 'no-backup', folder });
		throw new RestoreRefused({ kind: 'bad-manifest', folder, reason: (error as Error).message });
	}
	const paths = everyFile(manifest).map((f) => f.path);
	if (new Set(paths).size !== paths.length) throw new RestoreRefused({ kind: 'bad-manifest', folder, reason: 'not a Noaber backup manifest (it lists a file twice)' });
	const missing: string[] = [];
	const damaged: string[] = [];
	for (const file of everyFile(manifest)) {
		const bytes = readIfThere(join(folder, file.path));
		if (!bytes) missing.push(file.path);
		else if (bytes.length !== file.bytes || sha256(bytes) !== file.sha256) damaged.push(file.path);
	}
	if (missing.length > 0 || damaged.length > 0) throw new RestoreRefused({ kind: 'damaged', folder, missing, damaged });
	return manifest;
}

/** Absent, or an empty folder: the only places a restore writes into. */
function isFree(data: string): boolean {
	if (!existsSync(data)) return true;
	return statSync(data).isDirectory() && readdirSync(data).length === 0;
}


export async function restoreBackup(options: { backup: string; data: string }): Promise<RestoreResult> {
	const backup = resolve(options.backup);
	const data = resolve(options.data);
	if (!isFree(data)) throw new RestoreRefused({ kind: 'not-empty', data });
	const manifest = checkBackup(backup);
	mkdirSync(data, { recursive: true, mode: FOLDER_MODE });
	// An empty folder made beforehand may be readable by others; the restored one holds credentials.
	chmodSync(data, FOLDER_MODE);
	for (const file of everyFile(manifest)) writeSynced(join(data, file.path), readFileSync(join(backup, file.path)));
	return { data, manifest, mismatches: await verifyRestored(data, manifest) };
}

const sameHeads = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h, i) => h === b[i]);

/**
 * What in the data folder differs from the manifest: every document loaded back (heads and number
 * of changes), every other file by checksum, every neighbourhood through the relay's own registry.
 */
export async function verifyRestored(data: string, manifest: Manifest): Promise<Mismatch[]> {
	const mismatches: Mismatch[] = [];
	const documents = join(data, 'documents');
	for (const entry of manifest.documents) {
		let doc;
		try {
			doc = await readStoredDocument(documents, entry.id, 1);
		} catch (error) {
			mismatches.push({ kind: 'document-unreadable', id: entry.id, reason: error instanceof UnreadableDocument ? error.message : String(error) });
			continue;
		}
		if (!doc) {
			mismatches.push({ kind: 'document-missing', id: entry.id });
			continue;
		}
		const found = stateOf(doc);
		const expected = { heads: [...entry.heads].sort(), changes: entry.changes };
		if (!sameHeads(found.heads, expected.heads) || found.changes !== expected.changes) mismatches.push({ kind: 'document-differs', id: entry.id, expected, found });
	}
	for (const file of manifest.files) {
		const bytes = readIfThere(join(data, file.path));
		if (!bytes) mismatches.push({ kind: 'file-missing', path: file.path });
		else if (sha256(bytes) !== file.sha256) mismatches.push({ kind: 'file-differs', path: file.path });
	}
	const registry = new Registry(data);
	for (const n of manifest.neighbourhoods) if (!registry.find(n.id)) mismatches.push({ kind: 'neighbourhood-missing', id: n.id, name: n.name });
	return mismatches;
}
