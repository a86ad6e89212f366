// Words for the social map, shared by its pages.
import { hoursText as hours, type HoursWords } from '$lib/map/hours.ts';
import type { Schedule } from '$lib/map/view.ts';
import { hasMessage, locale, t, type MessageKey } from '$lib/i18n/language.svelte.ts';

/** A message if the catalogue has one for this key, else the text as typed (by a manager, in a file). */
const known = (key: string, fallback: string): string => (hasMessage(key) ? t(key) : fallback);

/** A starter theme in the device's language; one a manager added is shown as typed. */
export const themeLabel = (theme: string): string => known(`theme.${theme}`, theme);

export const languageLabel = (code: string): string => known(`language.${code}`, code);

const words = (): HoursWords => ({
	day: (d) => t(`weekdayShort.${d}`),
	range: (from, to) => t('hours.range', { from, to }),
	nth: (n, d) => t('hours.nth', { nth: t(`agenda.nth.${n}` as MessageKey), day: t(`weekday.${d}`) }),
	time: (time) => (locale.language === 'nl' ? time.replace(':', '.').replace(/^0(\d)/, '$1') : time)
});

/** "ma t/m vr 9.00–12.00; elke tweede dinsdag 13.00–16.00" */
export const hoursText = (schedules: Schedule[]): string => hours(schedules, words());
