// Which days an agenda view shows, and which day is today. Apart from the reading of the events
// (calendar.ts, with the repeat rules' code): a page knows its week before that code has loaded.
import { ZONE } from './document.ts';
import { addDays, dayOf, monthStart, nextMonth, wallAt, wallOf, weekStart, type Wall } from './time.ts';

export const VIEWS = ['today', 'week', 'month', 'list'] as const;
export type AgendaView = (typeof VIEWS)[number];

export const todayWall = (now = new Date()): Wall => `${dayOf(wallAt(now, ZONE))}T00:00`;

/**
 * Today on the device's own clock. In the Netherlands the same day as `todayWall`, without the
 * browser's zone data: the first use of Intl's dates in a page costs 90 to 220 ms on a cheap phone
 * (bench/member-device.ts), too much before a page's first paint. A page shows this day first and
 * takes `todayWall` after that paint.
 */
export const deviceToday = (now = new Date()): Wall => wallOf(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));

/** [from, to) of a view around a day. The list shows four weeks from the day. */
export function windowOf(view: AgendaView, day: Wall): { from: Wall; to: Wall } {
	const start = `${dayOf(day)}T00:00`;
	if (view === 'today') return { from: start, to: addDays(start, 1) };
	if (view === 'week') return { from: weekStart(start), to: addDays(weekStart(start), 7) };
	if (view === 'month') return { from: monthStart(start), to: nextMonth(start) };
	return { from: start, to: addDays(start, 28) };
}
