// The relay names the rule that refused a change ('help.post-author'); the person reads why, as a
// sentence about the module it belongs to. A rule this version does not know still gets a sentence.
import type { RefusedEntry } from '$lib/automerge/refused-list.ts';
import { formatMoment } from '$lib/i18n/dates.ts';
import { t } from '$lib/i18n/language.svelte.ts';

const MODULES = ['help', 'agenda', 'map', 'members', 'neighbourhood'] as const;
export type RefusalModule = (typeof MODULES)[number] | 'other';

export function moduleOfRule(rule: string): RefusalModule {
	const prefix = rule.split('.')[0];
	return MODULES.find((module) => module === prefix) ?? 'other';
}

export function refusalText(entry: Pick<RefusedEntry, 'rule' | 'at'>): string {
	return t('refused.sentence', { when: formatMoment(entry.at), reason: t(`refused.reason.${moduleOfRule(entry.rule)}`) });
}
