// Events as the app shows them, read and validated from every loaded agenda document.
import * as v from 'valibot';
import { isRecord, textOf } from '../automerge/fields.ts';
import { ACCESSIBILITY, type Accessibility } from './document.ts';
import type { Read } from '../automerge/fields.ts';
import type { SeriesWeek } from './calendar.ts';
import type { Override, Skip } from './recurrence.ts';
import { EventCore, OverrideView, SignupView, SkipView, type Signup } from './schema.ts';
import { indexCombined } from './event-index.ts';
import { isWall } from './time.ts';
import { compare, mergeSorted } from '../sorted/merge.ts';

export interface AgendaEvent extends EventCore {
	skipped: Record<string, Skip>;
	overrides: Record<string, Override>;
	accessibility: Accessibility[];
	signups: Signup[];
	sequence: number;
	/** Which agenda document holds it ('2026' or 'series'), so a mutation can find its handle. */
	period: string;
	documentUrl: string;
}

export interface AgendaSource {
	url: string;
	doc: unknown;
}

export interface EventsRead extends Read<AgendaEvent> {
	/** Sign-ups, skips and overrides that failed validation, inside otherwise valid events. */
	skippedParts: number;
	/** This week's occurrences of its series, when read away from the page (agenda/documents.ts). */
	seriesWeek?: SeriesWeek;
}


function readKeyed<T>(map: unknown, schema: v.GenericSchema<unknown, T>, counter: { skipped: number }): Record<string, T> {
	const out: Record<string, T> = {};
	if (!isRecord(map)) return out;
	for (const [key, value] of Object.entries(map)) {
		if (value === null) continue; // undone
		const r = v.safeParse(schema, value);
		if (r.success && isWall(key)) out[key] = r.output;
		else counter.skipped += 1;
	}
	return out;
}

/** A Counter or a plain number; 0 for anything else (`Number()` of a peer's map can throw). */
function countOf(value: unknown): number {
	const raw = isRecord(value) ? value.value : value;
	return typeof raw === 'number' && Number.isFinite(raw) ? raw : 0;
}

function readEvent(stored: unknown, period: string, documentUrl: string, counter: { skipped: number }): AgendaEvent | undefined {
	const core = v.safeParse(EventCore, stored);
	if (!core.success || !isRecord(stored)) return undefined;
	const signups: Signup[] = [];
	if (isRecord(stored.signups)) {
		for (const value of Object.values(stored.signups)) {
			const r = v.safeParse(SignupView, value);
			if (r.success) signups.push(r.output);
			else counter.skipped += 1;
		}
	}
	signups.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
	const flags = isRecord(stored.accessibility) ? Object.keys(stored.accessibility) : [];
	const sequence = countOf(stored.sequence);
	return {
		...core.output,
		skipped: readKeyed(stored.skipped, SkipView, counter),
		overrides: readKeyed(stored.overrides, OverrideView, counter),
		accessibility: ACCESSIBILITY.filter((a) => flags.includes(a)),
		signups,
		sequence,
		period,
		documentUrl
	};
}

// Automerge documents are immutable snapshots: a document that did not change is not read again.
const cache = new WeakMap<object, EventsRead>();

function readDocument(source: AgendaSource): EventsRead {
	const doc = source.doc as { period?: unknown; events?: unknown } | undefined;
	const period = textOf(doc?.period);
	const counter = { skipped: 0 };
	const items: AgendaEvent[] = [];
	let skipped = 0;
	if (isRecord(doc?.events)) {
		for (const [key, stored] of Object.entries(doc.events)) {
			const event = readEvent(stored, period, source.url, counter);
			if (event && event.id === key) items.push(event);
			else skipped += 1;
		}
	}
	items.sort(byStart);
	return { items, skipped, skippedParts: counter.skipped };
}

const byStart = (a: AgendaEvent, b: AgendaEvent) => compare(a.start, b.start) || compare(a.id, b.id);

/** Every event in the given agenda documents, by start; invalid ones skipped and counted. */
export function readEvents(sources: AgendaSource[]): EventsRead {
	const reads = sources.map((source) => {
		const key = isRecord(source.doc) ? source.doc : undefined;
		const hit = key ? cache.get(key) : undefined;
		if (hit) return hit;
		const read = readDocument(source);
		if (key) cache.set(key, read);
		return read;
	});
	// The page reads its documents again whenever anything in the agenda changes, also a year read
	// in the background: documents that did not change combine to the list they made last time.
	if (last && last.reads.length === reads.length && last.reads.every((read, i) => read === reads[i])) return last.combined;
	const combined = combineEvents(reads);
	last = { reads, combined };
	return combined;
}
let last: { reads: EventsRead[]; combined: EventsRead } | undefined;

/**
 * Events per piece when a year is sent to the page in pieces: about 200 KB, which the cheap phone
 * takes in within about 10 ms (a whole year of the ten-year neighbourhood is about 1.2 MB).
 */
export const EVENTS_PER_PIECE = 100;

/**
 * A document's read as smaller reads, in order, that `combineEvents` makes whole again: the counts
 * of what was skipped go with the first, and each takes the series week of its own series.
 */
export function piecesOf(read: EventsRead, size = EVENTS_PER_PIECE): EventsRead[] {
	if (read.items.length <= size) return [read];
	const pieces: EventsRead[] = [];
	for (let at = 0; at < read.items.length; at += size) {
		const items = read.items.slice(at, at + size);
		const first = at === 0;
		const piece: EventsRead = { items, skipped: first ? read.skipped : 0, skippedParts: first ? read.skippedParts : 0 };
		const week = read.seriesWeek;
		if (week) {
			const occurrences = Object.fromEntries(items.flatMap((e) => (Object.hasOwn(week.occurrences, e.id) ? [[e.id, week.occurrences[e.id]]] : [])));
			if (Object.keys(occurrences).length > 0) piece.seriesWeek = { from: week.from, to: week.to, occurrences };
		}
		pieces.push(piece);
	}
	return pieces;
}

/**
 * The ids in a combined agenda, handed on to the agenda combined from it next: the page's agenda
 * grows a year at a time, and each year then looks up only its own events (not all 5,000 again).
 */
const idsOf = new WeakMap<EventsRead, Set<string>>();

/**
 * Reads of separate documents as one agenda: each event once, in order, the first read of it kept.
 * Older years are read away from the page (in the background) and come as reads of their own.
 */
export function combineEvents(reads: EventsRead[]): EventsRead {
	if (reads.length === 1) return reads[0];
	const [base, ...more] = reads;
	if (!base) return { items: [], skipped: 0, skippedParts: 0 };
	let seen = idsOf.get(base);
	let lists: AgendaEvent[][];
	if (seen) {
		// Once handed on, a combined agenda that is combined again makes its set anew.
		idsOf.delete(base);
		lists = [base.items];
	} else {
		seen = new Set<string>();
		lists = [base.items.filter(unseen(seen))];
	}
	// Each read is in order already, and keeps it with only the first of each event: merged, not
	// sorted again, as each of ten older years arrives.
	for (const read of more) lists.push(read.items.filter(unseen(seen)));
	const combined = {
		items: mergeSorted(lists, byStart),
		skipped: reads.reduce((n, r) => n + r.skipped, 0),
		skippedParts: reads.reduce((n, r) => n + r.skippedParts, 0)
	};
	idsOf.set(combined, seen);
	indexCombined(combined.items, lists);
	return combined;
}

const unseen = (seen: Set<string>) => (event: AgendaEvent) => !seen.has(event.id) && Boolean(seen.add(event.id));
