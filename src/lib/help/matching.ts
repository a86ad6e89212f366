// Matches: for a request, the open offers and the neighbours who said they can help with that
// category; for an offer, the open requests in its category.
import type { Member } from '../members/view.ts';
import type { Post } from './view.ts';

export interface Matches {
	posts: Post[];
	members: Member[];
}

export function matchesFor(post: Post, posts: Post[], members: Member[]): Matches {
	const wanted = post.kind === 'request' ? 'offer' : 'request';
	return {
		posts: posts.filter(
			(p) => p.id !== post.id && p.kind === wanted && p.category === post.category && p.status === 'open' && !p.hidden
		),
		members:
			post.kind === 'request'
				? members.filter((m) => m.id !== post.author && !m.leftAt && m.helpWith.includes(post.category))
				: []
	};
}
