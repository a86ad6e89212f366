// What happened on the help board that concerns a member: a response to their post, their response
// accepted, a post they are involved in done or thanked. Computed from the posts as they are, so
// every device and the relay find the same items with the same ids, without storing anything.
import type { NewsItem } from '../news/item.ts';
import type { Post } from './view.ts';

/** The history line for an action, for who pressed the button (the latest one wins). */
function lastEntry(post: Post, action: string, match: (note: string | undefined) => boolean = () => true) {
	let found: Post['history'][number] | undefined;
	for (const entry of post.history) if (entry.action === action && match(entry.note)) found = entry;
	return found;
}

function item(post: Post, fields: Omit<NewsItem, 'subject' | 'path' | 'group'>): NewsItem {
	// Never the title or description: residents sometimes write their address or phone there.
	return {
		...fields,
		subject: { module: 'help', id: post.id, category: post.category, postKind: post.kind },
		path: `/hulp/${post.id}`,
		group: `help:${post.id}`
	};
}

/**
 * Someone's own act (or their intermediary's for them) is no news to them, so such an item is not
 * made at all: nobody would be told of it.
 */
const forSomeoneElse = (news: NewsItem) => news.for !== news.actor;

/** The news items one post gives, for every member it concerns. */
export function postNews(post: Post): NewsItem[] {
	if (post.hidden || post.status === 'withdrawn') return [];
	const out: NewsItem[] = [];
	const live = post.responses.filter((r) => !r.withdrawnAt);
	for (const response of live) {
		out.push(
			item(post, {
				id: `response:${post.id}:${response.id}`,
				kind: 'response',
				for: post.author,
				at: response.at,
				actor: response.by,
				...(response.actedBy ? { actedBy: response.actedBy } : {})
			})
		);
		if (response.acceptedAt) {
			const entry = lastEntry(post, 'accepted', (note) => note === response.by);
			out.push(
				item(post, {
					id: `accepted:${post.id}:${response.id}`,
					kind: 'accepted',
					for: response.by,
					at: response.acceptedAt,
					actor: entry?.by ?? post.author,
					...(entry?.actedBy ? { actedBy: entry.actedBy } : {})
				})
			);
		}
	}
	// A "done" or a thank-you concerns those who helped when it was said. Counting whoever helps now,
	// a thank-you said before anyone was accepted became news once someone was, and again for a
	// helper accepted anew (after withdrawing and answering again): told twice.
	const helpersBy = (at: string) => [...new Set(live.filter((r) => r.acceptedAt && r.acceptedAt <= at).map((r) => r.by))];
	if (post.doneAt) {
		const entry = lastEntry(post, 'done');
		for (const member of [post.author, ...helpersBy(post.doneAt).filter((h) => h !== post.author)]) {
			out.push(
				item(post, {
					id: `done:${post.id}:${member}`,
					kind: 'done',
					for: member,
					at: post.doneAt,
					actor: entry?.by ?? post.author,
					...(entry?.actedBy ? { actedBy: entry.actedBy } : {})
				})
			);
		}
	}
	if (post.thanks) {
		const entry = lastEntry(post, 'thanked');
		// Each thank-you is news of its own (a second one may come from the intermediary, with its own
		// words), so its moment is in the id. With the post and helper alone, a thank-you that the
		// helper gave themself hid the earlier one, and the next brought it back as if new.

		for (const member of helpersBy(post.thanks.at)) {
			out.push(
				item(post, {
					id: `thanked:${post.id}:${member}:${post.thanks.at}`,
					kind: 'thanked',
					for: member,
					at: post.thanks.at,
					actor: post.thanks.by,
					...(entry?.actedBy && entry.by === post.thanks.by ? { actedBy: entry.actedBy } : {})
				})
			);
		}
	}
	return out.filter(forSomeoneElse);
}

/** Every news item of the given posts (any order). */
export const helpNews = (posts: Post[]): NewsItem[] => posts.flatMap(postNews);
