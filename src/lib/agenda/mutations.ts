// Every change to the agenda. Each records who acted (and for whom), writes only what changed so
// concurrent edits of other fields survive, raises the event's SEQUENCE for calendar apps, and
// never deletes: skips, cancellations and sign-offs are flags that can be undone.
import { Counter, updateText } from '@automerge/automerge/slim';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { randomId } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { Actor } from '../help/document.ts';
import { check, type Invalid, type Valid } from '../validation/check.ts';
import { cleanLine, cleanLines, clip } from '../validation/plain-text.ts';
import type { AgendaDoc, EventDoc, OverrideDoc, SignupDoc } from './document.ts';
import { ZONE } from './document.ts';
import { choiceFromRule, endBefore, nextStart, withUntil } from './recurrence.ts';
import { EventInput, scheduleOf } from './schema.ts';
import { addMinutes, dayOf, isWall, minutesBetween, timeOf } from './time.ts';
import type { AgendaEvent } from './view.ts';

export type { Actor, EventInput };

/** A DocHandle in the app; in benchmarks and tests anything that applies a change. */
export type AgendaHandle = Pick<DocHandle<AgendaDoc>, 'change'>;

export const checkEvent = (input: unknown): Valid<EventInput> | Invalid => check(EventInput, input);

export const blankEvent = (day = ''): EventInput => ({
	title: '',
	description: '',
	category: 'ontmoeting',
	day,
	allDay: false,
	startTime: '10:00',
	endTime: '11:30',
	endDay: '',
	location: '',
	organiser: '',
	contact: '',
	cost: '',
	accessibility: [],
	accessibilityNote: '',
	capacity: 0,
	public: false,
	repeat: { repeat: 'none', interval: 1, weekdays: [], ends: 'never', until: '', count: 10 }
});

/** The form filled in from an event, for editing. */
export function eventInput(event: AgendaEvent): EventInput {
	const endDay = dayOf(event.end) === dayOf(event.start) ? '' : dayOf(event.end);
	const input: EventInput = {
		...blankEvent(dayOf(event.start)),
		title: event.title,
		description: event.description,
		category: event.category,
		allDay: event.allDay,
		startTime: event.allDay ? '' : timeOf(event.start),
		endTime: event.allDay || event.end === event.start ? '' : timeOf(event.end),
		endDay,
		location: event.location.name,
		organiser: event.organiser,
		contact: event.contact,
		cost: event.cost,
		accessibility: [...event.accessibility],
		accessibilityNote: event.accessibilityNote,
		capacity: event.capacity,
		public: event.public,
		repeat: choiceFromRule(event.rrule, event.start),
		service: event.service ?? ''
	};
	if (event.location.lat !== undefined) input.lat = event.location.lat;
	if (event.location.lon !== undefined) input.lon = event.location.lon;
	return input;
}

function location(input: EventInput): EventDoc['location'] {
	const value: EventDoc['location'] = { name: imm(input.location) };
	if (input.lat !== undefined && input.lon !== undefined) {
		value.lat = input.lat;
		value.lon = input.lon;
	}
	return value;
}

function newEventDoc(input: EventInput, actor: Actor, at: string, id: string): EventDoc {
	const { start, end, rrule } = scheduleOf(input);
	const event: EventDoc = {
		id: imm(id),
		title: imm(input.title),
		description: input.description,
		start: imm(start),
		end: imm(end),
		allDay: input.allDay,
		zone: imm(ZONE),
		rrule: imm(rrule),
		skipped: {},
		overrides: {},
		location: location(input),
		organiser: imm(input.organiser),
		contact: imm(input.contact),
		category: imm(input.category),
		cost: imm(input.cost),
		accessibility: Object.fromEntries(input.accessibility.map((a) => [a, true as const])),
		accessibilityNote: imm(input.accessibilityNote),
		capacity: input.capacity,
		signups: {},
		sequence: new Counter(0),
		author: imm(actor.memberId),
		createdAt: imm(at),
		updatedAt: imm(at),
		updatedBy: imm(actor.actedBy ?? actor.memberId),
		cancelled: null
	};
	if (actor.actedBy && actor.actedBy !== actor.memberId) event.actedBy = imm(actor.actedBy);
	if (input.service) event.service = imm(input.service);
	if (input.public) event.public = true;
	return event;
}

/** A new event in the agenda document `handle` (see `agendaPeriodOf`); returns its id. */
export function createEvent(
	handle: AgendaHandle,
	input: EventInput,
	actor: Actor,
	now = new Date(),
	options: { id?: string; uid?: string } = {}
): string {
	const at = now.toISOString();
	const id = options.id ?? randomId();
	handle.change((doc) => {
		const event = newEventDoc(input, actor, at, id);
		if (options.uid) event.uid = imm(options.uid);
		doc.events[id] = event;
	});
	return id;
}

function withEvent(handle: AgendaHandle, eventId: string, actor: Actor, now: Date, change: (event: EventDoc) => boolean | void): boolean {
	let changed = false;
	handle.change((doc) => {
		const event = doc.events[eventId];
		if (!event) return;
		if (change(event) === false) return;
		changed = true;
		event.updatedAt = imm(now.toISOString());
		event.updatedBy = imm(actor.actedBy ?? actor.memberId);
		if (event.sequence instanceof Counter) event.sequence.increment(1);
		else event.sequence = new Counter(Number(event.sequence ?? 0) + 1);
	});
	return changed;
}

/** Saves the form; returns the fields that changed. An unchanged form records nothing. */
export function editEvent(handle: AgendaHandle, eventId: string, input: EventInput, actor: Actor, now = new Date()): string[] {
	const changed: string[] = [];
	const { start, end, rrule } = scheduleOf(input);
	withEvent(handle, eventId, actor, now, (event) => {
		const simple = {
			title: input.title,
			start,
			end,
			rrule,
			organiser: input.organiser,
			contact: input.contact,
			category: input.category,
			cost: input.cost,
			accessibilityNote: input.accessibilityNote
		} as const;
		for (const [field, value] of Object.entries(simple) as [keyof typeof simple, string][]) {
			if (String(event[field]) !== value) {
				event[field] = imm(value);
				changed.push(field);
			}
		}
		if (event.allDay !== input.allDay) {
			event.allDay = input.allDay;
			changed.push('allDay');
		}
		if (event.capacity !== input.capacity) {
			event.capacity = input.capacity;
			changed.push('capacity');
		}
		const place = location(input);
		if (String(event.location.name) !== String(place.name) || event.location.lat !== place.lat || event.location.lon !== place.lon) {
			event.location = place;
			changed.push('location');
		}
		const flags = Object.keys(event.accessibility ?? {}).sort().join();
		if (flags !== [...input.accessibility].sort().join()) {
			for (const key of Object.keys(event.accessibility)) if (!input.accessibility.includes(key as never)) delete event.accessibility[key];
			for (const key of input.accessibility) event.accessibility[key] = true;
			changed.push('accessibility');
		}
		if (event.description !== input.description) {
			updateText(event, ['description'], input.description);
			changed.push('description');
		}
		if (input.service !== undefined && String(event.service ?? '') !== input.service) {
			if (input.service) event.service = imm(input.service);
			else delete event.service;
			changed.push('service');
		}
		if (input.public !== undefined && (event.public === true) !== input.public) {
			event.public = input.public;
			changed.push('public');
		}
		return changed.length > 0;
	});
	return changed;
}

/**
 * The description as someone types it: merged per character with what others type at the same
 * time, which is why the editor writes every keystroke instead of saving the whole text at the end.
 */
export function typeDescription(handle: AgendaHandle, eventId: string, text: string, actor: Actor, now = new Date()): void {
	// Typed live, without the form's check: cleaned here so it always fits what every device reads.
	const clean = clip(cleanLines(text), 10_000);
	withEvent(handle, eventId, actor, now, (event) => {
		if (event.description === clean) return false;
		updateText(event, ['description'], clean);
	});
}

/** Skips one occurrence of a series (EXDATE), with a reason such as "Koningsdag". */
export function skipOccurrence(handle: AgendaHandle, eventId: string, rid: string, reason: string, actor: Actor, now = new Date()): boolean {
	if (!isWall(rid)) return false;
	return withEvent(handle, eventId, actor, now, (event) => {
		const skip: EventDoc['skipped'][string] = { by: imm(actor.memberId), at: imm(now.toISOString()), reason: imm(clip(cleanLines(reason).trim(), 300)) };
		if (actor.actedBy && actor.actedBy !== actor.memberId) skip!.actedBy = imm(actor.actedBy);
		event.skipped[rid] = skip;
	});
}

/** Undoes a skip: the occurrence happens after all. */
export function restoreOccurrence(handle: AgendaHandle, eventId: string, rid: string, actor: Actor, now = new Date()): boolean {
	return withEvent(handle, eventId, actor, now, (event) => {
		if (!event.skipped[rid]) return false;
		event.skipped[rid] = null;
	});
}

export interface OccurrenceChange {
	start?: string;
	end?: string;
	location?: string;
	note?: string;
}

/** Changes one occurrence (another room this week); the rest of the series stays as it is. */
export function changeOccurrence(handle: AgendaHandle, eventId: string, rid: string, change: OccurrenceChange, actor: Actor, now = new Date()): boolean {
	if (!isWall(rid) || (change.start && !isWall(change.start)) || (change.end && !isWall(change.end))) return false;
	return withEvent(handle, eventId, actor, now, (event) => {
		const override: OverrideDoc = { by: imm(actor.actedBy ?? actor.memberId), at: imm(now.toISOString()) };
		if (change.start && change.start !== rid) override.start = imm(change.start);
		if (change.end) override.end = imm(change.end);
		if (change.location?.trim()) override.location = imm(clip(cleanLine(change.location).trim(), 120));
		if (change.note?.trim()) override.note = imm(clip(cleanLines(change.note).trim(), 300));
		event.overrides[rid] = override;
	});
}

/**
 * "Change the whole series from this date on": the series ends the day before, and a new one
 * (which `follows` it) starts at the first occurrence from `fromDay` with the new details. People
 * signed up for the whole series stay signed up; sign-ups for later single occurrences move along
 * when that occurrence still exists. Returns the new event's id, or undefined if nothing is left.
 */
export function changeSeriesFrom(
	handle: AgendaHandle,
	event: AgendaEvent,
	fromDay: string,
	input: EventInput,
	actor: Actor,
	now = new Date()
): string | undefined {
	const next = scheduleOf(input);
	const firstNew = nextStart({ start: next.start, rrule: withUntil(next) }, `${fromDay}T00:00`);
	if (!event.rrule || !firstNew || !nextStart(event, `${fromDay}T00:00`)) return undefined;
	const newId = randomId();
	const at = now.toISOString();
	const minutes = minutesBetween(next.start, next.end);
	handle.change((doc) => {
		const old = doc.events[event.id];
		if (!old) return;
		const moved: EventInput = { ...input, day: dayOf(firstNew) };
		const created = newEventDoc(moved, actor, at, newId);
		created.start = imm(firstNew);
		created.end = imm(addMinutes(firstNew, minutes));
		created.rrule = imm(withUntil(next));
		created.follows = imm(event.id);
		for (const signup of event.signups) {
			if (signup.cancelledAt || (signup.occurrence !== '' && signup.occurrence < firstNew)) continue;
			const copy: SignupDoc = { id: imm(randomId()), member: imm(signup.member), occurrence: imm(signup.occurrence), at: imm(signup.at) };
			if (signup.actedBy) copy.actedBy = imm(signup.actedBy);
			created.signups[String(copy.id)] = copy;
		}
		doc.events[newId] = created;
		old.rrule = imm(endBefore(String(old.rrule), fromDay));
		old.updatedAt = imm(at);
		old.updatedBy = imm(actor.actedBy ?? actor.memberId);
		if (old.sequence instanceof Counter) old.sequence.increment(1);
	});
	return newId;
}

/** Signs a member up for the event or one occurrence; a second sign-up of the same person does nothing. */
export function signUp(handle: AgendaHandle, eventId: string, rid: string, actor: Actor, now = new Date()): string | undefined {
	if (rid !== '' && !isWall(rid)) return undefined;
	const id = randomId();
	let added = false;
	handle.change((doc) => {
		const event = doc.events[eventId];
		if (!event) return;
		const already = Object.values(event.signups).some(
			(s) => String(s.member) === actor.memberId && !s.cancelledAt && (String(s.occurrence) === rid || String(s.occurrence) === '')
		);
		if (already) return;
		const signup: SignupDoc = { id: imm(id), member: imm(actor.memberId), occurrence: imm(rid), at: imm(now.toISOString()) };
		if (actor.actedBy && actor.actedBy !== actor.memberId) signup.actedBy = imm(actor.actedBy);
		event.signups[id] = signup;
		added = true;
	});
	return added ? id : undefined;
}

/** Cancels a sign-up; the first person on the waiting list moves up by itself. */
export function cancelSignup(handle: AgendaHandle, eventId: string, signupId: string, actor: Actor, now = new Date()): boolean {
	let done = false;
	handle.change((doc) => {
		const signup = doc.events[eventId]?.signups[signupId];
		if (!signup || signup.cancelledAt) return;
		signup.cancelledAt = imm(now.toISOString());
		signup.cancelledBy = imm(actor.actedBy ?? actor.memberId);
		done = true;
	});
	return done;
}

/**
 * Undoes a cancelled sign-up: it takes back its place in the order it was first made, so whoever
 * moved up from the waiting list meanwhile moves back. Meant for "Ongedaan maken" right after.
 */
export function restoreSignup(handle: AgendaHandle, eventId: string, signupId: string): boolean {
	let done = false;
	handle.change((doc) => {
		const signup = doc.events[eventId]?.signups[signupId];
		if (!signup?.cancelledAt) return;
		delete signup.cancelledAt;
		delete signup.cancelledBy;
		done = true;
	});
	return done;
}

/**
 * "Deze keer niet": someone signed up for every time skips one date; their place that day goes
 * to the next person. `comeBack` undoes it (they may then be on the waiting list for that date).
 */
export function stayAway(handle: AgendaHandle, eventId: string, signupId: string, rid: string, now = new Date()): boolean {
	if (!isWall(rid)) return false;
	let done = false;
	handle.change((doc) => {
		const signup = doc.events[eventId]?.signups[signupId];
		if (!signup || signup.cancelledAt || String(signup.occurrence) !== '') return;
		signup.away ??= {};
		if (signup.away[rid]) return;
		signup.away[rid] = imm(now.toISOString());
		done = true;
	});
	return done;
}

export function comeBack(handle: AgendaHandle, eventId: string, signupId: string, rid: string): boolean {
	let done = false;
	handle.change((doc) => {
		const away = doc.events[eventId]?.signups[signupId]?.away;
		if (!away?.[rid]) return;
		delete away[rid];
		done = true;
	});
	return done;
}

/** "Gaat niet door": the event stays listed, struck through, with the reason. */
export function cancelEvent(handle: AgendaHandle, eventId: string, reason: string, actor: Actor, now = new Date()): boolean {
	return withEvent(handle, eventId, actor, now, (event) => {
		event.cancelled = { by: imm(actor.actedBy ?? actor.memberId), at: imm(now.toISOString()), reason: imm(clip(cleanLines(reason).trim(), 300)) };
	});
}

export function restoreEvent(handle: AgendaHandle, eventId: string, actor: Actor, now = new Date()): boolean {
	return withEvent(handle, eventId, actor, now, (event) => {
		if (!event.cancelled) return false;
		event.cancelled = null;
	});
}

/** Links the event to a service on the social map, or unlinks it. */
export function linkService(handle: AgendaHandle, eventId: string, serviceId: string | undefined, actor: Actor, now = new Date()): boolean {
	return withEvent(handle, eventId, actor, now, (event) => {
		if (serviceId) event.service = imm(serviceId);
		else delete event.service;
	});
}
