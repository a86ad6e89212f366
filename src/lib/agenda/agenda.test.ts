import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { AgendaDoc } from './document.ts';
import { happenings, byDay, sameHappenings } from './calendar.ts';
import { windowOf } from './window.ts';
import {
	blankEvent,
	cancelSignup,
	comeBack,
	stayAway,
	restoreSignup,
	changeOccurrence,
	changeSeriesFrom,
	checkEvent,
	createEvent,
	editEvent,
	eventInput,
	restoreOccurrence,
	signUp,
	skipOccurrence,
	typeDescription,
	type EventInput
} from './mutations.ts';
import { agendaLoadOrder, agendaPeriodOf } from './periods.ts';
import * as fc from 'fast-check';
import { choiceFromRule, occurrencesBetween, parseRule, ruleFromChoice, ruleStarts } from './recurrence.ts';
import { WEEKDAYS } from './weekdays.ts';
import { RRule } from './rrule-lib.ts';
import { places, signupStatus } from './signups.ts';
import { addDays, addMinutes, floating, instantOf, wallOf } from './time.ts';
import { combineEvents, readEvents, type AgendaEvent } from './view.ts';
import { LocalDoc } from '../automerge/local-doc.ts';

const ANNA = { memberId: 'anna-0000-0001' };
const BEN = { memberId: 'ben-0000-00002' };
const CAROL = { memberId: 'carol-000-0003' };
const VERA = { memberId: 'vera-0000-0004' };

/** One device's copy of an agenda document. */
class Device extends LocalDoc<AgendaDoc> {
	constructor() {
		super({ period: imm('series'), events: {} });
	}
	events(): AgendaEvent[] {
		return readEvents([{ url: 'automerge:agenda', doc: this.doc }]).items;
	}
	event(id: string): AgendaEvent {
		return this.events().find((e) => e.id === id)!;
	}
}

function form(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({ ...blankEvent('2026-03-10'), title: 'Koffieochtend', ...changes });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

const weekly = (changes: Partial<EventInput> = {}) =>
	form({ repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }, ...changes });

describe('recurring events', () => {
	it('keep their wall-clock time across the change to summer time', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ day: '2026-03-24' }), ANNA);
		const event = device.event(id);
		expect(event.rrule).toBe('FREQ=WEEKLY;BYDAY=TU');
		const list = occurrencesBetween(event, '2026-03-20T00:00', '2026-04-08T00:00');
		expect(list.map((o) => o.start)).toEqual(['2026-03-24T10:00', '2026-03-31T10:00', '2026-04-07T10:00']);
		// 10.00 in Amsterdam is 09.00 UTC in winter and 08.00 UTC in summer.
		expect(list.map((o) => instantOf(o.start, event.zone).toISOString().slice(11, 16))).toEqual(['09:00', '08:00', '08:00']);
	});

	it('repeat on the nth weekday of the month, every n weeks, and until a date', () => {
		const nth = ruleFromChoice({ repeat: 'monthlyNth', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }, '2026-03-10T10:00');
		expect(nth).toBe('FREQ=MONTHLY;BYDAY=2TU');
		const schedule = { start: '2026-03-10T10:00', end: '2026-03-10T11:30', rrule: nth, skipped: {}, overrides: {} };
		expect(occurrencesBetween(schedule, '2026-03-01T00:00', '2026-07-01T00:00').map((o) => o.start.slice(0, 10))).toEqual([
			'2026-03-10',
			'2026-04-14',
			'2026-05-12',
			'2026-06-09'
		]);
		const fortnightly = ruleFromChoice(
			{ repeat: 'weekly', interval: 2, weekdays: ['TU', 'TH'], ends: 'until', until: '2026-04-02', count: 0 },
			'2026-03-10T10:00'
		);
		const two = { ...schedule, rrule: fortnightly };
		expect(occurrencesBetween(two, '2026-03-01T00:00', '2026-07-01T00:00').map((o) => o.start.slice(0, 10))).toEqual([
			'2026-03-10',
			'2026-03-12',
			'2026-03-24',
			'2026-03-26'
		]);
		expect(choiceFromRule(fortnightly, '2026-03-10T10:00')).toMatchObject({ repeat: 'weekly', interval: 2, weekdays: ['TU', 'TH'], ends: 'until', until: '2026-04-02' });
		expect(choiceFromRule('FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=27', '2026-03-10T10:00')).toMatchObject({ repeat: 'custom' });
	});

	it('skip one occurrence, change another, and undo the skip', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ day: '2026-04-21', location: 'Buurthuis' }), ANNA);
		skipOccurrence(device, id, '2026-04-28T10:00', 'Koningsdag... bijna', ANNA);
		changeOccurrence(device, id, '2026-05-05T10:00', { location: 'Kerkzaal', start: '2026-05-05T14:00', end: '2026-05-05T15:30' }, BEN);
		let event = device.event(id);
		const list = occurrencesBetween(event, '2026-04-20T00:00', '2026-05-13T00:00');
		expect(list.map((o) => [o.start, Boolean(o.skipped), o.override?.location ?? ''])).toEqual([
			['2026-04-21T10:00', false, ''],
			['2026-04-28T10:00', true, ''],
			['2026-05-05T14:00', false, 'Kerkzaal'],
			['2026-05-12T10:00', false, '']
		]);
		expect(event.sequence).toBe(2);
		restoreOccurrence(device, id, '2026-04-28T10:00', ANNA);
		event = device.event(id);
		expect(occurrencesBetween(event, '2026-04-27T00:00', '2026-04-29T00:00')[0].skipped).toBeUndefined();
	});

	it('change the whole series from a date on: the old series ends, the new one continues with its people', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ day: '2026-03-03', capacity: 10 }), ANNA);
		signUp(device, id, '', BEN);
		signUp(device, id, '2026-03-03T10:00', CAROL);
		const event = device.event(id);
		const newId = changeSeriesFrom(device, event, '2026-04-01', { ...eventInput(event), day: '2026-04-01', startTime: '14:00', endTime: '15:00' }, ANNA)!;
		const old = device.event(id);
		const next = device.event(newId);
		expect(old.rrule).toContain('UNTIL=20260331T235900');
		expect(next.follows).toBe(id);
		const all = happenings(device.events(), '2026-03-23T00:00', '2026-04-15T00:00').map((h) => h.occurrence.start);
		expect(all).toEqual(['2026-03-24T10:00', '2026-03-31T10:00', '2026-04-07T14:00', '2026-04-14T14:00']);
		expect(next.signups.map((s) => s.member)).toEqual([BEN.memberId]);
	});
});

describe('sign-ups', () => {
	it('fill the places, then the waiting list, which moves up when someone cancels', () => {
		const device = new Device();
		const id = createEvent(device, form({ capacity: 2 }), ANNA);
		const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute));
		const ben = signUp(device, id, '', BEN, t(1))!;
		signUp(device, id, '', CAROL, t(2));
		signUp(device, id, '', { memberId: 'dirk-0000-0005', actedBy: VERA.memberId }, t(3));
		expect(signUp(device, id, '', BEN, t(4))).toBeUndefined();
		let event = device.event(id);
		expect(places(event, '').participants.map((s) => s.member)).toEqual([BEN.memberId, CAROL.memberId]);
		expect(signupStatus(event, '', 'dirk-0000-0005')).toMatchObject({ kind: 'waiting', position: 1 });
		expect(places(event, '').waiting[0].actedBy).toBe(VERA.memberId);
		cancelSignup(device, id, ben, BEN, t(5));
		event = device.event(id);
		expect(signupStatus(event, '', 'dirk-0000-0005').kind).toBe('going');
		expect(places(event, '').free).toBe(0);
	});

	it('a cancelled sign-up that is undone takes back its place; the one who moved up waits again', () => {
		const device = new Device();
		const id = createEvent(device, form({ capacity: 1 }), ANNA);
		const ben = signUp(device, id, '', BEN, new Date('2026-03-01T09:00:00Z'))!;
		signUp(device, id, '', CAROL, new Date('2026-03-01T09:01:00Z'));
		cancelSignup(device, id, ben, BEN);
		expect(signupStatus(device.event(id), '', CAROL.memberId).kind).toBe('going');
		expect(restoreSignup(device, id, ben)).toBe(true);
		expect(signupStatus(device.event(id), '', BEN.memberId).kind).toBe('going');
		expect(signupStatus(device.event(id), '', CAROL.memberId)).toMatchObject({ kind: 'waiting', position: 1 });
		expect(restoreSignup(device, id, ben)).toBe(false);
	});

	it('made on two devices offline for the last place merge to one place and one on the waiting list', () => {
		const device = new Device();
		const id = createEvent(device, form({ capacity: 1 }), ANNA);
		const other = device.fork();
		signUp(device, id, '', BEN, new Date('2026-03-01T10:00:00Z'));
		signUp(other, id, '', CAROL, new Date('2026-03-01T09:00:00Z'));
		device.merge(other);
		other.merge(device);
		for (const d of [device, other]) {
			expect(signupStatus(d.event(id), '', CAROL.memberId).kind).toBe('going');
			expect(signupStatus(d.event(id), '', BEN.memberId)).toMatchObject({ kind: 'waiting', position: 1 });
		}
	});

	it('for one occurrence count only there; a sign-up for the series counts every time', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ capacity: 5 }), ANNA);
		// Explicit times: two sign-ups in one millisecond are ordered by their random ids.
		signUp(device, id, '', BEN, new Date('2026-03-01T09:00:00Z'));
		signUp(device, id, '2026-03-17T10:00', CAROL, new Date('2026-03-01T09:01:00Z'));
		const event = device.event(id);
		expect(places(event, '2026-03-10T10:00').participants.map((s) => s.member)).toEqual([BEN.memberId]);
		expect(places(event, '2026-03-17T10:00').participants.map((s) => s.member)).toEqual([BEN.memberId, CAROL.memberId]);
	});

	it('"deze keer niet" gives one date\'s place to the next person and keeps every other date', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ capacity: 1 }), ANNA);
		const ben = signUp(device, id, '', BEN, new Date('2026-03-01T09:00:00Z'))!;
		signUp(device, id, '', CAROL, new Date('2026-03-01T09:01:00Z'));
		const [kingsDay, next] = ['2026-03-17T10:00', '2026-03-24T10:00'];

		expect(stayAway(device, id, ben, kingsDay)).toBe(true);
		let event = device.event(id);
		expect(signupStatus(event, kingsDay, BEN.memberId).kind).toBe('away');
		expect(signupStatus(event, kingsDay, CAROL.memberId).kind).toBe('going');
		expect(signupStatus(event, next, BEN.memberId).kind).toBe('going');
		expect(signupStatus(event, next, CAROL.memberId)).toMatchObject({ kind: 'waiting', position: 1 });
		// Signing up again for that date is not a second sign-up: "Toch komen" is.
		expect(signUp(device, id, kingsDay, BEN)).toBeUndefined();

		expect(comeBack(device, id, ben, kingsDay)).toBe(true);
		event = device.event(id);
		expect(signupStatus(event, kingsDay, BEN.memberId).kind).toBe('going');
		expect(signupStatus(event, kingsDay, CAROL.memberId).kind).toBe('waiting');
	});

	it('only applies to a sign-up for every time, and a peer\'s broken list of dates keeps the sign-up', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ capacity: 2 }), ANNA);
		const once = signUp(device, id, '2026-03-17T10:00', BEN)!;
		expect(stayAway(device, id, once, '2026-03-17T10:00')).toBe(false);
		const always = signUp(device, id, '', CAROL)!;
		device.change((doc) => {
			(doc.events[id].signups[always] as unknown as { away: unknown }).away = { 'not a date': 42 };
		});
		expect(signupStatus(device.event(id), '2026-03-17T10:00', CAROL.memberId).kind).toBe('going');
	});
});

describe('co-editing', () => {
	it('keeps the words of two volunteers who type into the same description at once', () => {
		const a = new Device();
		const id = createEvent(a, form({ description: 'Koffie en thee.' }), ANNA);
		const b = a.fork();
		typeDescription(a, id, 'Koffie en thee. Neem een vriend mee!', ANNA);
		typeDescription(b, id, 'Gratis koffie en thee.', BEN);
		a.merge(b);
		b.merge(a);
		expect(a.event(id).description).toBe(b.event(id).description);
		expect(a.event(id).description).toContain('Neem een vriend mee!');
		expect(a.event(id).description).toContain('Gratis koffie');
	});

	it('saves only changed fields, so concurrent edits of other fields survive', () => {
		const a = new Device();
		const id = createEvent(a, form({}), ANNA);
		const b = a.fork();
		expect(editEvent(a, id, { ...eventInput(a.event(id)), location: 'Buurthuis' }, ANNA)).toEqual(['location']);
		expect(editEvent(b, id, { ...eventInput(b.event(id)), cost: '€ 1,50' }, BEN)).toEqual(['cost']);
		expect(editEvent(b, id, eventInput(b.event(id)), BEN)).toEqual([]);
		a.merge(b);
		expect(a.event(id)).toMatchObject({ location: { name: 'Buurthuis' }, cost: '€ 1,50', sequence: 2 });
	});
});

describe('a link to the social map', () => {
	it('ties an event to a service and can undo it', () => {
		const device = new Device();
		const id = createEvent(device, form({ service: 'service-00000001' }), ANNA);
		expect(device.event(id).service).toBe('service-00000001');
		expect(editEvent(device, id, { ...eventInput(device.event(id)), service: '' }, ANNA)).toEqual(['service']);
		expect(device.event(id).service).toBeUndefined();
	});
});

describe('the form', () => {
	it('explains what is missing or wrong', () => {
		const result = checkEvent({ ...blankEvent(''), title: ' ', startTime: '25:00', capacity: -1 });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toMatchObject({ title: 'required', day: 'required', startTime: 'time', capacity: 'number' });
		const order = checkEvent({ ...blankEvent('2026-03-10'), title: 'Wandelen', startTime: '11:00', endTime: '10:00' });
		expect(order.ok || order.errors).toMatchObject({ endTime: 'time_order' });
	});
});

describe('reading from peers', () => {
	it('skips and counts broken events and broken sign-ups, and shows the rest', () => {
		const device = new Device();
		const id = createEvent(device, form({}), ANNA);
		device.change((doc) => {
			(doc.events as Record<string, unknown>).bad = { id: imm('bad'), title: imm('x') };
			(doc.events[id].signups as Record<string, unknown>).odd = { id: imm('odd-signup'), member: 7 };
		});
		const read = readEvents([{ url: 'automerge:x', doc: device.doc }]);
		expect(read.items.map((e) => e.id)).toEqual([id]);
		expect(read.skipped).toBe(1);
		expect(read.skippedParts).toBe(1);
	});
});

describe('views and documents', () => {
	it('group a week by day and put series and one-offs in their documents', () => {
		const device = new Device();
		createEvent(device, weekly({ day: '2026-03-02', title: 'Wandelgroep', category: 'bewegen' }), ANNA);
		createEvent(device, form({ day: '2026-03-05', title: 'Repaircafé', startTime: '13:00', endTime: '16:00' }), ANNA);
		const { from, to } = windowOf('week', '2026-03-04T00:00');
		expect([from, to]).toEqual(['2026-03-02T00:00', '2026-03-09T00:00']);
		const days = byDay(happenings(device.events(), from, to));
		expect(days.map((d) => [d.day, d.items.map((h) => h.event.title)])).toEqual([
			['2026-03-02', ['Wandelgroep']],
			['2026-03-05', ['Repaircafé']]
		]);
		expect(happenings(device.events(), from, to, { category: 'bewegen' }).length).toBe(1);
		// At the same time: by title as a person reads them, not capitals first.
		createEvent(device, form({ day: '2026-03-05', title: 'Zumba', startTime: '13:00', endTime: '14:00' }), ANNA);
		createEvent(device, form({ day: '2026-03-05', title: 'bingo', startTime: '13:00', endTime: '14:00' }), ANNA);
		createEvent(device, form({ day: '2026-03-05', title: 'Ééntje drinken', startTime: '13:00', endTime: '14:00' }), ANNA);
		createEvent(device, form({ day: '2026-03-05', title: 'Yoga', startTime: '09:30', endTime: '10:30' }), ANNA);
		expect(happenings(device.events(), '2026-03-05T00:00', '2026-03-06T00:00').map((h) => h.event.title)).toEqual(['Yoga', 'bingo', 'Ééntje drinken', 'Repaircafé', 'Zumba']);
		expect(agendaPeriodOf({ start: '2026-03-05T13:00', rrule: '' })).toBe('2026');
		expect(agendaPeriodOf({ start: '2019-03-05T13:00', rrule: 'FREQ=WEEKLY' })).toBe('series');
		const url = (n: number) => `automerge:${String(n).repeat(28)}`;
		const order = agendaLoadOrder(
			[
				{ period: 'series', url: url(1) },
				{ period: '2026', url: url(2) },
				{ period: '2027', url: url(3) },
				{ period: '2019', url: url(4) }
			],
			'2026-12-28T00:00'
		);
		expect(order.first.map((e) => e.period)).toEqual(['series', '2026', '2027']);
		expect(order.later.map((e) => e.period)).toEqual(['2019']);
	});
});

describe('an agenda read in parts', () => {
	const event = (id: string, start: string) => ({ id, start }) as AgendaEvent;
	const sorted = (events: AgendaEvent[]) => [...events].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

	it('combines reads into one list in order, each event once, the first read of it kept', () => {
		const part = fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), start: fc.constantFrom('2019-01-01T10:00', '2026-03-02T10:00', '2026-03-02T11:00', '2027-05-01T09:00') }), { maxLength: 8 });
		fc.assert(
			fc.property(fc.array(part, { minLength: 2, maxLength: 5 }), (parts) => {
				const reads = parts.map((p) => {
					const seen = new Set<string>();
					const items = sorted(p.filter((e) => !seen.has(e.id) && seen.add(e.id)).map((e) => event(e.id, e.start)));
					return { items, skipped: 0, skippedParts: 0 };
				});
				const combined = combineEvents(reads).items;
				const first = new Map<string, AgendaEvent>();
				for (const read of reads) for (const e of read.items) if (!first.has(e.id)) first.set(e.id, e);
				expect(combined).toEqual(sorted([...first.values()]));
				// The very objects of the first read that had them.
				for (const e of combined) expect(e).toBe(first.get(e.id));
				// The page combines each read that arrives into what it had: the same agenda. And what
				// was combined from once can be combined from again.
				const grown = reads.slice(1).reduce((so, read) => combineEvents([so, read]), reads[0]);
				expect(grown.items).toEqual(combined);
				const base = combineEvents(reads.slice(0, 2));
				combineEvents([base, reads.at(-1)!]);
				expect(combineEvents([base, ...reads.slice(2)]).items).toEqual(combined);
			})
		);
	});

	it('is empty before any of its documents is open', () => {
		expect(readEvents([])).toEqual({ items: [], skipped: 0, skippedParts: 0 });
		expect(combineEvents([])).toEqual({ items: [], skipped: 0, skippedParts: 0 });
	});

	it("finds a window's happenings among thousands as a look at every event would", () => {
		// The old way, kept here as the reference: every event looked at.
		const everyOne = (events: AgendaEvent[], from: string, to: string) =>
			events.flatMap((event) => occurrencesBetween(event, from, to).map((occurrence) => ({ id: event.id, start: occurrence.start })));
		const series = new Device();
		createEvent(series, weekly({ day: '2026-03-02', title: 'Wandelgroep' }), ANNA);
		createEvent(series, weekly({ day: '2026-03-04', startTime: '10:00', endTime: '12:00', title: 'Koor' }), ANNA);
		const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-02-20T00:00', n));
		const oneOff = fc.record({ id: fc.uuid(), start: day, hour: fc.integer({ min: 0, max: 23 }), days: fc.constantFrom(0, 0, 0, 1, 3, 20), minutes: fc.constantFrom(0, 30, 90, 600) });
		// A window from midnight, as the pages have them, or from any hour.
		const from = fc.tuple(day, fc.constantFrom(0, 0, 9, 13)).map(([start, hour]) => addMinutes(start, hour * 60));
		fc.assert(
			fc.property(fc.array(oneOff, { maxLength: 40 }), from, fc.constantFrom(1, 7, 28), fc.boolean(), (made, from, length, inOrder) => {
				const events = made.map(({ id, start, hour, days, minutes }) => {
					const begins = addMinutes(start, hour * 60);
					return { ...series.events()[0], id, rrule: '', start: begins, end: addMinutes(addDays(begins, days), minutes), title: id } as AgendaEvent;
				});
				const all = [...series.events(), ...events];
				const listed = inOrder ? all.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)) : all;
				const to = addDays(from, length);
				const found = happenings(listed, from, to).map((h) => ({ id: h.event.id, start: h.occurrence.start }));
				const expected = everyOne(listed, from, to);
				expect(found).toHaveLength(expected.length);
				expect(found).toEqual(expect.arrayContaining(expected));
			})
		);
	});

	it("keeps a week's happenings the same when an older year comes in, and not when this week changed", () => {
		const thisYear = new Device();
		const olderYear = new Device();
		createEvent(thisYear, weekly({ day: '2026-03-02', title: 'Wandelgroep' }), ANNA);
		const repair = createEvent(thisYear, form({ day: '2026-03-05', title: 'Repaircafé', capacity: 10 }), ANNA)!;
		createEvent(olderYear, form({ day: '2019-03-05', title: 'Koffieochtend' }), ANNA);
		const { from, to } = windowOf('week', '2026-03-04T00:00');
		const ours = thisYear.events();
		const week = happenings(ours, from, to);
		expect(week.length).toBe(2);

		// The older year comes in: the agenda is made anew from the very same events of this year.
		const combined = combineEvents([
			{ items: ours, skipped: 0, skippedParts: 0 },
			{ items: olderYear.events(), skipped: 0, skippedParts: 0 }
		]);
		expect(combined.items.length).toBe(3);
		expect(sameHappenings(week, happenings(combined.items, from, to))).toBe(true);

		// A sign-up this week: that event is read again, and the list is no longer the same.
		signUp(thisYear, repair, '', BEN);
		expect(sameHappenings(week, happenings(thisYear.events(), from, to))).toBe(false);
		// Nor is a list with one happening fewer, or the next week.
		expect(sameHappenings(week, week.slice(1))).toBe(false);
		const next = windowOf('week', '2026-03-11T00:00');
		expect(sameHappenings(week, happenings(ours, next.from, next.to))).toBe(false);
	});

	it('reads two documents again when one of them changed', () => {
		const series = new Device();
		const year = new Device();
		createEvent(series, weekly({ day: '2026-03-02', title: 'Wandelgroep' }), ANNA);
		const sources = () => [
			{ url: 'automerge:series', doc: series.doc },
			{ url: 'automerge:year', doc: year.doc }
		];
		expect(readEvents(sources()).items.map((e) => e.title)).toEqual(['Wandelgroep']);
		expect(readEvents(sources())).toBe(readEvents(sources()));
		createEvent(year, form({ day: '2026-03-01', title: 'Repaircafé' }), ANNA);
		expect(readEvents(sources()).items.map((e) => e.title)).toEqual(['Repaircafé', 'Wandelgroep']);
	});

	it('works a changed series out again in a window it showed before', () => {
		const device = new Device();
		const id = createEvent(device, weekly({ day: '2026-03-02', title: 'Wandelgroep' }), ANNA);
		const { from, to } = windowOf('week', '2026-03-04T00:00');
		expect(happenings(device.events(), from, to).map((h) => h.occurrence.start)).toEqual(['2026-03-02T10:00']);
		editEvent(device, id, weekly({ day: '2026-03-04', title: 'Wandelgroep' }), ANNA);
		expect(happenings(device.events(), from, to).map((h) => h.occurrence.start)).toEqual(['2026-03-04T10:00']);
	});
});

describe('expanding a long-running series near the window', () => {
	it('gives the same dates as expanding from the first start, for any rule the agenda makes', () => {
		const naive = (start: string, rule: string, from: string, to: string) => {
			const options = parseRule(rule)!;
			return new RRule({ ...options, dtstart: floating(start) }).between(floating(from), floating(to), true).map(wallOf);
		};
		const days = fc.subarray([...WEEKDAYS], { minLength: 1 });
		const choice = fc.record({
			repeat: fc.constantFrom('weekly' as const, 'monthlyDate' as const, 'monthlyNth' as const),
			interval: fc.integer({ min: 1, max: 4 }),
			weekdays: days,
			ends: fc.constantFrom('never' as const, 'until' as const),
			// Sometimes before the window, in it or after it.
			until: fc.integer({ min: 0, max: 4500 }).map((days) => addDays('2017-01-01T00:00', days).slice(0, 10)),
			count: fc.constant(0)
		});
		fc.assert(
			fc.property(
				choice,
				fc.integer({ min: 0, max: 3000 }),
				fc.integer({ min: 0, max: 4000 }),
				fc.constantFrom(1, 7, 31, 90),
				// A window may begin exactly at a start: both ends count.
				fc.constantFrom('00:00', '10:00'),
				(c, startOffset, windowOffset, length, time) => {
					const start = addDays('2017-01-02T10:00', startOffset);
					const rule = ruleFromChoice(c, start);
					const from = addDays(`2017-01-01T${time}`, windowOffset);
					const to = addDays(from, length);
					expect(ruleStarts({ start, rrule: rule }, from, to)).toEqual(naive(start, rule, from, to));
				}
			),
			{ numRuns: 600 }
		);
	});
});

describe('reading events a hostile peer wrote', () => {
	it('reads an event whose sequence and document period are maps that cannot become text', () => {
		const device = new Device();
		const id = createEvent(device, form({}), ANNA);
		const trap = { toString: 'x', valueOf: 'y', value: 'z' };
		device.change((doc) => {
			(doc as unknown as Record<string, unknown>).period = trap;
			(doc.events[id] as unknown as Record<string, unknown>).sequence = trap;
		});
		const read = readEvents([{ url: 'automerge:x', doc: device.doc }]);
		expect(read.items.map((e) => [e.id, e.sequence, e.period])).toEqual([[id, 0, '']]);
	});
});

describe('a repeat rule from a peer', () => {
	it('is no rule when a part has an empty value, which calendar apps would refuse', () => {
		expect(parseRule('FREQ=DAILY;COUNT=,5')).toBeUndefined();
		expect(parseRule('FREQ=WEEKLY;INTERVAL=;BYDAY=MO')).toBeUndefined();
		expect(parseRule('FREQ=WEEKLY;BYDAY=MO,,TU')).toBeUndefined();
		expect(parseRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU')).toMatchObject({ interval: 2 });
	});
});
