// Dates and times as people read them, in the device's language and the neighbourhood's zone.
import { locale } from './language.svelte.ts';

const ZONE = 'Europe/Amsterdam';

/** "dinsdag 3 maart" for a calendar day (YYYY-MM-DD) or an instant. */
export function formatDay(value: string): string {
	const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	return new Intl.DateTimeFormat(locale.tag, { weekday: 'long', day: 'numeric', month: 'long', timeZone: ZONE }).format(date);
}

/** "3 maart 2026, 10.00" for an instant. */
export function formatMoment(value: string): string {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	return new Intl.DateTimeFormat(locale.tag, { dateStyle: 'long', timeStyle: 'short', timeZone: ZONE }).format(date);
}
