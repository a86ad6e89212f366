// Whether a post copied into a year's archive says what its sealed quarter says. The archive's own
// rules (rules.ts) cannot tell: any device archives, and the entry is one JSON value. The relay,
// which holds the quarter the entry names, can compare the two before accepting the entry.
import { archiveEntry } from './archive.ts';
import { readPosts } from './view.ts';

/**
 * What must match: who wrote what. Not what may still move on a closed post (renewing, thanks, a
 * response withdrawn, a manager hiding it), so an honest device that archived a moment before such a change still passes.
 */
const KEPT = ['id', 'kind', 'category', 'title', 'description', 'when', 'where', 'contact', 'author', 'actedBy', 'createdAt', 'archivedFrom'] as const;
const RESPONSE_KEPT = ['id', 'by', 'actedBy', 'message', 'at'] as const;

function pick(value: unknown, keys: readonly string[]): string {
	const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
	return JSON.stringify(keys.map((k) => record[k] ?? null));
}

function essence(post: unknown): string | undefined {
	if (typeof post !== 'object' || post === null) return undefined;
	const responses = (post as { responses?: unknown }).responses;
	if (!Array.isArray(responses)) return undefined;
	const byId = [...responses].map((r) => pick(r, RESPONSE_KEPT)).sort();
	return `${pick(post, KEPT)}|${byId.join('|')}`;
}

/** `entry` as archived, `quarter` the document at `quarterUrl` as the relay holds it. */
export function faithfulArchiveEntry(entry: string, quarterUrl: string, quarter: unknown): boolean {
	let archived: unknown;
	try {
		archived = JSON.parse(entry);
	} catch {
		return false;
	}
	const id = (archived as { id?: unknown } | null)?.id;
	const post = readPosts([{ url: quarterUrl, doc: quarter }]).items.find((p) => p.id === id);
	if (!post) return false;
	const expected = essence(JSON.parse(archiveEntry(post)));
	return expected !== undefined && essence(archived) === expected;
}
