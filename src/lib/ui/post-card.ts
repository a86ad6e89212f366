// A post on the board in words: what the board draws, from the post or as this device last showed
// it (device/remembered-board.ts).
import type { PostCard } from '$lib/device/remembered-board.ts';
import type { Post } from '$lib/help/view.ts';
import { categoryLabel, locale, t } from '$lib/i18n/language.svelte.ts';
import { byText, responsesText, whenText } from './post-text.ts';

export type { PostCard };

/**
 * The card last made per post, with what it was made for, per language's texts (until a language's
 * texts are here each read gives a new object, so no card is kept). The board reads its posts
 * again with every piece of an older quarter that arrives and with every step it draws; a post's
 * view is replaced, never changed, when its document changes. A card made anew was drawn anew: the
 * same card lets the board leave what it drew alone.
 */
const made = new WeakMap<object, WeakMap<Post, { key: string; card: PostCard }>>();

/** `stale`: its poster (or their volunteer) is asked whether it is still needed. */
export function postCard(post: Post, name: (id: string) => string, stale: boolean): PostCard {
	// Beside the post and the texts, a card says who posted (and for whom) and whether it is asked about.
	const key = `${name(post.author)}\n${post.actedBy ? name(post.actedBy) : ''}\n${stale}`;
	const texts = locale.texts;
	let cards = made.get(texts);
	if (!cards) made.set(texts, (cards = new WeakMap()));
	const kept = cards.get(post);
	if (kept?.key === key) return kept.card;
	const card = {
		id: post.id,
		kind: post.kind,
		kindLabel: t(`help.kind.${post.kind}`),
		category: categoryLabel(post.category),
		status: post.status !== 'open' ? t(`help.status.${post.status}`) : '',
		hidden: post.hidden ? t('help.hiddenBadge') : '',
		stale: stale ? t('help.stillNeeded') : '',
		title: post.title,
		when: whenText(post),
		by: `${byText(post, name)} · ${responsesText(post.responseCount)}`
	};
	cards.set(post, { key, card });
	return card;
}
