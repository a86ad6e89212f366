import * as A from '@automerge/automerge/slim';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/fields.ts';
import type { AgendaDoc } from './document.ts';
import { eventToICalendar, fold, toICalendar } from './ics.ts';
import { blankEvent, changeOccurrence, checkEvent, createEvent, editEvent, eventInput, skipOccurrence, type AgendaHandle, type EventInput } from './mutations.ts';
import { readEvents, type AgendaEvent } from './view.ts';

const ANNA = { memberId: 'anna-0000-0001' };

class Device implements AgendaHandle {
	doc = A.change(A.init<AgendaDoc>(), (d) => Object.assign(d, { period: imm('series'), events: {} }));
	change(fn: A.ChangeFn<AgendaDoc>) {
		this.doc = A.change(this.doc, fn);
	}
	event(id: string): AgendaEvent {
		return readEvents([{ url: 'automerge:x', doc: this.doc }]).items.find((e) => e.id === id)!;
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

	it('folds long lines without splitting a character', () => {
		const line = `DESCRIPTION:${'é'.repeat(100)}`;
		const folded = fold(line);
		expect(folded.split('\r\n').every((part) => new TextEncoder().encode(part).length <= 75)).toBe(true);
		expect(folded.replace(/\r\n /g, '')).toBe(line);
	});
});
