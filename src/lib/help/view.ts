// Posts as the app shows them, read and validated from every loaded period document.
import * as v from 'valibot';
import { isImmutableString, textOf, type Read } from '../automerge/fields.ts';
import { readMessages, type ConversationMessage } from './conversation.ts';
import { HistoryView, PostCore, ResponseView, type HistoryEntry, type Response as StoredResponse } from './schema.ts';
import { effectiveStatus } from './status.ts';
import { mergeSorted } from '../sorted/merge.ts';
import { grownFrom, newestFirst } from './growing.ts';

export { newestFirst, postsAdded } from './growing.ts';

export interface Response extends StoredResponse {
	/** The conversation on this response, sealed (conversation.ts). */
	messages: ConversationMessage[];
}

export interface Post extends PostCore {
	responses: Response[];
	history: HistoryEntry[];
	/** Neighbours with a response not withdrawn: "3 buren reageerden". */
	responseCount: number;
	helpers: string[];
	/** Which period document holds it, so a mutation can find its handle. */
	period: string;
	documentUrl: string;
	/** Set for a post read from the archive: the sealed quarter document that has its history. */
	archivedFrom?: string;
}

export interface PeriodSource {
	url: string;
	doc: unknown;
}

export interface PostsRead extends Read<Post> {
	/** Responses and history entries that failed validation, inside otherwise valid posts. */
	skippedParts: number;
}

/**
 * A document's map in the order of its keys. A plain object keeps the order its keys arrived in,
 * and each device applies the same changes in its own order: entries of the same moment would
 * otherwise be listed differently on two devices.
 */
const valuesInKeyOrder = (map: object): unknown[] =>
	Object.keys(map)
		.sort()
		.map((key) => (map as Record<string, unknown>)[key]);

function readMap<T>(map: unknown, schema: v.GenericSchema<unknown, T>): { items: T[]; skipped: number } {
	if (typeof map !== 'object' || map === null) return { items: [], skipped: 0 };
	const items: T[] = [];
	let skipped = 0;
	for (const value of valuesInKeyOrder(map)) {
		const r = v.safeParse(schema, value);
		if (r.success) items.push(r.output);
		else skipped += 1;
	}
	return { items, skipped };
}

function readResponses(map: unknown): { items: Response[]; skipped: number } {
	if (typeof map !== 'object' || map === null) return { items: [], skipped: 0 };
	const items: Response[] = [];
	let skipped = 0;
	for (const value of valuesInKeyOrder(map)) {
		const r = v.safeParse(ResponseView, value);
		if (!r.success) {
			skipped += 1;
			continue;
		}
		const messages = readMessages(value);
		skipped += messages.skipped;
		items.push({ ...r.output, messages: messages.items });
	}
	return { items, skipped };
}

// Automerge documents are immutable snapshots: a period that did not change is not read again.
const cache = new WeakMap<object, PostsRead>();

/** Every post in the given period documents, newest first; invalid ones skipped and counted. */
export function readPosts(sources: PeriodSource[]): PostsRead {
	const reads = sources.map((source) => {
		const key = typeof source.doc === 'object' && source.doc !== null ? source.doc : undefined;
		const hit = key ? cache.get(key) : undefined;
		if (hit) return hit;
		const read = readPeriod(source);
		if (key) cache.set(key, read);
		return read;
	});
	return combinePosts(reads);
}

/** The ids of a combined read's posts, for combining more into it; the read that does takes them over. */
const held = new WeakMap<PostsRead, Set<string>>();

/**
 * Reads of separate documents (each newest first) as one read, newest first. Combining what was
 * combined with more reads is the same as combining them all, so the page can take each quarter,
 * or each piece of a year's archive, as it comes; and as the board grows that way, only the posts
 * that come are looked at (the cheap phone took 40 to 90 ms for each of ten years' pieces when every
 * post was: bench/help-phone.ts --trace).
 */
export function combinePosts(reads: PostsRead[]): PostsRead {
	const [first, ...more] = reads;
	const kept = first && held.get(first);
	return (kept && more.length > 0 && added(first, kept, more)) || combineAll(reads);
}

/** `first` with the posts of `more` added; undefined when a post is in both (then which one is shown needs every read). */
function added(first: PostsRead, kept: Set<string>, more: PostsRead[]): PostsRead | undefined {
	const coming = new Set<string>();
	for (const read of more) {
		for (const post of read.items) {
			if (kept.has(post.id) || coming.has(post.id)) return undefined;
			coming.add(post.id);
		}
	}
	held.delete(first);
	for (const id of coming) kept.add(id);
	const posts = mergeSorted(
		more.map((read) => read.items),
		newestFirst
	);
	const read = {
		items: mergeSorted([first.items, posts], newestFirst),
		skipped: first.skipped + more.reduce((n, r) => n + r.skipped, 0),
		skippedParts: first.skippedParts + more.reduce((n, r) => n + r.skippedParts, 0)
	};
	held.set(read, kept);
	grownFrom(read, first.items, posts);
	return read;
}

function combineAll(reads: PostsRead[]): PostsRead {
	// A post can be both live and archived (another device archived it meanwhile): live wins.
	const live = new Set(reads.flatMap((r) => r.items.filter((p) => !p.archivedFrom).map((p) => p.id)));
	const ids = new Set<string>();
	const items = mergeSorted(
		reads.map((r) => r.items),
		newestFirst
	).filter((p) => {
		if ((p.archivedFrom && live.has(p.id)) || ids.has(p.id)) return false;
		ids.add(p.id);
		return true;
	});
	const read = {
		items,
		skipped: reads.reduce((n, r) => n + r.skipped, 0),
		skippedParts: reads.reduce((n, r) => n + r.skippedParts, 0)
	};
	held.set(read, ids);
	return read;
}

/**
 * Posts per piece when a document's read goes to the page in pieces: a year's archive of the
 * ten-year board is about 1,900 posts, which the cheap phone copied out of one message in 50 to 90 ms
 * (bench/help-phone.ts --frames). A piece of 250 still took the page 40 to 70 ms to copy out of its
 * message on a slower machine, and as long again to collect the garbage after (a trace, --trace).
 * Pieces of 50 rather than 100: over ten runs of each, the longest task while the board loads
 * 108 → 95 ms (medians), with the board shown and every quarter loaded as soon as before.
 */
export const POSTS_PER_PIECE = 50;

/** A read as smaller reads, each newest first, that `combinePosts` makes whole again; what was skipped is counted in the first. */
export function piecesOfPosts(read: PostsRead, size = POSTS_PER_PIECE): PostsRead[] {
	if (read.items.length <= size) return [read];
	const pieces: PostsRead[] = [];
	for (let at = 0; at < read.items.length; at += size) {
		const first = at === 0;
		pieces.push({ items: read.items.slice(at, at + size), skipped: first ? read.skipped : 0, skippedParts: first ? read.skippedParts : 0 });
	}
	return pieces;
}

function readPeriod(source: PeriodSource): PostsRead {
	const items: Post[] = [];
	let skipped = 0;
	let skippedParts = 0;
	const doc = source.doc as { period?: unknown; posts?: unknown } | undefined;
	const period = textOf(doc?.period);
	const posts = doc?.posts;
	if (typeof posts !== 'object' || posts === null) return { items, skipped, skippedParts };
	for (const [key, stored] of Object.entries(posts)) {
		const archived = typeof stored === 'string' || isImmutableString(stored);
		let value: unknown = stored;
		if (archived) {
			try {
				value = JSON.parse(String(stored));
			} catch {
				skipped += 1;
				continue;
			}
		}
		const core = v.safeParse(PostCore, value);
		if (!core.success || core.output.id !== key) {
			skipped += 1;
			continue;
		}
		const raw = value as { responses?: unknown; history?: unknown; period?: unknown; archivedFrom?: unknown };
		const responses = readResponses(raw.responses);
		const history = readMap(raw.history, HistoryView);
		skippedParts += responses.skipped + history.skipped;
		responses.items.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
		history.items.sort((a, b) => a.at.localeCompare(b.at));
		const live = responses.items.filter((r) => !r.withdrawnAt);
		items.push({
			...core.output,
			status: effectiveStatus(core.output),
			responses: responses.items,
			history: history.items,
			responseCount: new Set(live.map((r) => r.by)).size,
			helpers: [...new Set(live.filter((r) => r.acceptedAt).map((r) => r.by))],
			period: archived ? textOf(raw.period) : period,
			documentUrl: source.url,
			...(archived ? { archivedFrom: typeof raw.archivedFrom === 'string' ? raw.archivedFrom : source.url } : {})
		});
	}
	items.sort(newestFirst);
	return { items, skipped, skippedParts };
}
