// Dates and times as people read them, in the device's language and the neighbourhood's zone.
import { locale } from './language.svelte.ts';

const ZONE = 'Europe/Amsterdam';

const FORMATS = {
	day: { weekday: 'long', day: 'numeric', month: 'long', timeZone: ZONE },
	moment: { dateStyle: 'long', timeStyle: 'short', timeZone: ZONE },
	wallDay: { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' },
	wallDayYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
	month: { month: 'long', year: 'numeric', timeZone: 'UTC' }
} satisfies Record<string, Intl.DateTimeFormatOptions>;

// Making a formatter costs far more than formatting: the agenda formats a day per row, again each
// time an older year comes in. One per language and format.
const made = new Map<string, Intl.DateTimeFormat>();
function formatter(format: keyof typeof FORMATS): Intl.DateTimeFormat {
	const key = `${locale.tag} ${format}`;
	let found = made.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(locale.tag, FORMATS[format]);
		made.set(key, found);
	}
	return found;
}

/** Makes every format of the device's language now, while the page is idle, instead of at a page's first date. */
export function prepareDates(): void {
	for (const format of Object.keys(FORMATS) as (keyof typeof FORMATS)[]) formatter(format);
}

/** "dinsdag 3 maart" for a calendar day (YYYY-MM-DD) or an instant. */
export function formatDay(value: string): string {
	const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	return formatter('day').format(date);
}

/** "3 maart 2026 om 10.00" for an instant. */
export function formatMoment(value: string): string {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	const text = formatter('moment').format(date);
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
	return formatter(year ? 'wallDayYear' : 'wallDay').format(date);
}

/** "10.00" in Dutch, "10:00" in English. */
export function formatWallTime(wall: string): string {
	const time = wall.slice(11, 16);
	return locale.language === 'nl' ? time.replace(':', '.') : time;
}

/** "maart 2026" for a month. */
export function formatMonth(wall: string): string {
	return formatter('month').format(wallDate(wall));
}
