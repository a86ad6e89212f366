// The days a board document's posts cover, and which of the board's filters can show a post of an
// archive: the archives (long-closed years, archive.ts) stay in the documents worker until a page
// needs them (automerge/module-documents.svelte.ts, `held`, `span` and `need`), as most pages show
// open posts or this week's news.
import { FOREVER, type Span } from '../automerge/span.ts';
import type { Status } from './document.ts';
import type { Post, PostsRead } from './view.ts';

/** Every moment something happened to a post: news of it (help/news.ts) is told at one of these. */
function moments(post: Post): string[] {
	const at = [post.createdAt, post.updatedAt, post.doneAt, post.withdrawnAt, post.thanks?.at];
	for (const response of post.responses) at.push(response.at, response.acceptedAt, response.withdrawnAt);
	return at.filter((moment): moment is string => Boolean(moment));
}

/** From the first day a post was written to the last day anything happened to one (UTC days); none without posts. */
export function postsSpan(read: PostsRead): Span | undefined {
	let from: string | undefined;
	let to: string | undefined;
	for (const post of read.items) {
		for (const moment of moments(post)) {
			const day = moment.slice(0, 10);
			if (from === undefined || day < from) from = day;
			if (to === undefined || day > to) to = day;
		}
	}
	return from !== undefined && to !== undefined ? { from, to } : undefined;
}

/** Everything from a moment (ISO) on: what a page showing news since then needs. */
export const sinceSpan = (since: string): Span => ({ from: since.slice(0, 10), to: FOREVER });

/**
 * Whether the board filtered on this status may show a post of an archive: an archive holds only
 * posts that were done or withdrawn long ago (archive.ts, `archivable`). '' is every status.
 */
export const showsArchived = (status: Status | 'active' | ''): boolean => status === '' || status === 'done' || status === 'withdrawn';
