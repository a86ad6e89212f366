import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { AgendaDoc } from './document.ts';
import { eventToICalendar, fold, toICalendar } from './ics.ts';
import { applyImport, parseICalendar } from './ics-import.ts';
import { blankEvent, changeOccurrence, checkEvent, createEvent, editEvent, eventInput, skipOccurrence, type AgendaHandle, type EventInput } from './mutations.ts';
import { occurrencesBetween } from './recurrence.ts';
import { readEvents, type AgendaEvent } from './view.ts';
import { LocalDoc } from '../automerge/local-doc.ts';

const ANNA = { memberId: 'anna-0000-0001' };

class Device extends LocalDoc<AgendaDoc> {
	constructor(period = 'series') {
		super({ period: imm(period), events: {} });
	}
	event(id: string): AgendaEvent {
		return readEvents([{ url: 'automerge:x', doc: this.doc }]).items.find((e) => e.id === id)!;
	}
}

/** A neighbourhood's agenda: one document per period, opened on demand as the app does. */
class Agenda {
	devices = new Map<string, Device>();
	handleFor = async (period: string): Promise<AgendaHandle> => {
		if (!this.devices.has(period)) this.devices.set(period, new Device(period));
		return this.devices.get(period)!;
	};
	events(): AgendaEvent[] {
		return readEvents([...this.devices].map(([period, device]) => ({ url: `automerge:${period}`, doc: device.doc }))).items;
	}
}

function form(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({ ...blankEvent('2026-03-10'), title: 'Koffieochtend', ...changes });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

/** What a calendar app sees: the occurrences of the first series in the file, as UTC instants. */
function expand(ics: string, until: string): { start: string; location: string }[] {
	const calendar = new ICAL.Component(ICAL.parse(ics));
	const timezone = calendar.getFirstSubcomponent('vtimezone');
	if (timezone) ICAL.TimezoneService.register(new ICAL.Timezone(timezone));
	const vevents = calendar.getAllSubcomponents('vevent');
	const master = new ICAL.Event(vevents.find((v) => !v.hasProperty('recurrence-id')));
	for (const v of vevents.filter((x) => x.hasProperty('recurrence-id'))) master.relateException(new ICAL.Event(v));
	const out: { start: string; location: string }[] = [];
	const iterator = master.iterator();
	for (let next = iterator.next(); next; next = iterator.next()) {
		const details = master.getOccurrenceDetails(next);
		const start = details.startDate.toJSDate().toISOString();
		if (start > until) break;
		out.push({ start, location: String(details.item.location ?? '') });
	}
	return out;
}

describe('iCalendar export', () => {
	it('writes a calendar that ical.js reads, with zone, series, skips and a changed occurrence', () => {
		const device = new Device();
		const id = createEvent(device, form({ day: '2026-03-17', location: 'Buurthuis', repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 } }), ANNA);
		skipOccurrence(device, id, '2026-03-24T10:00', 'Voorjaarsvakantie', ANNA);
		changeOccurrence(device, id, '2026-04-07T10:00', { location: 'Kerkzaal', start: '2026-04-07T14:00', end: '2026-04-07T15:30' }, ANNA);
		const ics = toICalendar([device.event(id)], { name: 'Lindenbuurt', now: new Date('2026-03-01T12:00:00Z') });
		expect(ics).toContain('PRODID:-//Noaber//Agenda//NL');
		expect(ics).toContain('VERSION:2.0');
		expect(ics).toContain('BEGIN:VTIMEZONE');
		expect(ics).toContain('EXDATE;TZID=Europe/Amsterdam:20260324T100000');
		expect(ics).toContain('RECURRENCE-ID;TZID=Europe/Amsterdam:20260407T100000');
		expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
		// 10.00 in Amsterdam: 09.00 UTC before the clocks change on 29 March, 08.00 after.
		expect(expand(ics, '2026-04-15')).toEqual([
			{ start: '2026-03-17T09:00:00.000Z', location: 'Buurthuis' },
			{ start: '2026-03-31T08:00:00.000Z', location: 'Buurthuis' },
			{ start: '2026-04-07T12:00:00.000Z', location: 'Kerkzaal' },
			{ start: '2026-04-14T08:00:00.000Z', location: 'Buurthuis' }
		]);
	});

	it('expands a monthly "second Tuesday" series with an end date, and an all-day event', () => {
		const device = new Device();
		const id = createEvent(
			device,
			form({ day: '2026-03-10', repeat: { repeat: 'monthlyNth', interval: 1, weekdays: [], ends: 'until', until: '2026-06-30', count: 0 } }),
			ANNA
		);
		const ics = eventToICalendar(device.event(id), { name: 'Lindenbuurt' });
		expect(ics).toMatch(/RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260630T\d{6}Z/);
		expect(expand(ics, '2027-01-01').map((o) => o.start.slice(0, 10))).toEqual(['2026-03-10', '2026-04-14', '2026-05-12', '2026-06-09']);
		const day = createEvent(device, form({ day: '2026-04-27', allDay: true, title: 'Koningsdag', endDay: '' }), ANNA);
		const allDay = eventToICalendar(device.event(day), { name: 'Lindenbuurt' });
		expect(allDay).toContain('DTSTART;VALUE=DATE:20260427');
		expect(allDay).toContain('DTEND;VALUE=DATE:20260428');
		const event = new ICAL.Event(new ICAL.Component(ICAL.parse(allDay)).getFirstSubcomponent('vevent') ?? undefined);
		expect(event.startDate.isDate).toBe(true);
	});

	it('keeps UIDs stable, raises SEQUENCE on a change and escapes Dutch text', () => {
		const device = new Device();
		const text = 'Koffie, thee; en koek.\nNeem een vriend mee! Café "De Linde" — héél gezellig, met een lange regel die zeker moet worden afgebroken.';
		const id = createEvent(device, form({ description: text }), ANNA);
		const before = toICalendar([device.event(id)], { name: 'Lindenbuurt' });
		editEvent(device, id, { ...eventInput(device.event(id)), title: 'Koffieochtend, nieuw' }, ANNA);
		const after = toICalendar([device.event(id)], { name: 'Lindenbuurt' });
		const read = (ics: string) => new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent') ?? undefined);
		expect(read(after).uid).toBe(read(before).uid);
		expect(read(after).uid).toBe(`${id}@noaber`);
		expect(read(after).sequence).toBe(read(before).sequence + 1);
		expect(read(after).summary).toBe('Koffieochtend, nieuw');
		expect(read(after).description.startsWith(text)).toBe(true);
	});

	it('writes accessibility, organiser and cost readably, and marks a cancelled event', () => {
		const device = new Device();
		const id = createEvent(
			device,
			form({ organiser: 'Wijkvereniging', cost: '€ 2,50', accessibility: ['wheelchair', 'hearingLoop'], accessibilityNote: 'Ingang aan de achterkant' }),
			ANNA
		);
		device.change((d) => (d.events[id].cancelled = { by: imm(ANNA.memberId), at: imm('2026-03-01T10:00:00.000Z'), reason: imm('Zaal is dicht') }));
		const vevent = new ICAL.Component(ICAL.parse(eventToICalendar(device.event(id), { name: 'Lindenbuurt' }))).getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(String(vevent.getFirstPropertyValue('description')).split('\n')).toEqual([
			'Organisatie: Wijkvereniging',
			'Kosten: € 2,50',
			'Toegankelijkheid: toegankelijk met rolstoel, ringleiding. Ingang aan de achterkant',
			'Gaat niet door: Zaal is dicht'
		]);
	});

	it('folds long lines without splitting a character', () => {
		const line = `DESCRIPTION:${'é'.repeat(100)}`;
		const folded = fold(line);
		expect(folded.split('\r\n').every((part) => new TextEncoder().encode(part).length <= 75)).toBe(true);
		expect(folded.replace(/\r\n /g, '')).toBe(line);
	});
});

/** A file as Outlook or Google would send it: its own zone name, a UTC event, a series, an occurrence moved. */
const OTHER_APP = [
	'BEGIN:VCALENDAR',
	'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
	'VERSION:2.0',
	'METHOD:PUBLISH',
	'X-WR-CALNAME:Wijkvereniging De Linde',
	'BEGIN:VTIMEZONE',
	'TZID:W. Europe Standard Time',
	'BEGIN:STANDARD',
	'DTSTART:16011028T030000',
	'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
	'TZOFFSETFROM:+0200',
	'TZOFFSETTO:+0100',
	'END:STANDARD',
	'BEGIN:DAYLIGHT',
	'DTSTART:16010325T020000',
	'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
	'TZOFFSETFROM:+0100',
	'TZOFFSETTO:+0200',
	'END:DAYLIGHT',
	'END:VTIMEZONE',
	'BEGIN:VEVENT',
	'UID:7kq2a0c1d9e8f7@google.com',
	'DTSTAMP:20260301T120000Z',
	'DTSTART:20260415T170000Z',
	'DTEND:20260415T190000Z',
	'SUMMARY:Buurtvergadering',
	'LOCATION:Buurthuis De Linde\\, Lindelaan 4',
	'DESCRIPTION:Op de agenda: de begroting\\, de speeltuin en het straatfeest.\\nIed',
	' ereen is welkom\\; koffie staat klaar.',
	'CATEGORIES:Vergadering',
	'END:VEVENT',
	'BEGIN:VEVENT',
	'UID:040000008200E00074C5B7101A82E008000000001@outlook.com',
	'DTSTAMP:20260301T120000Z',
	'DTSTART;TZID=W. Europe Standard Time:20260303T140000',
	'DTEND;TZID=W. Europe Standard Time:20260303T160000',
	'RRULE:FREQ=WEEKLY;UNTIL=20260630T120000Z;INTERVAL=1;BYDAY=TU;WKST=MO',
	'EXDATE;TZID=W. Europe Standard Time:20260428T140000',
	'SUMMARY:Jeu de boules',
	'LOCATION:Jeu-de-boulesbaan Lindeplein',
	'CATEGORIES:Sport,Bewegen',
	'END:VEVENT',
	'BEGIN:VEVENT',
	'UID:040000008200E00074C5B7101A82E008000000001@outlook.com',
	'DTSTAMP:20260301T120000Z',
	'RECURRENCE-ID;TZID=W. Europe Standard Time:20260512T140000',
	'DTSTART;TZID=W. Europe Standard Time:20260512T150000',
	'DTEND;TZID=W. Europe Standard Time:20260512T170000',
	'SUMMARY:Jeu de boules',
	'LOCATION:Sportpark Noord',
	'END:VEVENT',
	'BEGIN:VEVENT',
	'UID:koningsdag-2026@example.org',
	'DTSTAMP:20260301T120000Z',
	'DTSTART;VALUE=DATE:20260427',
	'DTEND;VALUE=DATE:20260428',
	'SUMMARY:Vrijmarkt Koningsdag',
	'END:VEVENT',
	'BEGIN:VEVENT',
	'UID:datum-volgt@example.org',
	'DTSTAMP:20260301T120000Z',
	'SUMMARY:Rommelmarkt (datum volgt)',
	'END:VEVENT',
	'BEGIN:VEVENT',
	'UID:elk-uur@example.org',
	'DTSTAMP:20260301T120000Z',
	'DTSTART:20260601T080000Z',
	'RRULE:FREQ=HOURLY;COUNT=5',
	'SUMMARY:Inloop wijkagent',
	'END:VEVENT',
	'END:VCALENDAR',
	''
].join('\r\n');

const shown = (events: AgendaEvent[], title: string, from: string, to: string) => {
	const event = events.find((e) => e.title === title)!;
	return occurrencesBetween(event, from, to)
		.filter((o) => !o.skipped)
		.map((o) => `${o.start}–${o.end.slice(11)} ${o.override?.location ?? event.location.name}`.trim());
};

describe('iCalendar import', () => {
	it('adds what the agenda can show from another app, in Amsterdam time, and says what it refused', async () => {
		const plan = parseICalendar(OTHER_APP, []);
		expect(plan.refused).toEqual([
			{ title: 'Rommelmarkt (datum volgt)', reason: 'no_start' },
			{ title: 'Inloop wijkagent', start: '2026-06-01T10:00', reason: 'rule' }
		]);
		const agenda = new Agenda();
		const { added } = await applyImport(plan, agenda.handleFor, ANNA, new Date('2026-03-02T09:00:00Z'));
		expect(added.map((a) => a.title)).toEqual(['Buurtvergadering', 'Jeu de boules', 'Vrijmarkt Koningsdag']);
		expect([...agenda.devices.keys()].sort()).toEqual(['2026', 'series']);

		const events = agenda.events();
		const meeting = events.find((e) => e.title === 'Buurtvergadering')!;
		// 17.00 UTC in April is 19.00 in Amsterdam.
		expect([meeting.start, meeting.end]).toEqual(['2026-04-15T19:00', '2026-04-15T21:00']);
		expect(meeting.location.name).toBe('Buurthuis De Linde, Lindelaan 4');
		expect(meeting.description).toBe('Op de agenda: de begroting, de speeltuin en het straatfeest.\nIedereen is welkom; koffie staat klaar.');
		expect(meeting.category).toBe('overig');
		expect(meeting.uid).toBe('7kq2a0c1d9e8f7@google.com');

		const boules = events.find((e) => e.title === 'Jeu de boules')!;
		expect(boules.category).toBe('bewegen');
		expect(shown(events, 'Jeu de boules', '2026-04-20T00:00', '2026-05-20T00:00')).toEqual([
			'2026-04-21T14:00–16:00 Jeu-de-boulesbaan Lindeplein',
			'2026-05-05T14:00–16:00 Jeu-de-boulesbaan Lindeplein',
			'2026-05-12T15:00–17:00 Sportpark Noord',
			'2026-05-19T14:00–16:00 Jeu-de-boulesbaan Lindeplein'
		]);
		// UNTIL was 12.00 UTC on 30 June: 14.00 in Amsterdam, so that Tuesday is the last one.
		expect(shown(events, 'Jeu de boules', '2026-06-25T00:00', '2026-12-31T00:00')).toEqual(['2026-06-30T14:00–16:00 Jeu-de-boulesbaan Lindeplein']);

		const market = events.find((e) => e.title === 'Vrijmarkt Koningsdag')!;
		expect([market.allDay, market.start, market.end]).toEqual([true, '2026-04-27T00:00', '2026-04-27T00:00']);
	});

	it('refuses everything already imported when the same file comes again', async () => {
		const agenda = new Agenda();
		await applyImport(parseICalendar(OTHER_APP, []), agenda.handleFor, ANNA);
		const again = parseICalendar(OTHER_APP, agenda.events());
		expect(again.add).toEqual([]);
		expect(again.refused.filter((r) => r.reason === 'duplicate').map((r) => r.title)).toEqual([
			'Buurtvergadering',
			'Jeu de boules',
			'Vrijmarkt Koningsdag'
		]);
	});

	it("adds the rest when a year's document cannot be opened, says which were not added, and adds them on a later try", async () => {
		const agenda = new Agenda();
		let opened2026 = 0;
		const without2026 = (period: string) => {
			if (period !== '2026') return agenda.handleFor(period);
			opened2026 += 1;
			return Promise.reject(new Error('Document automerge:2026 is unavailable'));
		};
		const { added, notAdded } = await applyImport(parseICalendar(OTHER_APP, []), without2026, ANNA);
		expect(added.map((a) => a.title)).toEqual(['Jeu de boules']);
		expect(notAdded).toEqual([
			{ title: 'Buurtvergadering', start: '2026-04-15T19:00', reason: 'unavailable' },
			{ title: 'Vrijmarkt Koningsdag', start: '2026-04-27T00:00', reason: 'unavailable' }
		]);
		// Asked once: the second event of that year is not added either, without waiting again.
		expect(opened2026).toBe(1);

		const later = parseICalendar(OTHER_APP, agenda.events());
		expect(later.add.map((item) => item.input.title)).toEqual(['Buurtvergadering', 'Vrijmarkt Koningsdag']);
		expect((await applyImport(later, agenda.handleFor, ANNA)).notAdded).toEqual([]);
		expect(agenda.events().map((e) => e.title).sort()).toEqual(['Buurtvergadering', 'Jeu de boules', 'Vrijmarkt Koningsdag']);
	});

	it('says a file is not a calendar instead of failing', () => {
		const notCalendar = [{ title: '', reason: 'not_calendar' }];
		expect(parseICalendar('Beste buren, hierbij de agenda voor april.', []).refused).toEqual(notCalendar);
		expect(parseICalendar('BEGIN:VCALENDAR\r\nthis is not\r\nEND:VCALENDAR', []).refused).toEqual(notCalendar);
		expect(parseICalendar('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna\r\nEND:VCARD', []).refused).toEqual(notCalendar);
		expect(parseICalendar('', [])).toEqual({ add: [], refused: notCalendar });
	});

	it('adds at most 2,000 events from one file', () => {
		const event = (n: number) =>
			['BEGIN:VEVENT', `UID:e${n}@example.org`, `DTSTART:20260105T${String(n % 24).padStart(2, '0')}0000`, `SUMMARY:Les ${n}`, 'END:VEVENT'];
		const file = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...Array.from({ length: 2003 }, (_, n) => event(n)).flat(), 'END:VCALENDAR'].join('\r\n');
		const plan = parseICalendar(file, []);
		expect(plan.add).toHaveLength(2000);
		expect(plan.refused.map((r) => [r.title, r.reason])).toEqual([
			['Les 2000', 'too_long'],
			['Les 2001', 'too_long'],
			['Les 2002', 'too_long']
		]);
	});

	it('keeps Dutch text, organiser, cost and accessibility through export and import', () => {
		const device = new Device();
		const description =
			'Koffie, thee; en koek.\nNeem een vriend mee! Café "De Linde" — héél gezellig, met een lange regel die zeker moet worden afgebroken.\n\nTot ziens!';
		const id = createEvent(
			device,
			form({
				title: 'Koffieochtend: één, twee; drie',
				description,
				category: 'eten',
				location: 'Buurthuis, zaal 2',
				organiser: 'Stichting Welzijn; afdeling Oost',
				cost: '€ 1,50',
				accessibility: ['wheelchair', 'toilet'],
				accessibilityNote: 'Lift bij de zij-ingang',
				capacity: 20
			}),
			ANNA
		);
		const [imported] = parseICalendar(eventToICalendar(device.event(id), { name: 'Lindenbuurt' }), []).add;
		const { repeat: _repeat, ...input } = imported.input;
		const { repeat: _original, ...original } = eventInput(device.event(id));
		expect(input).toEqual({ ...original, service: undefined });
		expect(imported.uid).toBe(`${id}@noaber`);
	});

	it('keeps the occurrences of a series through export, import and export again', async () => {
		const device = new Device();
		const id = createEvent(
			device,
			form({ day: '2026-03-17', location: 'Buurthuis', repeat: { repeat: 'weekly', interval: 1, weekdays: ['TU', 'TH'], ends: 'until', until: '2026-05-31', count: 0 } }),
			ANNA
		);
		skipOccurrence(device, id, '2026-03-26T10:00', 'Voorjaarsvakantie', ANNA);
		changeOccurrence(device, id, '2026-04-07T10:00', { location: 'Kerkzaal', start: '2026-04-07T14:00', end: '2026-04-07T15:30', note: 'Andere zaal' }, ANNA);
		const first = toICalendar([device.event(id)], { name: 'Lindenbuurt' });
		const agenda = new Agenda();
		await applyImport(parseICalendar(first, []), agenda.handleFor, ANNA);
		const [copy] = agenda.events();
		expect(copy.rrule).toBe(device.event(id).rrule);
		expect(copy.overrides['2026-04-07T10:00'].note).toBe('Andere zaal');
		const second = toICalendar([copy], { name: 'Lindenbuurt' });
		const occurrences = expand(first, '2026-06-30');
		expect(occurrences).toHaveLength(21);
		expect(occurrences.map((o) => o.start)).not.toContain('2026-03-26T09:00:00.000Z');
		expect(expand(second, '2026-06-30')).toEqual(occurrences);
	});
});
