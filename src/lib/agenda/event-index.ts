// Where a window's events are among thousands. The agenda is in order of start, so the one-off
// events of a week are found by halving the list; repeating events and events over several days
// are kept aside, as they may reach into a window from long before it. A page works its window out
// again whenever the agenda changes (each older year that arrives), on a cheap phone.
import { addDays, dayOf, type Wall } from './time.ts';
import type { AgendaEvent } from './view.ts';

interface EventIndex {
	/** In order of start: a window's one-off events can be searched for. */
	sorted: boolean;
	/** Repeating events: any of them may have an occurrence in a window. */
	series: AgendaEvent[];
	/** One-off events that end on a later day than they start. */
	long: AgendaEvent[];
}

// By list: a list is made anew, never changed, when the agenda changes.
const indexes = new WeakMap<readonly AgendaEvent[], EventIndex>();

function scan(index: EventIndex, events: readonly AgendaEvent[]): void {
	for (let i = 0; i < events.length; i++) {
		const event = events[i];
		if (i > 0 && events[i - 1].start > event.start) index.sorted = false;
		if (event.rrule) index.series.push(event);
		else if (dayOf(event.end) > dayOf(event.start)) index.long.push(event);
	}
}

function indexOf(events: readonly AgendaEvent[]): EventIndex {
	let index = indexes.get(events);
	if (!index) {
		index = { sorted: true, series: [], long: [] };
		scan(index, events);
		indexes.set(events, index);
	}
	return index;
}

/**
 * `events` were merged in order from `parts`, the first of which is the agenda so far: when that
 * has an index, the new list's index is made from it and the other parts' events alone.
 */
export function indexCombined(events: readonly AgendaEvent[], parts: readonly (readonly AgendaEvent[])[]): void {
	const so = parts.length > 0 ? indexes.get(parts[0]) : undefined;
	if (!so || indexes.has(events)) return;
	const index = { sorted: so.sorted, series: so.series.slice(), long: so.long.slice() };
	for (const part of parts.slice(1)) scan(index, part);
	indexes.set(events, index);
}

/** The first position whose event starts at or after `wall`. */
function firstFrom(events: readonly AgendaEvent[], wall: Wall): number {
	let low = 0;
	let high = events.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (events[middle].start < wall) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** The events that may have an occurrence in [from, to), in no particular order; each once. */
export function eventsNear(events: readonly AgendaEvent[], from: Wall, to: Wall): readonly AgendaEvent[] {
	const index = indexOf(events);
	if (!index.sorted) return events;
	// A one-off event that starts and ends on one day before the day before `from` is over by then.
	const early = addDays(from, -1);
	const near = index.series.concat(index.long.filter((event) => event.start < early));
	const end = firstFrom(events, to);
	for (let i = firstFrom(events, early); i < end; i++) if (!events[i].rrule) near.push(events[i]);
	return near;
}
