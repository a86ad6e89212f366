// The days of the week as iCalendar writes them (MO to SU), and where a day falls in its month: the
// calendar facts that the agenda's repeat rules and the map's opening hours share. Apart from
// recurrence.ts, so that reading opening hours does not load the rrule library.
import { floating, type Wall } from './time.ts';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number];

export const weekdayOf = (wall: Wall): WeekdayCode => WEEKDAYS[(floating(wall).getUTCDay() + 6) % 7];

/**
 * Which of its weekday in the month a day is, counted from the start (1 for the first Tuesday, up
 * to 5) and from the end (-1 for the last Tuesday, down to -5).
 */
export function placeInMonth(wall: Wall): { nth: number; fromEnd: number } {
	const date = floating(wall);
	const day = date.getUTCDate();
	const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
	return { nth: Math.ceil(day / 7), fromEnd: -Math.ceil((daysInMonth - day + 1) / 7) };
}

/** 2 for the second Tuesday of the month, -1 for the last one when it is the fifth. */
export function nthOf(wall: Wall): number {
	const { nth } = placeInMonth(wall);
	return nth === 5 ? -1 : nth;
}
