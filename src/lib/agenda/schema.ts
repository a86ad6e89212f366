// Validation of events: what a volunteer types, and what is read back from any peer.
import * as v from 'valibot';
import { id, isoDate, str } from '../automerge/fields.ts';
import { ACCESSIBILITY, AGENDA_CATEGORIES, ZONE } from './document.ts';
import { ENDS, REPEATS, isRule, ruleFromChoice, type RepeatChoice } from './recurrence.ts';
import { WEEKDAYS } from './weekdays.ts';
import { DAY, isWall } from './time.ts';
import { isUid, lineInput, linesInput, requiredLineInput } from '../validation/plain-text.ts';
import { line, lines } from '../validation/stored-text.ts';

const wall = v.pipe(str, v.check(isWall));
const day = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || (DAY.test(s) && isWall(`${s}T00:00`)), 'date'));
const clock = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || (/^\d{2}:\d{2}$/.test(s) && isWall(`2026-01-01T${s}`)), 'time'));
const text = lineInput;

/** The event form. Times are wall-clock times in Amsterdam. */
export const EventInput = v.pipe(
	v.object({
		title: requiredLineInput(100),
		description: linesInput(3000),
		category: v.picklist(AGENDA_CATEGORIES, 'required'),
		day: v.pipe(day, v.minLength(1, 'required')),
		allDay: v.boolean(),
		startTime: clock,
		endTime: clock,
		endDay: day,
		location: text(120),
		// An emptied number field gives null.
		lat: v.pipe(v.nullish(v.pipe(v.number('number'), v.minValue(-90, 'number'), v.maxValue(90, 'number'))), v.transform((x) => x ?? undefined)),
		lon: v.pipe(v.nullish(v.pipe(v.number('number'), v.minValue(-180, 'number'), v.maxValue(180, 'number'))), v.transform((x) => x ?? undefined)),
		organiser: text(100),
		contact: text(100),
		cost: text(60),
		accessibility: v.array(v.picklist(ACCESSIBILITY)),
		accessibilityNote: text(300),
		/** A service on the social map this event belongs to (its consultation hour). */
		service: v.optional(v.pipe(v.string(), v.check((s) => s === '' || /^[A-Za-z0-9_-]{8,64}$/.test(s)))),
		/** "Op de openbare pagina tonen": off unless an organiser ticks it. */
		public: v.optional(v.boolean()),
		capacity: v.pipe(v.number('number'), v.integer('number'), v.minValue(0, 'number'), v.maxValue(10000, 'number')),
		repeat: v.object({
			repeat: v.picklist(REPEATS),
			interval: v.pipe(v.number('number'), v.integer('number'), v.minValue(1, 'number'), v.maxValue(52, 'number')),
			weekdays: v.array(v.picklist(WEEKDAYS)),
			ends: v.picklist(ENDS),
			until: day,
			count: v.pipe(v.number('number'), v.integer('number'), v.minValue(0, 'number'), v.maxValue(1000, 'number')),
			custom: v.optional(v.string())
		})
	}),
	v.forward(v.check((e) => e.allDay || e.startTime !== '', 'required'), ['startTime']),
	v.forward(
		v.check((e) => e.allDay || e.endTime === '' || e.endDay !== '' || e.endTime > e.startTime, 'time_order'),
		['endTime']
	),
	v.forward(v.check((e) => e.endDay === '' || e.endDay >= e.day, 'date_order'), ['endDay']),
	v.forward(
		v.check((e) => e.repeat.repeat === 'none' || e.repeat.ends !== 'until' || (e.repeat.until !== '' && e.repeat.until >= e.day), 'date_order'),
		['repeat', 'until']
	)
);
export type EventInput = v.InferOutput<typeof EventInput>;

/** Start, end and rule as stored, from a valid form. */
export function scheduleOf(input: EventInput): { start: string; end: string; rrule: string } {
	const start = `${input.day}T${input.allDay ? '00:00' : input.startTime}`;
	const endDay = input.endDay || input.day;
	// Without an end time the event is shown with its start time only.
	const end = input.allDay ? `${endDay}T00:00` : `${endDay}T${input.endTime || input.startTime}`;
	return { start, end, rrule: ruleFromChoice(input.repeat as RepeatChoice, start) };
}

export const SkipView = v.object({ by: id, actedBy: v.optional(id), at: isoDate, reason: v.fallback(lines(300), '') });

export const OverrideView = v.object({
	start: v.optional(wall),
	end: v.optional(wall),
	location: v.optional(line(120)),
	note: v.optional(lines(300)),
	by: id,
	at: isoDate
});

export const SignupView = v.object({
	id,
	member: id,
	actedBy: v.optional(id),
	occurrence: v.pipe(str, v.check((s) => s === '' || isWall(s))),
	at: isoDate,
	cancelledAt: v.optional(isoDate),
	cancelledBy: v.optional(id),
	// Dates this person skips. A malformed list from a peer counts as none: better a place kept
	// than a sign-up lost.
	away: v.fallback(v.optional(v.record(v.pipe(v.string(), v.check(isWall)), isoDate), {}), {})
});
export type Signup = v.InferOutput<typeof SignupView>;

const coordinate = (min: number, max: number) => v.optional(v.pipe(v.number(), v.minValue(min), v.maxValue(max)));

/** The parts of an event that must be right; skips, overrides and sign-ups are read one by one. */
export const EventCore = v.pipe(
	v.object({
		id,
		title: v.pipe(line(200), v.minLength(1)),
		description: v.fallback(lines(10000), ''),
		start: wall,
		end: wall,
		allDay: v.fallback(v.boolean(), false),
		zone: v.fallback(v.pipe(str, v.literal(ZONE)), ZONE),
		rrule: v.fallback(v.pipe(str, v.check((r) => r === '' || isRule(r))), ''),
		follows: v.optional(id),
		location: v.fallback(
			v.object({ name: v.fallback(line(200), ''), lat: coordinate(-90, 90), lon: coordinate(-180, 180) }),
			{ name: '' }
		),
		organiser: v.fallback(line(200), ''),
		contact: v.fallback(line(200), ''),
		category: v.fallback(v.pipe(str, v.picklist(AGENDA_CATEGORIES)), 'overig'),
		cost: v.fallback(line(100), ''),
		accessibilityNote: v.fallback(line(500), ''),
		capacity: v.fallback(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10000)), 0),
		// Written into the feed as it is: a line break here would add components for every subscriber.
		uid: v.optional(v.pipe(str, v.check(isUid))),
		service: v.optional(id),
		// Anything but `true` from a peer keeps an event off the public page.
		public: v.optional(v.pipe(v.unknown(), v.transform((p) => p === true)), false),
		author: id,
		actedBy: v.optional(id),
		createdAt: isoDate,
		updatedAt: v.fallback(isoDate, ''),
		updatedBy: v.fallback(id, ''),
		cancelled: v.fallback(v.nullish(v.object({ by: id, at: isoDate, reason: v.fallback(lines(300), '') })), null)
	}),
	v.check((e) => e.end >= e.start)
);
export type EventCore = v.InferOutput<typeof EventCore>;
