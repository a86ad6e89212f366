// A post on the board in words: what the board draws, from the post or as this device last showed
// it (device/remembered-board.ts).
import type { PostCard } from '$lib/device/remembered-board.ts';
import type { Post } from '$lib/help/view.ts';
import { categoryLabel, t } from '$lib/i18n/language.svelte.ts';
import { byText, responsesText, whenText } from './post-text.ts';

export type { PostCard };

/** `stale`: its poster (or their volunteer) is asked whether it is still needed. */
export function postCard(post: Post, name: (id: string) => string, stale: boolean): PostCard {
	return {
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
}
