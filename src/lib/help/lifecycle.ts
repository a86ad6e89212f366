// When a post should ask its author "is this still needed?" rather than linger on the board.
import type { Post } from './view.ts';

export const STALE_AFTER_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The last day the post is about: its date, or the end of its period. */
function lastDay(post: Post): string | undefined {
	if (post.when.kind === 'date') return post.when.from;
	if (post.when.kind === 'period') return post.when.to;
	return undefined;
}

/**
 * An open post whose day has passed, or that nobody renewed for 30 days. Renewing after the day
 * answers the question too: the author says it is still needed, so only the 30 days count again.
 */
export function needsCheck(post: Post, now: Date): boolean {
	if (post.status !== 'open' || post.hidden) return false;
	const renewed = post.renewedAt || post.createdAt;
	const day = lastDay(post);
	if (day && day < now.toISOString().slice(0, 10) && renewed.slice(0, 10) <= day) return true;
	const since = Date.parse(renewed);
	return now.getTime() - since >= STALE_AFTER_DAYS * DAY_MS;
}
