// What the agenda shows: the occurrences of all events in a window, by day, with filters.
import { eventsNear } from './event-index.ts';
import { occurrencesBetween, type Occurrence } from './recurrence.ts';
import { activeSignups } from './signups.ts';
import { dayOf, type Wall } from './time.ts';
import { compare } from '../sorted/merge.ts';
import type { AgendaEvent } from './view.ts';
import { fold } from '../text/fold.ts';

export interface Happening {
	event: AgendaEvent;
	occurrence: Occurrence;
	/** Skipped or the whole event cancelled: listed, struck through. */
	off: boolean;
}

export interface Filter {
	category?: string;
	/** Only what these members (someone and those they act for) signed up for or made. */
	mine?: string[];
}

function involves(event: AgendaEvent, occurrence: Occurrence, members: string[]): boolean {
	return members.includes(event.author) || activeSignups(event.signups, occurrence.rid).some((s) => members.includes(s.member));
}

/**
 * A series' occurrences in a window, kept per event: a page works the window out again whenever
 * anything in the agenda changes (each older year that arrives), and expanding the series is the
 * costly part. An event's view is replaced, never changed, when its document changes.
 */
const expanded = new WeakMap<AgendaEvent, { from: Wall; to: Wall; occurrences: Occurrence[] }>();
function occurrencesOf(event: AgendaEvent, from: Wall, to: Wall): Occurrence[] {
	if (!event.rrule) return occurrencesBetween(event, from, to);
	const kept = expanded.get(event);
	if (kept && kept.from === from && kept.to === to) return kept.occurrences;
	const occurrences = occurrencesBetween(event, from, to);
	expanded.set(event, { from, to, occurrences });
	return occurrences;
}

/**
 * This week's occurrences of each series, worked out where the agenda is read (the documents
 * worker): opening the agenda then expands none of its series on the page, in the tap that opens it.
 */
export interface SeriesWeek {
	from: Wall;
	to: Wall;
	/** By event id. */
	occurrences: Record<string, Occurrence[]>;
}

/** The occurrences in `week` (this week's window) of the series among `events`; undefined when there are none. */
export function seriesWeek(events: AgendaEvent[], { from, to }: { from: Wall; to: Wall }): SeriesWeek | undefined {
	if (!events.some((event) => event.rrule)) return undefined;
	const occurrences: Record<string, Occurrence[]> = {};
	for (const event of events) if (event.rrule) occurrences[event.id] = occurrencesOf(event, from, to);
	return { from, to, occurrences };
}

/** Takes a week worked out elsewhere for these events (the same events, copied to this page). */
export function adoptSeriesWeek(events: AgendaEvent[], week: SeriesWeek): void {
	for (const event of events) {
		const occurrences = event.rrule ? week.occurrences[event.id] : undefined;
		if (occurrences && !expanded.has(event)) expanded.set(event, { from: week.from, to: week.to, occurrences });
	}
}

/** Every occurrence overlapping [from, to), in order of start. */
export function happenings(events: readonly AgendaEvent[], from: Wall, to: Wall, filter: Filter = {}): Happening[] {
	const out: Happening[] = [];
	for (const event of eventsNear(events, from, to)) {
		if (filter.category && event.category !== filter.category) continue;
		// A one-off event far from the window is ruled out without expanding anything.
		if (!event.rrule && (event.start >= to || (event.end < from && event.start < from))) continue;
		for (const occurrence of occurrencesOf(event, from, to)) {
			if (filter.mine && !involves(event, occurrence, filter.mine)) continue;
			out.push({ event, occurrence, off: Boolean(occurrence.skipped || event.cancelled) });
		}
	}
	// The same order whichever way the events were found (event-index.ts).
	return out.sort(byTime);
}

// Titles in the order a person reads them (as `localeCompare`), with one collator: the page sorts
// this week again with each older year that arrives, and `localeCompare` looks its collator up at
// every comparison. Times are wall times of one form ("2026-03-03T10:00"): their characters' order
// is their order in time.
const titles = new Intl.Collator();
const byTime = (a: Happening, b: Happening): number =>
	compare(a.occurrence.start, b.occurrence.start) || titles.compare(a.event.title, b.event.title) || compare(a.event.id, b.event.id) || compare(a.occurrence.rid, b.occurrence.rid);

/**
 * Whether two lists of happenings are the same ones in the same order. An occurrence follows from
 * its event (the same object: not read again) and the window, so the event, the occurrence's start
 * and its id say it. The agenda is made anew with each older year that arrives; this week mostly
 * stays as it was, and a page that keeps its list then need not make its cards again.
 */
export function sameHappenings(a: readonly Happening[], b: readonly Happening[]): boolean {
	return (
		a.length === b.length &&
		a.every((h, i) => h.event === b[i]!.event && h.occurrence.rid === b[i]!.occurrence.rid && h.occurrence.start === b[i]!.occurrence.start && h.off === b[i]!.off)
	);
}

export interface Day {
	day: string;
	items: Happening[];
}

/** Happenings grouped by the day they start on; a view shows each day once. */
export function byDay(items: Happening[]): Day[] {
	const days: Day[] = [];
	for (const item of items) {
		const day = dayOf(item.occurrence.start);
		const last = days[days.length - 1];
		if (last?.day === day) last.items.push(item);
		else days.push({ day, items: [item] });
	}
	return days;
}

/** Search for an event by title, place or organiser, without caring about accents or case. */
export function matchesText(event: AgendaEvent, query: string): boolean {
	const q = fold(query.trim());
	return !q || fold(`${event.title} ${event.location.name} ${event.organiser}`).includes(q);
}
