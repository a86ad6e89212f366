// `noaber backup <dir>`: a consistent copy of a relay's data folder, made while the relay runs, in
// a new folder <dir>/noaber-<YYYYMMDD-HHMMSS>/ that is itself a data folder (start a relay on it,
// or `noaber restore` it) with a manifest.json of checksums, heads and change counts.
//
// What goes in, and why (README "Back-ups"):
//   documents/     each document as ONE compacted snapshot, read consistently (stored-document.ts);
//                  left out: the relay's storage id (a restored relay gets a new one, so every device
//                  syncs everything it has with it again) and the sync states of peers (derived)
//   every other file of the data folder, copied whole: neighbourhoods/, owners/ (registry),
//                  access/ (members, hashed credentials, roles), actors/, changes/, erasures/,
//                  reports/, mail/ (choices and the unsubscribe key), push/ (the VAPID key pair,
//                  subscriptions, waiting notifications), and whatever state a newer relay keeps
//   left out:      setup-token (one use; a relay without neighbourhoods makes a new one), files
//                  being written (*.tmp, names starting with a dot such as documents/.partial) and
//                  anything that is not a plain file
// Files written whole (tmp + rename) are read whole; append-only logs (*.log, *.jsonl) up to their
// last complete line, since the relay may be appending to them.
import * as A from '@automerge/automerge/slim';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { BACKUP_NAME, FORMAT, isOwnBackup, MANIFEST, sha256, VERSION, type DocumentEntry, type FileEntry, type Manifest } from './backup-manifest.ts';
import { FOLDER_MODE } from './data-folder.ts';
import { Registry } from './registry.ts';
import { syncFolder, writeSynced } from './synced-file.ts';
import { documentFolder, readStoredDocument, snapshotName, stateOf, storedDocumentIds } from './stored-document.ts';

export const DEFAULT_KEEP = 7;
const DOCUMENTS = 'documents';
/** Top-level files that are not part of a backup (see above). */
const LEFT_OUT = new Set(['setup-token']);
const APPEND_ONLY = /\.(log|jsonl)$/;

export interface BackupResult {
	folder: string;
	manifest: Manifest;
	bytes: number;
	/** Older backups removed to keep `keep`. */
	removed: string[];
}

export class BackupRefused extends Error {}



/** Every plain file under `folder` (relative paths, `/`-separated), minus what a backup leaves out. */
function stateFiles(data: string): string[] {
	const found: string[] = [];
	const walk = (folder: string) => {
		let entries;
		try {
			entries = readdirSync(folder, { withFileTypes: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (an old change log)
			throw error;
		}
		for (const entry of entries) {
			if (entry.name.startsWith('.') || entry.name.endsWith('.tmp')) continue;
			const path = join(folder, entry.name);
			const name = relative(data, path).split(sep).join('/');
			if (entry.isDirectory()) {
				if (name !== DOCUMENTS) walk(path);
			} else if (entry.isFile() && !LEFT_OUT.has(name)) found.push(name);
		}
	};
	walk(data);
	return found.sort();
}

/** The file's bytes as a backup takes them, or undefined when it is gone (a pruned change log). */
function readState(path: string): Uint8Array | undefined {
	let bytes: Buffer;
	try {
		bytes = readFileSync(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	if (!APPEND_ONLY.test(path)) return bytes;
	// A line being appended right now belongs to the next backup.
	return bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** A name for this backup that no other folder in `dir` has. */
function freeName(dir: string, at: Date): string {
	const base = `noaber-${stamp(at)}`;
	for (let n = 1; ; n++) {
		const name = n === 1 ? base : `${base}-${n}`;
		if (!existsSync(join(dir, name)) && !existsSync(join(dir, `.${name}.partial`))) return name;
	}
}

export interface BackupOptions {
	data: string;
	dir: string;
	keep?: number;
	now?: () => Date;
}

export async function makeBackup(options: BackupOptions): Promise<BackupResult> {
	const data = resolve(options.data);
	const dir = resolve(options.dir);
	const keep = options.keep ?? DEFAULT_KEEP;
	if (!existsSync(join(data, 'neighbourhoods')) && !existsSync(join(data, DOCUMENTS))) throw new BackupRefused(`no data folder at ${data}`);
	if (dir === data || dir.startsWith(data + sep)) throw new BackupRefused('the backup folder may not be inside the data folder');
	mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
	const at = (options.now ?? (() => new Date()))();
	const name = freeName(dir, at);
	// Made under a hidden name and renamed when complete: a folder named noaber-… is always whole.
	const work = join(dir, `.${name}.partial`);
	mkdirSync(work, { mode: FOLDER_MODE });
	let bytes = 0;
	try {
		// Documents first, then the registry: a document a member brings meanwhile is then at worst
		// listed without its content, which the member's device brings again; never the other way.
		const documents: DocumentEntry[] = [];
		for (const id of storedDocumentIds(join(data, DOCUMENTS))) {
			const doc = await readStoredDocument(join(data, DOCUMENTS), id);
			if (!doc) continue;
			const state = stateOf(doc);
			const key = snapshotName(A.getHeads(doc));
			const snapshot = A.save(doc);
			A.free(doc);
			const path = relative(work, join(documentFolder(join(work, DOCUMENTS), id), 'snapshot', key)).split(sep).join('/');
			writeSynced(join(work, path), snapshot);
			bytes += snapshot.length;
			documents.push({ id, file: { path, bytes: snapshot.length, sha256: sha256(snapshot) }, ...state });
		}
		const files: FileEntry[] = [];
		for (const path of stateFiles(data)) {
			const content = readState(join(data, path));
			if (!content) continue;
			writeSynced(join(work, path), content);
			bytes += content.length;
			files.push({ path, bytes: content.length, sha256: sha256(content) });
		}
		const registry = new Registry(work);
		const neighbourhoods = registry.list().map((r) => ({ id: r.id, name: r.name, documents: registry.documentsOf(r.id).length }));
		const manifest: Manifest = { format: FORMAT, version: VERSION, createdAt: at.toISOString(), source: data, neighbourhoods, documents, files };
		writeSynced(join(work, MANIFEST), new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`));
		renameSync(work, join(dir, name));
		syncFolder(dir);
		const removed = pruneBackups(dir, keep, at);
		return { folder: join(dir, name), manifest, bytes, removed };
	} catch (error) {
		rmSync(work, { recursive: true, force: true });
		throw error;
	}
}

/** The hidden folder of a backup under way; its name holds the time it started (UTC). */
const PARTIAL = /^\.noaber-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?\.partial$/;
/** A backup killed halfway leaves its hidden folder behind; one this old is no longer being written. */
const STALE_PARTIAL_MS = 24 * 3600_000;

/**
 * Removes the oldest backups in `dir` beyond the newest `keep`. Only folders `noaber backup` made
 * (their name and a manifest of ours) count and are removed; anything else in `dir` is left alone,
 * except the hidden folder of a backup that was killed halfway more than a day ago.
 */
export function pruneBackups(dir: string, keep: number, now = new Date()): string[] {
	const stale: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const t = PARTIAL.exec(entry.name);
		if (!t || !entry.isDirectory()) continue;
		const started = Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!, +t[6]!);
		if (now.getTime() - started > STALE_PARTIAL_MS) {
			rmSync(join(dir, entry.name), { recursive: true, force: true });
			stale.push(entry.name);
		}
	}
	const own = readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && BACKUP_NAME.test(entry.name) && isOwnBackup(join(dir, entry.name), entry.name))
		.map((entry) => entry.name)
		// The name is the time in UTC; a same-second second one (-2) sorts after its first.
		.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
	const removed = own.slice(0, Math.max(0, own.length - keep));
	for (const name of removed) rmSync(join(dir, name), { recursive: true, force: true });
	return [...removed, ...stale];
}
