// Sentences about a help post, shared by the board and the post page.
import type { Post } from '$lib/help/view.ts';
import { formatDay } from '$lib/i18n/dates.ts';
import { t } from '$lib/i18n/language.svelte.ts';

export function whenText(post: Post): string {
	const { kind, from, to } = post.when;
	const when =
		kind === 'date' && from
			? t('help.when.date', { date: formatDay(from) })
			: kind === 'period' && from && to
				? t('help.when.period', { from: formatDay(from), to: formatDay(to) })
				: t('help.when.flexible');
	return post.where ? `${when}, ${post.where}` : when;
}

export function byText(post: Post, name: (id: string) => string): string {
	return post.actedBy
		? t('help.forBy', { name: name(post.author), actor: name(post.actedBy) })
		: t('help.by', { name: name(post.author) });
}

export function responsesText(count: number): string {
	return count === 0 ? t('help.responsesNone') : count === 1 ? t('help.responsesOne') : t('help.responses', { count });
}
