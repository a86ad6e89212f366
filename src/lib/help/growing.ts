// The board's order, and which reads of it grew from which: what the board page needs to filter
// posts as they come, without the code that reads documents (view.ts), which the page's first
// paint does not wait for.
import { compare } from '../sorted/merge.ts';
import type { Post, PostsRead } from './view.ts';

/** Newest first; posts of the same moment by id, so every device lists them alike. */
export const newestFirst = (a: Post, b: Post) => compare(b.createdAt, a.createdAt) || compare(a.id, b.id);

/** A read that is another's posts with posts added (nothing changed or removed), and those posts. */
const grown = new WeakMap<PostsRead, { from: Post[]; added: Post[] }>();

/** Notes that `read` is `from` with `added` (newest first) added. */
export function grownFrom(read: PostsRead, from: Post[], added: Post[]): void {
	grown.set(read, { from, added });
}

/** When `read` is an earlier read's posts (`from`) with posts added: those, newest first. */
export const postsAdded = (read: PostsRead): { from: Post[]; added: Post[] } | undefined => grown.get(read);
