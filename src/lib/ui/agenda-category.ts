// A category of the agenda in words: apart from the sentences about events (agenda-text.ts), which
// need the repeat rules' code, so the agenda's filter shows before that has loaded.
import type { MessageKey } from '$lib/i18n/language.svelte.ts';
import { t } from '$lib/i18n/language.svelte.ts';

export const agendaCategoryLabel = (category: string): string => t(`agenda.category.${category}` as MessageKey);
