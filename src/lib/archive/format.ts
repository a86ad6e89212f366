// The one-file export of a neighbourhood (issue #15): what its ZIP holds and how the manifest reads.
// Shared by the app (the managers' export button) and the relay's `noaber export` / `noaber import`,
// so nothing here may need Node: the browser builds the same file.
//
// Layout, a plain folder that anyone can open without Noaber:
//   LEESMIJ.txt                      what this is, in Dutch then English (readme.ts)
//   manifest.json                    ids, heads, change counts, sizes and SHA-256 of every other file
//   documents/<documentId>.automerge every document with its full history (Automerge.save)
//   leesbaar/…                       readable copies made through the domain modules' views (readable.ts)
//   toegang/…                        only in an operator's export with --with-access (hashes, no secrets):
//                                    registry.json, access.json, and erasures.json when there were erasures
import * as v from 'valibot';
import { isValidDocumentId } from '@automerge/automerge-repo/slim';

export const FORMAT = 'noaber-export';
/** Raised only when a reader of the old version could not read the new file correctly. */
export const VERSION = 1;

export const README_FILE = 'LEESMIJ.txt';
export const MANIFEST_FILE = 'manifest.json';
export const DOCUMENTS_FOLDER = 'documents/';
export const DOCUMENT_SUFFIX = '.automerge';
export const READABLE = {
	agenda: 'leesbaar/agenda.ics',
	map: 'leesbaar/sociale-kaart.hsds.json',
	helpCsv: 'leesbaar/hulpvragen.csv',
	helpJson: 'leesbaar/hulpvragen.json',
	membersCsv: 'leesbaar/leden.csv',
	membersJson: 'leesbaar/leden.json'
} as const;
export const ACCESS = {
	registry: 'toegang/registry.json',
	book: 'toegang/access.json',
	/** Which documents an erasure rewrote (hashes of changes, no content), and the managers' erasure period. */
	erasures: 'toegang/erasures.json'
} as const;

/**
 * What a reader accepts before it inflates anything (an imported file is outside input, and a ZIP
 * says how large its files are before they are unpacked). A ten-year neighbourhood is some tens of
 * megabytes in well under a thousand files; these leave ample room and stop a zip bomb.
 */
export const LIMITS = {
	/** The file as given. */
	fileBytes: 512 * 1024 * 1024,
	/** All files unpacked together. */
	totalBytes: 1024 * 1024 * 1024,
	files: 20_000,
	/** The manifest alone. */
	manifestBytes: 32 * 1024 * 1024
} as const;

export const documentFile = (documentId: string): string => `${DOCUMENTS_FOLDER}${documentId}${DOCUMENT_SUFFIX}`;

/** The id a `documents/<id>.automerge` name holds, or undefined for any other name. */
export function documentIdOfFile(file: string): string | undefined {
	if (!file.startsWith(DOCUMENTS_FOLDER) || !file.endsWith(DOCUMENT_SUFFIX)) return undefined;
	const id = file.slice(DOCUMENTS_FOLDER.length, -DOCUMENT_SUFFIX.length);
	return isDocumentId(id) ? id : undefined;
}

/** A document id as automerge-repo makes them (base58check); nothing else becomes a file name or storage key. */
export const isDocumentId = (id: string): boolean => /^[1-9A-HJ-NP-Za-km-z]{8,64}$/.test(id) && isValidDocumentId(id);

const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const bytes = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Plain relative names only: no folders going up, no absolute paths, no backslashes. */
const fileName = v.pipe(
	v.string(),
	v.maxLength(300),
	v.check((name) => /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name) && !name.split('/').some((part) => part === '.' || part === '..'))
);

export const DocumentEntry = v.object({
	id: v.pipe(v.string(), v.check(isDocumentId)),
	file: fileName,
	bytes,
	sha256,
	/** Automerge's own heads (hex change hashes), sorted: recomputed from the file on import. */
	heads: v.pipe(v.array(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))), v.maxLength(1000)),
	changes: bytes
});
export type DocumentEntry = v.InferOutput<typeof DocumentEntry>;

export const FileEntry = v.object({ file: fileName, bytes, sha256 });
export type FileEntry = v.InferOutput<typeof FileEntry>;

export const Manifest = v.object({
	format: v.literal(FORMAT),
	version: v.literal(VERSION),
	createdAt: v.pipe(v.string(), v.isoTimestamp()),
	app: v.pipe(v.string(), v.maxLength(40)),
	neighbourhood: v.object({
		id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
		name: v.pipe(v.string(), v.maxLength(200)),
		root: v.pipe(v.string(), v.regex(/^automerge:[1-9A-HJ-NP-Za-km-z]{8,64}$/))
	}),
	documents: v.pipe(v.array(DocumentEntry), v.minLength(1), v.maxLength(LIMITS.files)),
	files: v.pipe(v.array(FileEntry), v.maxLength(LIMITS.files)),
	withAccess: v.boolean()
});
export type Manifest = v.InferOutput<typeof Manifest>;

/** Why a file was refused; each has a message `archive.refused.<reason>` in Dutch and English. */
export const REFUSAL_REASONS = [
	'notZip',
	'truncated',
	'tooLarge',
	'checksum',
	'version',
	'manifest',
	'missing',
	'unlisted',
	'document',
	'heads'
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The ZIP's own modification time for every entry: the export's moment, so equal input gives equal bytes. */
export const zipTime = (createdAt: string): Date => new Date(createdAt);

/** The file name to offer: `<neighbourhood-slug>-<YYYY-MM-DD>.noaber.zip`. */
export function archiveFileName(name: string, createdAt: string): string {
	const slug =
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'buurt';
	return `${slug}-${createdAt.slice(0, 10)}.noaber.zip`;
}

/** Hex SHA-256 through WebCrypto: the same in the browser and in Node 20. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
