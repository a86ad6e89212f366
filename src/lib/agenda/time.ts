// Wall-clock time in a named zone. Events are kept as the time on the clock in Amsterdam
// ('2026-03-31T10:00'), so a weekly 10.00 coffee morning stays at 10.00 across the change to
// summer time. Recurrence runs on "floating" dates (a Date whose UTC fields are the wall time);
// only feeds and "now" need the real instant, through Intl's time-zone data.

export type Wall = string;

export const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real, existing wall time: '2026-02-30T10:00' and '25:00' are not. */
export function isWall(value: string): boolean {
	const m = WALL.exec(value);
	if (!m) return false;
	const date = floating(value);
	return wallOf(date) === value && Number(m[4]) < 24;
}

/** The wall time as a floating Date (its UTC fields are the wall time). */
export function floating(wall: Wall): Date {
	const m = WALL.exec(wall);
	if (!m) return new Date(NaN);
	return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
}

/** The wall time of a floating Date. */
export const wallOf = (date: Date): Wall => date.toISOString().slice(0, 16);

export const dayOf = (wall: Wall): string => wall.slice(0, 10);
export const timeOf = (wall: Wall): string => wall.slice(11, 16);

export function addMinutes(wall: Wall, minutes: number): Wall {
	return wallOf(new Date(floating(wall).getTime() + minutes * 60_000));
}

export const addDays = (wall: Wall, days: number): Wall => addMinutes(wall, days * 24 * 60);

export function minutesBetween(from: Wall, to: Wall): number {
	return Math.round((floating(to).getTime() - floating(from).getTime()) / 60_000);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Makes the clock of `zone` ready now. The first one of a zone loads the browser's zone data: about
 * 25 ms on the cheap phone (bench/member-device.ts), which otherwise falls in the task that first
 * shows the agenda at home; joining does it while the page is idle.
 */
export function prepareZone(zone: string): void {
	formatterIn(zone);
}

function formatterIn(zone: string): Intl.DateTimeFormat {
	let format = formatters.get(zone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formatters.set(zone, format);
	}
	return format;
}

function partsIn(instant: Date, zone: string): Record<string, number> {
	const format = formatterIn(zone);
	return Object.fromEntries(format.formatToParts(instant).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** The wall time on the clock in `zone` at a real instant. */
export function wallAt(instant: Date, zone: string): Wall {
	const p = partsIn(instant, zone);
	return wallOf(new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)));
}

function offsetAt(instant: Date, zone: string): number {
	const p = partsIn(instant, zone);
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The real instant of a wall time in `zone`. A time that does not exist (02.30 on the night the
 * clocks go forward) moves forward an hour, as calendar apps do; a time that occurs twice (the
 * night they go back) is the first of the two.
 */
export function instantOf(wall: Wall, zone: string): Date {
	const guess = floating(wall).getTime();
	const halfDay = 12 * 3600_000;
	// The offsets before and after any change that night give the one or two candidates.
	const candidates = [guess - offsetAt(new Date(guess - halfDay), zone), guess - offsetAt(new Date(guess + halfDay), zone)];
	const valid = candidates.filter((t) => wallAt(new Date(t), zone) === wall);
	return new Date(valid.length ? Math.min(...valid) : Math.max(...candidates));
}

/** Monday 00:00 of the week that holds `wall`. */
export function weekStart(wall: Wall): Wall {
	const date = floating(`${dayOf(wall)}T00:00`);
	const weekday = (date.getUTCDay() + 6) % 7;
	return addDays(wallOf(date), -weekday);
}

export function monthStart(wall: Wall): Wall {
	return `${wall.slice(0, 7)}-01T00:00`;
}

export function nextMonth(wall: Wall): Wall {
	const date = floating(monthStart(wall));
	return wallOf(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)));
}
