// Importing an iCalendar file (from Google, Outlook, another neighbourhood's Noaber) into the
// agenda. Reading makes a plan first, so the app can show what will be added and what not before
// anything is written; every time becomes a wall-clock time in Amsterdam, as the agenda keeps it.
import ICAL from 'ical.js';
import { AGENDA_CATEGORIES, ZONE } from './document.ts';
import { readDescription, uidOf } from './ics.ts';
import { isUid } from '../validation/plain-text.ts';
import {
	blankEvent,
	cancelEvent,
	changeOccurrence,
	checkEvent,
	createEvent,
	skipOccurrence,
	type Actor,
	type AgendaHandle,
	type EventInput,
	type OccurrenceChange
} from './mutations.ts';
import { agendaPeriodOf } from './periods.ts';
import { choiceFromRule, isOccurrence, parseRule } from './recurrence.ts';
import { scheduleOf } from './schema.ts';
import { addDays, addMinutes, dayOf, instantOf, isWall, minutesBetween, timeOf, wallAt, type Wall } from './time.ts';
import type { AgendaEvent } from './view.ts';

/** Why an item was not imported; the app words these in Dutch. */
export type RefuseReason =
	/** The text is not an iCalendar file at all. */
	| 'not_calendar'
	/** The event has no (readable) start. */
	| 'no_start'
	/** The event has no title. */
	| 'no_title'
	/** A repetition the agenda cannot show (every hour, extra dates, …). */
	| 'rule'
	/** Beyond the 2,000 events one file may add. */
	| 'too_long'
	/** Already in the agenda, or twice in the file. */
	| 'duplicate'
	/** Read, but does not fit the agenda's form (an end before its start, say). */
	| 'invalid'
	/** When adding: the document of its year could not be opened on this device (a relay lost it, say). */
	| 'unavailable';

export interface ImportedEvent {
	uid: string;
	input: EventInput;
	/** Original starts (wall-clock, Amsterdam) of occurrences that do not take place. */
	skipped: string[];
	/** Changed occurrences by original start (RECURRENCE-ID). */
	overrides: Record<string, OccurrenceChange>;
	/** The reason, when the event is marked as not going ahead. */
	cancelled?: string;
}

export interface RefusedItem {
	title: string;
	/** The start as read (wall-clock, Amsterdam), to tell apart refused items without a title. */
	start?: string;
	reason: RefuseReason;
}

export interface ImportPlan {
	add: ImportedEvent[];
	refused: RefusedItem[];
}

export const MAX_IMPORT_EVENTS = 2000;

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;
type Time = InstanceType<typeof ICAL.Time>;

const zoneSupport = new Map<string, boolean>();

function isZone(tzid: string): boolean {
	let known = zoneSupport.get(tzid);
	if (known === undefined) {
		try {
			new Intl.DateTimeFormat('en-US', { timeZone: tzid });
			known = true;
		} catch {
			known = false;
		}
		zoneSupport.set(tzid, known);
	}
	return known;
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');

/**
 * A date or date-time as an Amsterdam wall time. IANA zone names go through Intl, which knows
 * their history; other names (Outlook's 'W. Europe Standard Time') through the file's own
 * VTIMEZONE; floating times and unknown zones are taken as Amsterdam time.
 */
function wallOfTime(time: Time, tzid: string | undefined): Wall | undefined {
	const wall = `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}T${time.isDate ? '00:00' : `${pad(time.hour)}:${pad(time.minute)}`}`;
	if (!isWall(wall)) return undefined;
	if (time.isDate) return wall;
	if (time.zone?.tzid === 'UTC') return wallAt(new Date(time.toUnixTime() * 1000), ZONE);
	if (!tzid || tzid === ZONE) return wall;
	const iana = [tzid, tzid.split('/').slice(-2).join('/')].find(isZone);
	if (iana) return wallAt(instantOf(wall, iana), ZONE);
	if (time.zone && time.zone.tzid === tzid) return wallAt(new Date(time.toUnixTime() * 1000), ZONE);
	return wall;
}

function wallsOf(property: Property | null): { wall: Wall; allDay: boolean }[] {
	if (!property) return [];
	const tzid = property.getParameter('tzid');
	const out: { wall: Wall; allDay: boolean }[] = [];
	for (const value of property.getValues()) {
		if (!(value instanceof ICAL.Time)) continue;
		const wall = wallOfTime(value, typeof tzid === 'string' ? tzid : undefined);
		if (wall) out.push({ wall, allDay: value.isDate });
	}
	return out;
}

const firstWall = (component: Component, name: string) => wallsOf(component.getFirstProperty(name))[0];

const text = (component: Component, name: string): string => {
	const value = component.getFirstPropertyValue(name);
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
};

/** Long text is shortened to what the form allows, rather than refusing an otherwise good event. */
const fit = (value: string, max: number): string => {
	const trimmed = value.trim();
	return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1).trimEnd()}…`;
};

const compactWall = (wall: Wall) => `${wall.replace(/-/g, '').replace(':', '')}00`;

/**
 * The RRULE as the agenda stores it: no DTSTART, UNTIL as Amsterdam wall-clock time, and parts
 * in the order the form writes them, so a simple weekly rule still opens as "weekly" in the form.
 */
function storedRule(component: Component, allDay: boolean, tzid: string | undefined): string | undefined {
	const rules = component.getAllProperties('rrule');
	if (rules.length !== 1 || component.hasProperty('rdate') || component.hasProperty('exrule')) return undefined;
	const recur = rules[0].getFirstValue();
	if (!(recur instanceof ICAL.Recur) || !recur.freq) return undefined;
	const parts = [`FREQ=${recur.freq}`];
	if (recur.interval > 1) parts.push(`INTERVAL=${recur.interval}`);
	const order = ['BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYSETPOS'];
	const byParts: Record<string, unknown> = recur.parts;
	const names = Object.keys(byParts).sort((a, b) => order.indexOf(a) - order.indexOf(b));
	const byDay = names.indexOf('BYDAY');
	// The form writes BYDAY or BYMONTHDAY first and nothing else; keep that order when it applies.
	if (byDay > 0) names.unshift(...names.splice(byDay, 1));
	for (const name of names) parts.push(`${name}=${[byParts[name]].flat().join(',')}`);
	if (recur.until) {
		const until = recur.until.isDate ? `${wallOfTime(recur.until, undefined)?.slice(0, 10)}T23:59` : wallOfTime(recur.until, tzid);
		if (!until || !isWall(until)) return undefined;
		parts.push(`UNTIL=${compactWall(allDay ? `${dayOf(until)}T23:59` : until)}`);
	}
	if (recur.count) parts.push(`COUNT=${recur.count}`);
	if (recur.wkst && recur.wkst !== ICAL.Time.MONDAY) parts.push(`WKST=${ICAL.Recur.numericDayToIcalDay(recur.wkst)}`);
	const rule = parts.join(';');
	return parseRule(rule) ? rule : undefined;
}

/** Start and end as the form has them; the end of an all-day event in iCalendar is the day after. */
function when(component: Component, start: { wall: Wall; allDay: boolean }): { end: Wall } {
	const end = firstWall(component, 'dtend');
	const duration = component.getFirstPropertyValue('duration');
	if (start.allDay) {
		const after = end?.wall ?? (duration instanceof ICAL.Duration ? addMinutes(start.wall, Math.round(duration.toSeconds() / 60)) : addDays(start.wall, 1));
		const last = addDays(`${dayOf(after)}T00:00`, -1);
		return { end: last > start.wall ? last : start.wall };
	}
	if (end) return { end: end.wall > start.wall ? end.wall : start.wall };
	if (duration instanceof ICAL.Duration) return { end: addMinutes(start.wall, Math.max(0, Math.round(duration.toSeconds() / 60))) };
	return { end: start.wall };
}

function categoryOf(component: Component): EventInput['category'] {
	const names = component.getAllProperties('categories').flatMap((p) => p.getValues()).map((v) => String(v).trim().toLowerCase());
	return AGENDA_CATEGORIES.find((c) => names.includes(c)) ?? 'overig';
}

function geoOf(component: Component): { lat: number; lon: number } | undefined {
	const value = component.getFirstPropertyValue('geo');
	if (!Array.isArray(value)) return undefined;
	const [lat, lon] = value.map(Number);
	return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : undefined;
}

/** A stable UID for the rare event without one, so importing the same file twice still finds it. */
function derivedUid(component: Component): string {
	const key = `${text(component, 'summary')}|${component.getFirstProperty('dtstart')?.toICALString() ?? ''}`;
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
	return `import-${hash.toString(16)}@noaber`;
}

function inputOf(component: Component, start: { wall: Wall; allDay: boolean }, rule: string): EventInput {
	const { end } = when(component, start);
	const parts = readDescription(text(component, 'description'));
	const endDay = dayOf(end) === dayOf(start.wall) ? '' : dayOf(end);
	const input: EventInput = {
		...blankEvent(dayOf(start.wall)),
		title: fit(text(component, 'summary').replace(/\s+/g, ' '), 100),
		description: fit(parts.description, 3000),
		category: categoryOf(component),
		allDay: start.allDay,
		startTime: start.allDay ? '' : timeOf(start.wall),
		endTime: start.allDay || end === start.wall ? '' : timeOf(end),
		endDay,
		location: fit(text(component, 'location').replace(/\s+/g, ' '), 120),
		organiser: fit(parts.organiser, 100),
		contact: fit(parts.contact, 100),
		cost: fit(parts.cost, 60),
		accessibility: parts.accessibility,
		accessibilityNote: fit(parts.accessibilityNote, 300),
		capacity: Math.min(parts.capacity, 10000),
		repeat: rule ? choiceFromRule(rule, start.wall) : blankEvent().repeat
	};
	const geo = geoOf(component);
	if (geo) Object.assign(input, geo);
	return input;
}

/** What a RECURRENCE-ID event changes about its occurrence, in terms the agenda keeps. */
function changeOf(instance: Component, master: Component, rid: Wall, masterInput: EventInput): OccurrenceChange | 'skip' | undefined {
	if (String(instance.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return 'skip';
	const start = firstWall(instance, 'dtstart') ?? { wall: rid, allDay: masterInput.allDay };
	const schedule = scheduleOf(masterInput);
	const duration = minutesBetween(schedule.start, schedule.end);
	const change: OccurrenceChange = {};
	if (start.wall !== rid) change.start = start.wall;
	const { end } = when(instance, start);
	if (instance.hasProperty('dtend') || instance.hasProperty('duration')) {
		if (end !== addMinutes(start.wall, duration)) change.end = end;
	}
	const location = text(instance, 'location').trim();
	if (location && location !== text(master, 'location').trim()) change.location = location;
	const own = text(instance, 'description').trim();
	const shared = text(master, 'description').trim();
	// Noaber writes an occurrence's note above the series' description; other apps copy or replace it.
	const note = shared && own.endsWith(shared) ? own.slice(0, own.length - shared.length).trim() : own === shared ? '' : own;
	if (note) change.note = fit(note, 300);
	return Object.keys(change).length ? change : undefined;
}

const notCalendar = (): ImportPlan => ({ add: [], refused: [{ title: '', reason: 'not_calendar' }] });

function calendarOf(file: string): Component | undefined {
	if (!/BEGIN:VCALENDAR/i.test(file)) return undefined;
	try {
		const parsed: unknown = ICAL.parse(file);
		const roots = Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed];
		const root = roots.find((r): r is unknown[] => Array.isArray(r) && r[0] === 'vcalendar');
		return root ? new ICAL.Component(root) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Reads an iCalendar file into a plan: the events to add, and what is refused and why. Nothing
 * is written; `applyImport` does that once someone has seen the plan.
 */
export function parseICalendar(file: string, existing: AgendaEvent[]): ImportPlan {
	const calendar = calendarOf(file);
	if (!calendar) return notCalendar();
	const known = new Set(existing.map(uidOf));
	const vevents = calendar.getAllSubcomponents('vevent');
	const byUid = new Map<string, { master?: Component; instances: Component[] }>();
	for (const vevent of vevents) {
		const raw = vevent.getFirstPropertyValue('uid');
		const uid = typeof raw === 'string' && raw.trim() ? raw.trim() : derivedUid(vevent);
		const group = byUid.get(uid) ?? { instances: [] };
		if (vevent.hasProperty('recurrence-id')) group.instances.push(vevent);
		else if (group.master) {
			// A second event with the same UID and no RECURRENCE-ID: only the first one counts.
			byUid.set(`${uid}\u0000${byUid.size}`, { master: vevent, instances: [] });
			continue;
		} else group.master = vevent;
		byUid.set(uid, group);
	}

	const plan: ImportPlan = { add: [], refused: [] };
	let count = 0;
	for (const [key, group] of byUid) {
		const uid = key.split('\u0000')[0];
		const duplicateInFile = key !== uid;
		// An occurrence sent without its series (an invitation for one date) becomes a one-off event.
		const master = group.master ?? group.instances[0];
		const instances = group.master ? group.instances : [];
		const title = fit(text(master, 'summary').replace(/\s+/g, ' '), 100);
		const start = firstWall(master, 'dtstart');
		const refuse = (reason: RefuseReason) => plan.refused.push(start ? { title, start: start.wall, reason } : { title, reason });
		count += 1;
		if (count > MAX_IMPORT_EVENTS) refuse('too_long');
		else if (duplicateInFile || known.has(uid)) refuse('duplicate');
		else if (!start) refuse(master.hasProperty('dtstart') ? 'invalid' : 'no_start');
		else if (!title) refuse('no_title');
		else if (!isUid(uid)) refuse('invalid');
		else {
			const tzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
			const repeats = group.master !== undefined && (master.hasProperty('rrule') || master.hasProperty('rdate') || master.hasProperty('exrule'));
			const rule = repeats ? storedRule(master, start.allDay, typeof tzid === 'string' ? tzid : undefined) : '';
			if (rule === undefined) {
				refuse('rule');
				continue;
			}
			const checked = checkEvent(inputOf(master, start, rule));
			if (!checked.ok) {
				refuse('invalid');
				continue;
			}
			const input = checked.value;
			const schedule = { start: scheduleOf(input).start, rrule: rule };
			const occurs = (rid: Wall) => rule !== '' && isOccurrence(schedule, rid);
			const skipped = new Set<string>();
			for (const property of rule ? master.getAllProperties('exdate') : []) {
				for (const { wall } of wallsOf(property)) if (occurs(wall)) skipped.add(wall);
			}
			const overrides: Record<string, OccurrenceChange> = {};
			for (const instance of instances) {
				const rid = firstWall(instance, 'recurrence-id');
				if (!rid || !occurs(rid.wall) || skipped.has(rid.wall)) continue;
				const change = changeOf(instance, master, rid.wall, input);
				if (change === 'skip') skipped.add(rid.wall);
				else if (change) overrides[rid.wall] = change;
			}
			const item: ImportedEvent = { uid, input, skipped: [...skipped].sort(), overrides };
			const description = readDescription(text(master, 'description'));
			const status = String(master.getFirstPropertyValue('status') ?? '').toUpperCase();
			if (status === 'CANCELLED') item.cancelled = description.cancelled ?? '';
			plan.add.push(item);
		}
	}
	return plan;
}

/**
 * Writes a plan: each event into the document it belongs in (its year, or the series document),
 * then its skipped and changed occurrences. Returns what was added, for the confirmation, and what
 * was not because its document could not be opened: the rest is added all the same, and reading
 * the file again later adds only what is still missing.
 */
export async function applyImport(
	plan: ImportPlan,
	handleFor: (period: string) => Promise<AgendaHandle>,
	actor: Actor,
	now = new Date()
): Promise<{ added: { id: string; title: string }[]; notAdded: RefusedItem[] }> {
	const added: { id: string; title: string }[] = [];
	const notAdded: RefusedItem[] = [];
	const unavailable = new Set<string>();
	for (const item of plan.add) {
		const schedule = scheduleOf(item.input);
		const period = agendaPeriodOf(schedule);
		const handle = unavailable.has(period) ? undefined : await handleFor(period).catch(() => undefined);
		if (!handle) {
			unavailable.add(period);
			notAdded.push({ title: item.input.title, start: schedule.start, reason: 'unavailable' });
			continue;
		}
		const id = createEvent(handle, item.input, actor, now, { uid: item.uid });
		for (const rid of item.skipped) skipOccurrence(handle, id, rid, '', actor, now);
		for (const [rid, change] of Object.entries(item.overrides)) changeOccurrence(handle, id, rid, change, actor, now);
		if (item.cancelled !== undefined) cancelEvent(handle, id, item.cancelled, actor, now);
		added.push({ id, title: item.input.title });
	}
	return { added, notAdded };
}
