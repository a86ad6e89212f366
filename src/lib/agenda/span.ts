// The days an agenda document covers, and the days a page shows: a page that shows this week
// needs no document of years ago (automerge/module-documents.svelte.ts, `span` and `need`).
import { FOREVER, overlaps, type Span } from '../automerge/span.ts';
import { startsUntil } from './recurrence.ts';
import { addDays, addMinutes, dayOf, minutesBetween, monthStart, weekStart, type Wall } from './time.ts';
import type { AgendaEvent } from './view.ts';

// Counting a rule's starts is not free, and the worker reads each event once per change and tab.
const lastDays = new WeakMap<AgendaEvent, string>();

/** The last day a series may take place on, from its rule (`startsUntil`): forever if it does not end. */
function lastDayOf(event: AgendaEvent): string {
	let day = lastDays.get(event);
	if (day === undefined) {
		const until = startsUntil(event);
		day = until ? dayOf(addMinutes(until, Math.max(0, minutesBetween(event.start, event.end)))) : FOREVER;
		lastDays.set(event, day);
	}
	return day;
}

/**
 * From the first day any of these events starts to the last day any of them ends, moved
 * occurrences included; none when there are no events. A repeating event (in a year's document
 * only if a peer put it there) reaches to the end of its rule, or forever: about half the series of
 * a neighbourhood of ten years have ended (bench/generate-agenda.ts), and a page showing this week
 * needs none of them.
 */
export function eventsSpan(events: readonly AgendaEvent[]): Span | undefined {
	let from: string | undefined;
	let to: string | undefined;
	const reach = (wall: string | undefined) => {
		if (!wall) return;
		const day = dayOf(wall);
		if (from === undefined || day < from) from = day;
		if (to === undefined || day > to) to = day;
	};
	for (const event of events) {
		reach(event.start);
		reach(event.end);
		if (event.rrule) reach(lastDayOf(event));
		for (const [occurrence, moved] of Object.entries(event.overrides)) {
			reach(occurrence);
			reach(moved.start);
			reach(moved.end);
		}
	}
	return from !== undefined && to !== undefined ? { from, to } : undefined;
}

/**
 * The days from `from` to `to`, or from `from` on. A window's end is the midnight after it: its day
 * is taken too, one day more than shown, which only may bring a document sooner.
 */
export function daysSpan(from: Wall, to?: Wall): Span {
	return { from: dayOf(from), to: to ? dayOf(to) : FOREVER };
}

/** The events that reach into a span (`eventsSpan`), in their order. */
export const eventsReaching = <E extends AgendaEvent>(events: readonly E[], span: Span): E[] =>
	events.filter((event) => {
		const covers = eventsSpan([event]);
		return covers !== undefined && overlaps(covers, span);
	});

/**
 * What the agenda's pages show first: this month, this week (which may have begun last month) and
 * the news of a device's first look (the past week, `news/unread.ts`), and on. A page that shows
 * more (last month, a search) gets the whole of the documents that opened first.
 */
export function shownFirst(today: Wall): Span {
	const days = [monthStart(today), weekStart(today), addDays(today, -8)].map(dayOf).sort();
	return { from: days[0]!, to: FOREVER };
}
