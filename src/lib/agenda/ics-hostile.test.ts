// Whatever a member's device stores in an agenda document, the calendar feed every subscriber
// fetches stays one valid calendar: exactly the events the agenda shows, nothing injected.
import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ACCESSIBILITY, AGENDA_CATEGORIES } from './document.ts';
import { toICalendar } from './ics.ts';
import { addMinutes } from './time.ts';
import { readEvents, type AgendaEvent } from './view.ts';

const INJECTIONS = [
	'\r\nBEGIN:VEVENT\r\nUID:injected\r\nSUMMARY:Gratis geld\r\nEND:VEVENT',
	'\r\nEND:VCALENDAR\r\n',
	'\nBEGIN:VALARM\n',
	'\r',
	'\n',
	'\r\n ',
	'\t',
	'\u0000',
	'\u0007',
	'\u000b',
	'\u001b[31m',
	'\u007f',
	'\u0085',
	'\u2028',
	'\u2029',
	'\u202e',
	'\u2066',
	'\ufeff',
	'\uffff',
	'\ud800',
	'\udc00',
	'\\',
	'\\n',
	';',
	',',
	':',
	'"',
	'é',
	'😀',
	'ﬀ'
];

/** A valid value with something hostile put in at any place. */
const poisoned = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> =>
	fc.tuple(valid, fc.nat(), fc.constantFrom(...INJECTIONS)).map(([text, at, bad]) => {
		const i = at % (text.length + 1);
		return text.slice(0, i) + bad + text.slice(i);
	});

const words = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 });
const lineText = words.map((s) => s.replace(/[\r\n]/g, ' '));
const ids = fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/);
const walls = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16));
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }).map((ms) => new Date(ms).toISOString());
const rules = fc.constantFrom('', 'FREQ=WEEKLY', 'FREQ=MONTHLY;BYDAY=2TU', 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20301231T000000', 'FREQ=DAILY;COUNT=5', 'FREQ=YEARLY');
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** What a member's device may have written: anything, but often something close to a real value. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	poisoned(lineText),
	poisoned(walls),
	poisoned(ids),
	poisoned(instants),
	poisoned(rules),
	fc.string({ unit: 'binary', maxLength: 300 }),
	fc.constant('x'.repeat(20_000)),
	fc.anything({ maxDepth: 1 })
);

/** An event as the app writes it. */
const honestEvent = fc
	.record({
		id: ids,
		title: lineText,
		description: words,
		start: walls,
		length: fc.integer({ min: 0, max: 3000 }),
		allDay: fc.boolean(),
		zone: fc.constant('Europe/Amsterdam'),
		rrule: rules,
		location: fc.record({ name: lineText, lat: optional(fc.double({ min: -90, max: 90, noNaN: true })), lon: optional(fc.double({ min: -180, max: 180, noNaN: true })) }),
		organiser: lineText,
		contact: lineText,
		category: fc.constantFrom(...AGENDA_CATEGORIES),
		cost: lineText,
		accessibilityNote: lineText,
		accessibility: fc.dictionary(fc.constantFrom(...ACCESSIBILITY), fc.constant(true), { maxKeys: 3 }),
		capacity: fc.nat(10_000),
		uid: optional(fc.oneof(ids.map((i) => `${i}@example.org`), fc.constant('040000008200E00074C5B7101A82E008'))),
		author: ids,
		createdAt: instants,
		updatedAt: optional(instants),
		sequence: fc.nat(50),
		skipped: fc.dictionary(fc.oneof({ arbitrary: walls, weight: 5 }, { arbitrary: poisoned(walls), weight: 1 }), fc.record({ by: ids, at: instants, reason: words }), { maxKeys: 2 }),
		overrides: fc.dictionary(
			fc.oneof({ arbitrary: walls, weight: 5 }, { arbitrary: poisoned(walls), weight: 1 }),
			fc.record({ start: optional(walls), location: optional(lineText), note: optional(words), by: ids, at: instants }),
			{ maxKeys: 2 }
		),
		cancelled: optional(fc.record({ by: ids, at: instants, reason: words }))
	})
	.map(({ length, ...event }) => {
		const end = addMinutes(event.start, length);
		return JSON.parse(JSON.stringify({ ...event, end })) as Record<string, unknown>;
	});

/** Every value in a stored event, by its path of keys. */
function leaves(value: unknown, path: string[] = []): string[][] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path];
	const inner = Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
	return inner.length > 0 ? inner : [path];
}

/** An honest event with up to three of its values replaced by hostile ones. */
const storedEvent = fc.tuple(honestEvent, fc.array(fc.tuple(fc.nat(), hostileValue), { maxLength: 3 })).map(([event, hits]) => {
	for (const [at, bad] of hits) {
		const paths = leaves(event);
		const path = paths[at % paths.length];
		let target = event as Record<string, unknown>;
		for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
		target[path[path.length - 1]] = bad;
	}
	return event;
});

/** The agenda document as a peer could have written it; keys mostly the event's id. */
const storedDoc = fc.array(fc.tuple(storedEvent, fc.nat(9)), { maxLength: 6 }).map((pairs) => ({
	period: 'series',
	events: Object.fromEntries(pairs.map(([event, roll], i) => [roll > 0 && typeof event.id === 'string' ? event.id : `key-${i}-000000`, event]))
}));

/** The feed unfolded into its logical lines, as RFC 5545 section 3.1 reads it. */
function contentLines(ics: string): string[] {
	expect(ics.endsWith('\r\n')).toBe(true);
	const physical = ics.slice(0, -2).split('\r\n');
	for (const line of physical) {
		expect(new TextEncoder().encode(line).length, line).toBeLessThanOrEqual(75);
		// Nothing but HTAB among the controls; no bare CR or LF inside a line.
		// eslint-disable-next-line no-control-regex -- finding control characters is the point
		expect(line, JSON.stringify(line)).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F]/);
	}
	const logical: string[] = [];
	for (const line of physical) {
		if (line.startsWith(' ')) logical[logical.length - 1] += line.slice(1);
		else logical.push(line);
	}
	return logical;
}

let shown = 0;

function checkFeed(doc: unknown, name: string): void {
	const read = readEvents([{ url: 'automerge:agenda', doc }]);
	const events: AgendaEvent[] = read.items;
	shown += events.length;
	const ics = toICalendar(events, { name, now: new Date('2026-03-01T12:00:00Z') });
	const logical = contentLines(ics);
	for (const line of logical) expect(line, JSON.stringify(line)).toMatch(/^[A-Z][A-Z0-9-]*(;[^:]*)?:/);
	for (const line of logical.filter((l) => l.startsWith('GEO:'))) expect(line).toMatch(/^GEO:-?\d+(\.\d+)?;-?\d+(\.\d+)?$/);
	expect(logical.filter((l) => l === 'BEGIN:VCALENDAR')).toHaveLength(1);
	expect(logical.filter((l) => l === 'BEGIN:VEVENT').length).toBe(logical.filter((l) => l === 'END:VEVENT').length);

	const calendar = new ICAL.Component(ICAL.parse(ics));
	const vevents = calendar.getAllSubcomponents('vevent');
	const masters = vevents.filter((v) => !v.hasProperty('recurrence-id'));
	const changed = events.reduce((n, e) => n + (e.rrule ? Object.keys(e.overrides).filter((rid) => !e.skipped[rid]).length : 0), 0);
	expect(masters).toHaveLength(events.length);
	expect(vevents).toHaveLength(events.length + changed);
	// Each event comes back as itself: its UID and title, nothing cut off or added.
	const expected = events.map((e) => [e.uid ?? `${e.id}@noaber`, e.title]).sort();
	const parsed = masters.map((v) => [String(v.getFirstPropertyValue('uid')), String(v.getFirstPropertyValue('summary'))]).sort();
	expect(parsed).toEqual(expected);
	for (const vevent of vevents) {
		const event = new ICAL.Event(vevent);
		expect(event.startDate, 'DTSTART').toBeTruthy();
	}
}

describe('the calendar feed from hostile agenda documents', () => {
	it('writes any stored events as one calendar that ical.js reads, with exactly the events the agenda shows', () => {
		fc.assert(
			fc.property(storedDoc, fc.oneof(lineText, poisoned(lineText)), (doc, name) => checkFeed(doc, name)),
			{ numRuns: 400 }
		);
		// Not a test of empty calendars: many generated events were valid and shown.
		expect(shown).toBeGreaterThan(200);
	}, 60_000);

	it('leaves out an event whose UID would add a component, and keeps the rest', () => {
		const event = (id: string, extra: Record<string, unknown>) => ({
			id,
			title: 'Koffieochtend',
			start: '2026-03-10T10:00',
			end: '2026-03-10T11:30',
			author: 'anna-0000-0001',
			createdAt: '2026-03-01T09:00:00.000Z',
			...extra
		});
		const doc = {
			period: '2026',
			events: {
				'good-0000-0001': event('good-0000-0001', { description: 'Koffie;\r\nthee, en \\ koek\u0007' }),
				'evil-0000-0001': event('evil-0000-0001', { uid: 'x\r\nBEGIN:VEVENT\r\nUID:y\r\nSUMMARY:Gratis geld\r\nEND:VEVENT' }),
				'evil-0000-0002': event('evil-0000-0002', { title: 'Bingo\r\nBEGIN:VALARM' }),
				'evil-0000-0003': event('evil-0000-0003', { rrule: 'FREQ=WEEKLY\r\nBEGIN:VEVENT' })
			}
		};
		const read = readEvents([{ url: 'automerge:agenda', doc }]);
		expect(read.items.map((e) => e.id).sort()).toEqual(['evil-0000-0003', 'good-0000-0001']);
		expect(read.skipped).toBe(2);
		// The rule that is no rule falls back to none: a one-off event, nothing injected.
		expect(read.items.find((e) => e.id === 'evil-0000-0003')?.rrule).toBe('');
		const ics = toICalendar(read.items, { name: 'Lindenbuurt' });
		expect(ics).not.toContain('Gratis geld');
		const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
		expect(vevents).toHaveLength(2);
		expect(new ICAL.Event(vevents.find((v) => v.getFirstPropertyValue('uid') === 'good-0000-0001@noaber')).description.startsWith('Koffie;\nthee, en \\ koek\n')).toBe(true);
		checkFeed(doc, 'Lindenbuurt');
	});
});
