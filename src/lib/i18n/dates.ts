// Dates and times as people read them, in the device's language and the neighbourhood's zone.
import { locale } from './language.svelte.ts';

const ZONE = 'Europe/Amsterdam';

/** "dinsdag 3 maart" for a calendar day (YYYY-MM-DD) or an instant. */
export function formatDay(value: string): string {
	const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	return new Intl.DateTimeFormat(locale.tag, { weekday: 'long', day: 'numeric', month: 'long', timeZone: ZONE }).format(date);
}

/** "3 maart 2026 om 10.00" for an instant. */
export function formatMoment(value: string): string {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	const text = new Intl.DateTimeFormat(locale.tag, { dateStyle: 'long', timeStyle: 'short', timeZone: ZONE }).format(date);
	// Dutch writes clock times with a full stop ("10.00"), as the agenda does; Intl gives "10:00".
	return locale.language === 'nl' ? text.replace(/(\d{1,2}):(\d{2})$/, '$1.$2') : text;
}

// Wall-clock times of the agenda ('2026-03-03T10:00') are already Amsterdam time: format them
// as they are, without converting between zones.
const wallDate = (wall: string) => new Date(`${wall.slice(0, 10)}T${wall.slice(11, 16) || '12:00'}:00Z`);

/** "dinsdag 3 maart" (with the year when it is not this year). */
export function formatWallDay(wall: string, options: { year?: boolean } = {}): string {
	const date = wallDate(wall);
	if (Number.isNaN(date.getTime())) return wall;
	const year = options.year ?? wall.slice(0, 4) !== String(new Date().getFullYear());
	return new Intl.DateTimeFormat(locale.tag, {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		...(year ? { year: 'numeric' } : {}),
		timeZone: 'UTC'
	}).format(date);
}

/** "10.00" in Dutch, "10:00" in English. */
export function formatWallTime(wall: string): string {
	const time = wall.slice(11, 16);
	return locale.language === 'nl' ? time.replace(':', '.') : time;
}

/** "maart 2026" for a month. */
export function formatMonth(wall: string): string {
	return new Intl.DateTimeFormat(locale.tag, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(wallDate(wall));
}
