// The agenda as iCalendar (RFC 5545), for downloads and for the relay's subscription feed:
// series as RRULE with EXDATE, changed occurrences as RECURRENCE-ID events, times in
// Europe/Amsterdam with its VTIMEZONE, stable UIDs and SEQUENCE raised on every change.
import { ACCESSIBILITY, type Accessibility } from './document.ts';
import { parseRule } from './recurrence.ts';
import { addDays, addMinutes, dayOf, instantOf, minutesBetween } from './time.ts';
import type { AgendaEvent } from './view.ts';
import { cleanLines } from '../validation/plain-text.ts';

export const PRODID = '-//Noaber//Agenda//NL';

const VTIMEZONE = [
	'BEGIN:VTIMEZONE',
	'TZID:Europe/Amsterdam',
	'X-LIC-LOCATION:Europe/Amsterdam',
	'BEGIN:DAYLIGHT',
	'TZOFFSETFROM:+0100',
	'TZOFFSETTO:+0200',
	'TZNAME:CEST',
	'DTSTART:19700329T020000',
	'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
	'END:DAYLIGHT',
	'BEGIN:STANDARD',
	'TZOFFSETFROM:+0200',
	'TZOFFSETTO:+0100',
	'TZNAME:CET',
	'DTSTART:19701025T030000',
	'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
	'END:STANDARD',
	'END:VTIMEZONE'
];

/**
 * TEXT values escape backslash, semicolon, comma and line breaks of every kind (a bare CR ends a
 * line for some calendar apps), and lose control characters, which RFC 5545 does not allow in TEXT.
 * The schemas already refuse them from peers; this keeps any text that reaches the writer harmless.
 * (ical.js's own writer escapes only LF and folds continuation lines to 76 octets, so the feed
 * keeps this writer.)
 */
export const escapeText = (value: string): string =>
	cleanLines(value).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');

/** Lines longer than 75 octets continue on the next line after a space, never inside a character. */
export function fold(line: string): string {
	const encoder = new TextEncoder();
	if (encoder.encode(line).length <= 75) return line;
	const parts: string[] = [];
	let current = '';
	let size = 0;
	for (const char of line) {
		const bytes = encoder.encode(char).length;
		const limit = parts.length === 0 ? 75 : 74;
		if (size + bytes > limit) {
			parts.push(current);
			current = '';
			size = 0;
		}
		current += char;
		size += bytes;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

const compact = (wall: string) => `${wall.slice(0, 4)}${wall.slice(5, 7)}${wall.slice(8, 10)}T${wall.slice(11, 13)}${wall.slice(14, 16)}00`;
const utc = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const dateValue = (day: string) => day.replace(/-/g, '');

/** A FLOAT as RFC 5545 writes it: 1e-7 from a peer is not one, 0.000000 is. */
const float = (n: number): string => (/e/i.test(String(n)) ? n.toFixed(6) : String(n));

export const uidOf = (event: Pick<AgendaEvent, 'id' | 'uid'>): string => event.uid ?? `${event.id}@noaber`;

/** The stored rule for a calendar: UNTIL as UTC, as RFC 5545 wants with a zoned DTSTART. */
function calendarRule(event: AgendaEvent): string {
	const options = parseRule(event.rrule);
	if (!options?.until) return event.rrule;
	const until = options.until.toISOString().slice(0, 16);
	const value = event.allDay ? dateValue(dayOf(until)) : utc(instantOf(until, event.zone));
	return event.rrule
		.split(';')
		.map((part) => (/^UNTIL=/i.test(part) ? `UNTIL=${value}` : part))
		.join(';');
}

function describe(event: AgendaEvent, labels: Labels): string {
	const lines = [event.description];
	if (event.organiser) lines.push(`${labels.organiser}: ${event.organiser}`);
	if (event.contact) lines.push(`${labels.contact}: ${event.contact}`);
	lines.push(`${labels.cost}: ${event.cost || labels.free}`);
	const access = [event.accessibility.map((a) => labels.access[a]).join(', '), event.accessibilityNote].filter(Boolean).join('. ');
	if (access) lines.push(`${labels.accessibility}: ${access}`);
	if (event.capacity > 0) lines.push(labels.capacity.replace('{count}', String(event.capacity)));
	if (event.cancelled) lines.push(`${labels.cancelled}: ${event.cancelled.reason}`.trim());
	return lines.filter(Boolean).join('\n');
}

export interface DescriptionParts {
	description: string;
	organiser: string;
	contact: string;
	cost: string;
	accessibility: Accessibility[];
	accessibilityNote: string;
	capacity: number;
	cancelled?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The inverse of `describe`, so a file exported here and imported into another neighbourhood
 * keeps organiser, cost and the rest in their own fields. Only labelled lines at the end count,
 * in the order `describe` writes them; anything else stays part of the description.
 */
export function readDescription(text: string, labels: Labels = DUTCH): DescriptionParts {
	const parts: DescriptionParts = { description: '', organiser: '', contact: '', cost: '', accessibility: [], accessibilityNote: '', capacity: 0 };
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const labelled = (label: string) => new RegExp(`^${escapeRegExp(label)}:(?: (.*))?$`);
	const capacity = new RegExp(`^${escapeRegExp(labels.capacity).replace('\\{count\\}', '(\\d{1,5})')}$`);
	const readers: [RegExp, (value: string) => void][] = [
		[labelled(labels.cancelled), (value) => (parts.cancelled = value)],
		[capacity, (value) => (parts.capacity = Number(value))],
		[labelled(labels.accessibility), (value) => Object.assign(parts, readAccess(value, labels))],
		[labelled(labels.cost), (value) => (parts.cost = value.toLowerCase() === labels.free.toLowerCase() ? '' : value)],
		[labelled(labels.contact), (value) => (parts.contact = value)],
		[labelled(labels.organiser), (value) => (parts.organiser = value)]
	];
	for (const [pattern, read] of readers) {
		const match = lines.length > 0 ? pattern.exec(lines[lines.length - 1].trim()) : null;
		if (!match) continue;
		read((match[1] ?? '').trim());
		lines.pop();
	}
	parts.description = lines.join('\n').trim();
	return parts;
}

/** 'Toegankelijk met rolstoel, Ringleiding. Drempel bij de achterdeur' → two flags and a note. */
function readAccess(value: string, labels: Labels): Pick<DescriptionParts, 'accessibility' | 'accessibilityNote'> {
	const flags: Accessibility[] = [];
	let rest = value;
	for (;;) {
		const flag = ACCESSIBILITY.find((a) => {
			const label = labels.access[a];
			return rest.startsWith(label) && [', ', '. ', ''].includes(rest.slice(label.length, label.length + 2));
		});
		if (!flag || flags.includes(flag)) break;
		flags.push(flag);
		const after = rest.slice(labels.access[flag].length);
		rest = after.slice(2);
		if (!after.startsWith(', ')) break;
	}
	return { accessibility: ACCESSIBILITY.filter((a) => flags.includes(a)), accessibilityNote: rest.trim() };
}

function times(event: AgendaEvent, start: string, end: string, name: 'DTSTART' | 'DTEND'): string | undefined {
	const value = name === 'DTSTART' ? start : end;
	if (event.allDay) return `${name};VALUE=DATE:${dateValue(name === 'DTEND' ? dayOf(addDays(end, 1)) : dayOf(value))}`;
	if (name === 'DTEND' && end <= start) return undefined;
	return `${name};TZID=${event.zone}:${compact(value)}`;
}

export interface Labels {
	organiser: string;
	contact: string;
	cost: string;
	free: string;
	accessibility: string;
	access: Record<Accessibility, string>;
	capacity: string;
	cancelled: string;
}

/** Dutch labels in the description; the feed has no language setting of its own. */
export const DUTCH: Labels = {
	organiser: 'Organisatie',
	contact: 'Contact',
	cost: 'Kosten',
	free: 'gratis',
	accessibility: 'Toegankelijkheid',
	access: {
		wheelchair: 'toegankelijk met rolstoel',
		hearingLoop: 'ringleiding',
		toilet: 'aangepast toilet',
		parking: 'parkeren dichtbij',
		seating: 'genoeg zitplaatsen'
	},
	capacity: 'Aanmelden nodig: {count} plaatsen',
	cancelled: 'Gaat niet door'
};

function vevents(event: AgendaEvent, stamp: string, labels: Labels): string[] {
	const common = (sequence: number) => [
		`UID:${escapeText(uidOf(event))}`,
		`DTSTAMP:${stamp}`,
		`SEQUENCE:${sequence}`,
		`SUMMARY:${escapeText(event.title)}`
	];
	const main = [
		'BEGIN:VEVENT',
		...common(event.sequence),
		`CREATED:${utc(new Date(event.createdAt))}`,
		...(event.updatedAt ? [`LAST-MODIFIED:${utc(new Date(event.updatedAt))}`] : []),
		times(event, event.start, event.end, 'DTSTART')!,
		...[times(event, event.start, event.end, 'DTEND')].filter((l): l is string => Boolean(l)),
		...(event.rrule ? [`RRULE:${calendarRule(event)}`] : []),
		...Object.keys(event.skipped)
			.sort()
			.map((rid) => (event.allDay ? `EXDATE;VALUE=DATE:${dateValue(dayOf(rid))}` : `EXDATE;TZID=${event.zone}:${compact(rid)}`)),
		`DESCRIPTION:${escapeText(describe(event, labels))}`,
		...(event.location.name ? [`LOCATION:${escapeText(event.location.name)}`] : []),
		...(event.location.lat !== undefined && event.location.lon !== undefined ? [`GEO:${float(event.location.lat)};${float(event.location.lon)}`] : []),
		`CATEGORIES:${escapeText(event.category)}`,
		`STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
		'END:VEVENT'
	];
	const overrides = Object.entries(event.overrides)
		.filter(([rid]) => event.rrule && !event.skipped[rid])
		.sort(([a], [b]) => a.localeCompare(b))
		.flatMap(([rid, o]) => {
			const start = o.start ?? rid;
			const end = o.end ?? addMinutes(start, minutesBetween(event.start, event.end));
			const note = [o.note, describe(event, labels)].filter(Boolean).join('\n\n');
			return [
				'BEGIN:VEVENT',
				...common(event.sequence),
				event.allDay ? `RECURRENCE-ID;VALUE=DATE:${dateValue(dayOf(rid))}` : `RECURRENCE-ID;TZID=${event.zone}:${compact(rid)}`,
				times(event, start, end, 'DTSTART')!,
				...[times(event, start, end, 'DTEND')].filter((l): l is string => Boolean(l)),
				`DESCRIPTION:${escapeText(note)}`,
				...((o.location ?? event.location.name) ? [`LOCATION:${escapeText(o.location ?? event.location.name)}`] : []),
				`STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
				'END:VEVENT'
			];
		});
	return [...main, ...overrides];
}

export interface CalendarOptions {
	name: string;
	now?: Date;
	labels?: Labels;
}

/** A whole agenda (or a selection) as one VCALENDAR. */
export function toICalendar(events: AgendaEvent[], options: CalendarOptions): string {
	const stamp = utc(options.now ?? new Date());
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${PRODID}`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(options.name)}`,
		'X-WR-TIMEZONE:Europe/Amsterdam',
		...VTIMEZONE,
		...events.flatMap((event) => vevents(event, stamp, options.labels ?? DUTCH)),
		'END:VCALENDAR'
	];
	return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** One event (a series with its changed occurrences), for "put it in my calendar". */
export const eventToICalendar = (event: AgendaEvent, options: CalendarOptions): string => toICalendar([event], options);
