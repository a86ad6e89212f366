// Words for the social map, shared by its pages.
import { hoursText as hours, type HoursWords } from '$lib/map/hours.ts';
import type { Schedule } from '$lib/map/view.ts';
import { t } from '$lib/i18n/language.svelte.ts';
import type { MessageKey } from '$lib/i18n/nl.ts';
import { locale } from '$lib/i18n/language.svelte.ts';

const known = (key: string): key is MessageKey => t(key as MessageKey) !== key;

/** A starter theme in the device's language; one a manager added is shown as typed. */
export const themeLabel = (theme: string): string => (known(`theme.${theme}`) ? t(`theme.${theme}` as MessageKey) : theme);

export const languageLabel = (code: string): string => (known(`language.${code}`) ? t(`language.${code}` as MessageKey) : code);

const words = (): HoursWords => ({
	day: (d) => t(`weekdayShort.${d}`),
	range: (from, to) => t('hours.range', { from, to }),
	nth: (n, d) => t('hours.nth', { nth: t(`agenda.nth.${n}` as MessageKey), day: t(`weekday.${d}`) }),
	time: (time) => (locale.language === 'nl' ? time.replace(':', '.').replace(/^0(\d)/, '$1') : time)
});

/** "ma t/m vr 9.00–12.00; elke tweede dinsdag 13.00–16.00" */
export const hoursText = (schedules: Schedule[]): string => hours(schedules, words());
