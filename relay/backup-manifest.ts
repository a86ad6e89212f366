// The manifest.json of a backup folder (`noaber backup`): what the folder holds, with a checksum for
// every file, so that `noaber restore` can refuse a damaged or incomplete copy before it writes
// anything, and afterwards check that the restored documents are the ones that were backed up.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'noaber-backup';
export const VERSION = 1;

/** The folders `noaber backup` makes (UTC time of the backup; `-2`… when two start in one second). */
export const BACKUP_NAME = /^noaber-\d{8}-\d{6}(-\d+)?$/;

/** A path inside the backup: relative, no `..`, so a tampered manifest cannot write elsewhere. */
const InsidePath = v.pipe(
	v.string(),
	v.check((path) => path.length > 0 && !path.startsWith('/') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'), 'not a path inside the backup')
);
const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

const FileEntry = v.object({ path: InsidePath, bytes: v.pipe(v.number(), v.integer(), v.minValue(0)), sha256: Sha256 });
const DocumentEntry = v.object({
	id: v.pipe(v.string(), v.regex(/^[1-9A-HJ-NP-Za-km-z]{10,64}$/)),
	/** The one snapshot that holds the whole document. */
	file: FileEntry,
	heads: v.array(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
	changes: v.pipe(v.number(), v.integer(), v.minValue(0))
});
const NeighbourhoodEntry = v.object({ id: v.string(), name: v.string(), documents: v.number() });

export const ManifestSchema = v.object({
	format: v.literal(FORMAT),
	version: v.literal(VERSION),
	createdAt: v.string(),
	/** The data folder it was made from, for the operator's eyes only. */
	source: v.string(),
	neighbourhoods: v.array(NeighbourhoodEntry),
	documents: v.array(DocumentEntry),
	/** The relay's other state: registry, access books, push, mail, reports, change log, … */
	files: v.array(FileEntry)
});
export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type FileEntry = v.InferOutput<typeof FileEntry>;
export type DocumentEntry = v.InferOutput<typeof DocumentEntry>;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class BadManifest extends Error {}

/** The manifest of a backup folder; throws BadManifest when it is missing, not JSON or not ours. */
export function readManifest(folder: string): Manifest {
	let text: string;
	try {
		text = readFileSync(join(folder, MANIFEST), 'utf8');
	} catch {
		throw new BadManifest('missing');
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new BadManifest('not readable JSON');
	}
	const parsed = v.safeParse(ManifestSchema, json);
	if (!parsed.success) throw new BadManifest(`not a Noaber backup manifest (${v.flatten(parsed.issues).root?.[0] ?? Object.keys(v.flatten(parsed.issues).nested ?? {})[0] ?? 'wrong shape'})`);
	return parsed.output;
}

/** Whether a folder is one `noaber backup` made: its name and a manifest that reads as ours. */
export function isOwnBackup(folder: string, name: string): boolean {
	if (!BACKUP_NAME.test(name)) return false;
	try {
		readManifest(folder);
		return true;
	} catch {
		return false;
	}
}
