// Finding posts: filters, and a search that ignores case and accents ("cafe" finds "café").
import type { Kind, Status } from './document.ts';
import type { Post, PostsRead } from './view.ts';
import { newestFirst, postsAdded } from './growing.ts';
import { fold } from '../text/fold.ts';
import { mergeSorted } from '../sorted/merge.ts';

export interface Filter {
	kind?: Kind;
	category?: string;
	status?: Status | 'active';
	query?: string;
	/** Hidden posts are listed for managers (marked), and left out for everyone else. */
	includeHidden?: boolean;
}

const folded = new WeakMap<Post, string>();
function haystack(post: Post): string {
	let text = folded.get(post);
	if (text === undefined) {
		text = fold(`${post.title}\n${post.description}`);
		folded.set(post, text);
	}
	return text;
}

export function filterPosts(posts: Post[], filter: Filter): Post[] {
	const words = fold(filter.query ?? '').split(/\s+/).filter(Boolean);
	return posts.filter((post) => {
		if (!filter.includeHidden && post.hidden) return false;
		if (filter.kind && post.kind !== filter.kind) return false;
		if (filter.category && post.category !== filter.category) return false;
		if (filter.status === 'active' && post.status !== 'open' && post.status !== 'agreed') return false;
		if (filter.status && filter.status !== 'active' && post.status !== filter.status) return false;
		if (words.length > 0) {
			const text = haystack(post);
			if (!words.every((w) => text.includes(w))) return false;
		}
		return true;
	});
}

/**
 * The board's filter as the board grows while its documents come in: what was found before, and
 * only the posts that came looked at. What it finds is the same list as long as nothing it shows
 * changed (a year of closed posts adds nothing to the open ones), so the page draws nothing again.
 */
export class BoardFinder {
	#last: { items: Post[]; key: string; found: Post[] } | undefined;

	find(read: PostsRead, filter: Filter): Post[] {
		const key = JSON.stringify([filter.kind, filter.category, filter.status, filter.query, filter.includeHidden]);
		const last = this.#last?.key === key ? this.#last : undefined;
		const growth = postsAdded(read);
		let found: Post[];
		if (last?.items === read.items) found = last.found;
		else if (last && growth?.from === last.items) {
			const more = filterPosts(growth.added, filter);
			found = more.length > 0 ? mergeSorted([last.found, more], newestFirst) : last.found;
		} else found = filterPosts(read.items, filter);
		this.#last = { items: read.items, key, found };
		return found;
	}
}

/** "Mijn hulp": what a member posted (or an intermediary posted for them) and what they answered. */
export function myHelp(posts: Post[], memberIds: string[]): { posted: Post[]; responded: Post[] } {
	const ids = new Set(memberIds);
	return {
		posted: posts.filter((p) => ids.has(p.author)),
		responded: posts.filter((p) => !ids.has(p.author) && p.responses.some((r) => ids.has(r.by) && !r.withdrawnAt))
	};
}
