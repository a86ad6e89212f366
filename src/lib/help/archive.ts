// Archiving: when every post of a quarter long past is closed, its posts are copied into the
// year's archive document as one immutable value each, and the quarter is sealed. The board then
// reads a year of history from one small document instead of four large ones.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { imm } from '../automerge/immutable.ts';
import type { ArchiveDoc } from './document.ts';
import { periodOf, previousPeriod } from './periods.ts';
import type { Post } from './view.ts';

/** A post must have been closed this long before it is archived: late replies still land live. */
export const ARCHIVE_AFTER_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

function closedAt(post: Post): string | undefined {
	if (post.status === 'done') return post.doneAt ?? post.updatedAt;
	if (post.status === 'withdrawn') return post.withdrawnAt ?? post.updatedAt;
	return undefined;
}

/** A quarter older than the previous one: only such a quarter can be archived. */
export const longPast = (period: string, now: Date): boolean => period < previousPeriod(periodOf(now));

/** A quarter older than the previous one, all of whose posts closed long enough ago. */
export function archivable(period: string, posts: Post[], now: Date): boolean {
	if (!longPast(period, now)) return false;
	return posts.every((post) => {
		const closed = closedAt(post);
		return closed !== undefined && now.getTime() - Date.parse(closed) >= ARCHIVE_AFTER_DAYS * DAY_MS;
	});
}

/** What the archive keeps of a post: everything the board, search and reports use; not the history. */
export function archiveEntry(post: Post): string {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { history, documentUrl, archivedFrom, responseCount, helpers, ...kept } = post;
	return JSON.stringify({ ...kept, archivedFrom: archivedFrom ?? documentUrl });
}

/** One change for the whole quarter; posts already archived (by another device) are left alone. */
export function archivePosts(handle: DocHandle<ArchiveDoc>, posts: Post[]): number {
	let added = 0;
	handle.change((doc) => {
		for (const post of posts) {
			if (doc.posts[post.id]) continue;
			doc.posts[post.id] = imm(archiveEntry(post));
			added += 1;
		}
	});
	return added;
}

export const yearOf = (period: string): string => period.slice(0, 4);
