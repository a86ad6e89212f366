// The words for a refused export file, in Dutch and English: the app shows them, the relay's
// `noaber import` prints both. Imported message by message, not through the whole message index
// (1,300 modules), so the operator command starts quickly.
import * as refusedNotZip from '../paraglide/messages/archive_refused_notzip1.js';
import * as refusedTruncated from '../paraglide/messages/archive_refused_truncated.js';
import * as refusedTooLarge from '../paraglide/messages/archive_refused_toolarge1.js';
import * as refusedChecksum from '../paraglide/messages/archive_refused_checksum.js';
import * as refusedVersion from '../paraglide/messages/archive_refused_version.js';
import * as refusedManifest from '../paraglide/messages/archive_refused_manifest.js';
import * as refusedMissing from '../paraglide/messages/archive_refused_missing.js';
import * as refusedUnlisted from '../paraglide/messages/archive_refused_unlisted.js';
import * as refusedDocument from '../paraglide/messages/archive_refused_document.js';
import * as refusedHeads from '../paraglide/messages/archive_refused_heads.js';
import * as refusedConflict from '../paraglide/messages/archive_refused_conflict.js';
import * as refusedRewritten from '../paraglide/messages/archive_refused_rewritten.js';
import type { RefusalReason } from './format.ts';

/** Refusals of the relay's import besides the file's own: an id here belongs elsewhere; an erasure rewrote a document. */
export type ImportRefusal = RefusalReason | 'conflict' | 'rewritten';

type Message = (inputs?: Record<string, never>, options?: { locale?: 'nl' | 'en' }) => string;

const MESSAGES: Record<ImportRefusal, Message> = {
	notZip: refusedNotZip['archive.refused.notZip'],
	truncated: refusedTruncated['archive.refused.truncated'],
	tooLarge: refusedTooLarge['archive.refused.tooLarge'],
	checksum: refusedChecksum['archive.refused.checksum'],
	version: refusedVersion['archive.refused.version'],
	manifest: refusedManifest['archive.refused.manifest'],
	missing: refusedMissing['archive.refused.missing'],
	unlisted: refusedUnlisted['archive.refused.unlisted'],
	document: refusedDocument['archive.refused.document'],
	heads: refusedHeads['archive.refused.heads'],
	conflict: refusedConflict['archive.refused.conflict'],
	rewritten: refusedRewritten['archive.refused.rewritten']
};

export function refusalText(reason: ImportRefusal, locale: 'nl' | 'en'): string {
	return MESSAGES[reason]({}, { locale });
}
