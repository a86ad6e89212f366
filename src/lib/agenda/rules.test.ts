import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { imm } from '../automerge/immutable.ts';
import type { Role } from '../access/roles.ts';
import { judgeBetween } from '../rules/between.ts';
import type { Who } from '../rules/judge.ts';
import { RefereeCopy, RefereedDoc } from '../rules/refereed-doc.ts';
import type { AgendaDoc } from './document.ts';
import { applyImport, parseICalendar } from './ics-import.ts';
import {
	blankEvent,
	cancelEvent,
	cancelSignup,
	changeOccurrence,
	changeSeriesFrom,
	comeBack,
	createEvent,
	editEvent,
	eventInput,
	linkService,
	restoreEvent,
	restoreOccurrence,
	restoreSignup,
	signUp,
	skipOccurrence,
	stayAway,
	typeDescription,
	type EventInput
} from './mutations.ts';
import { newAgendaDoc } from './periods.ts';
import { agendaRules, mayEditEvent, mayImportAgenda, maySignUpFor } from './rules.ts';
import { readEvents } from './view.ts';

const who = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const ANNA = who('anna-0000-0001');
const BEN = who('ben-0000-00002');
const GRETA = who('greta-000-0005');
const EDITOR = who('edith-000-0003', ['agenda']);
const MANAGER = who('manon-000-0004', ['manager']);
/** Carer of Greta, who has no device. */
const CARER = who('carl-0000-0006', [], [GRETA.member]);

const weekly = (changes: Partial<EventInput> = {}): EventInput => ({
	...blankEvent('2026-12-07'),
	title: 'Koffieochtend',
	repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 },
	...changes
});

const series = () => A.change(A.init<AgendaDoc>(), (d) => void Object.assign(d, newAgendaDoc('series')));

/** A series by Anna with Ben signed up for every time. */
function setup() {
	const anna = new RefereedDoc(agendaRules, ANNA, series());
	const eventId = createEvent(anna, weekly({ capacity: 2 }), { memberId: ANNA.member });
	const ben = new RefereedDoc(agendaRules, BEN, anna.current);
	const signupId = signUp(ben, eventId, '', { memberId: BEN.member })!;
	expect([...anna.refused, ...ben.refused]).toEqual([]);
	return { doc: ben.current, eventId, signupId };
}

const as = (person: Who, doc: A.Doc<AgendaDoc>) => new RefereedDoc(agendaRules, person, doc);
const rules = (device: RefereedDoc<AgendaDoc>) => device.refused.map((r) => r.rule);
const event = (doc: A.Doc<AgendaDoc>, id: string) => readEvents([{ url: 'automerge:x', doc }]).items.find((e) => e.id === id)!;

describe('agenda documents', () => {
	it('lets any member start a year or series document and nobody rename its period', () => {
		// Judged against an empty document: placerOf(undefined) in rules/edits.ts does not place the root.
		expect(judgeBetween(agendaRules, A.init<AgendaDoc>(), series(), BEN).refused).toEqual([]);
		const device = as(MANAGER, series());
		device.change((d) => void (d.period = imm('2027')));
		expect(rules(device)).toEqual(['agenda.period']);
	});
});

describe('events', () => {
	it('lets the organiser do everything the event page offers them', () => {
		const { doc, eventId } = setup();
		const anna = as(ANNA, doc);
		const rid = '2026-12-14T10:00';
		editEvent(anna, eventId, { ...eventInput(event(anna.current, eventId)), title: 'Koffie & thee', accessibility: ['wheelchair'] }, { memberId: ANNA.member });
		typeDescription(anna, eventId, 'Iedereen welkom', { memberId: ANNA.member });
		skipOccurrence(anna, eventId, rid, 'Kerst', { memberId: ANNA.member });
		restoreOccurrence(anna, eventId, rid, { memberId: ANNA.member });
		changeOccurrence(anna, eventId, '2026-12-21T10:00', { start: '2026-12-21T11:00', location: 'Bibliotheek', note: 'Andere zaal' }, { memberId: ANNA.member });
		linkService(anna, eventId, 'service-0000001', { memberId: ANNA.member });
		linkService(anna, eventId, undefined, { memberId: ANNA.member });
		cancelEvent(anna, eventId, 'Ziek', { memberId: ANNA.member });
		restoreEvent(anna, eventId, { memberId: ANNA.member });
		editEvent(anna, eventId, { ...eventInput(event(anna.current, eventId)), accessibility: [] }, { memberId: ANNA.member });
		expect(anna.refused).toEqual([]);
		expect(event(anna.current, eventId)).toMatchObject({ title: 'Koffie & thee', description: 'Iedereen welkom', cancelled: null });
		expect(mayEditEvent(ANNA, event(anna.current, eventId))).toBe(true);
	});

	it('lets agenda editors and managers edit any event, and refuses another member', () => {
		const { doc, eventId } = setup();
		for (const person of [EDITOR, MANAGER]) {
			const device = as(person, doc);
			cancelEvent(device, eventId, 'Zaal dicht', { memberId: person.member });
			editEvent(device, eventId, { ...eventInput(event(doc, eventId)), title: 'Nieuwe titel' }, { memberId: person.member });
			expect(device.refused).toEqual([]);
			expect(mayEditEvent(person, event(doc, eventId))).toBe(true);
		}
		const ben = as(BEN, doc);
		editEvent(ben, eventId, { ...eventInput(event(doc, eventId)), title: 'Gekaapt' }, { memberId: BEN.member });
		cancelEvent(ben, eventId, 'Zomaar', { memberId: BEN.member });
		skipOccurrence(ben, eventId, '2026-12-14T10:00', 'Zomaar', { memberId: BEN.member });
		typeDescription(ben, eventId, 'Onzin', { memberId: BEN.member });
		expect(new Set(rules(ben))).toEqual(new Set(['agenda.event-editor']));
		expect(ben.refused).toHaveLength(4);
		expect(mayEditEvent(BEN, event(doc, eventId))).toBe(false);
	});

	it('lets the organiser continue a series from a date on, carrying everyone’s sign-ups; not another member', () => {
		const { doc, eventId } = setup();
		const input = { ...eventInput(event(doc, eventId)), startTime: '14:00', endTime: '15:00' };
		const anna = as(ANNA, doc);
		const next = changeSeriesFrom(anna, event(doc, eventId), '2027-01-04', input, { memberId: ANNA.member });
		expect(anna.refused).toEqual([]);
		expect(event(anna.current, next!).signups.map((s) => s.member)).toEqual([BEN.member]);
		const ben = as(BEN, doc);
		changeSeriesFrom(ben, event(doc, eventId), '2027-01-04', input, { memberId: BEN.member });
		expect(rules(ben)).toEqual(['agenda.event-editor']);
	});

	it('lets only agenda editors import a calendar file', async () => {
		const file = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:yoga@example.org', 'DTSTART:20261208T100000', 'SUMMARY:Yoga', 'RRULE:FREQ=WEEKLY', 'EXDATE:20261215T100000', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
		const plan = parseICalendar(file, []);
		for (const [person, refused] of [[EDITOR, []], [MANAGER, []], [BEN, ['agenda.import']]] as const) {
			const device = as(person, series());
			await applyImport(plan, async () => device, { memberId: person.member });
			expect(rules(device)).toEqual(refused);
			expect(mayImportAgenda(person)).toBe(refused.length === 0);
		}
	});
});

describe('sign-ups', () => {
	it('lets a member sign up, stay away once, come back, cancel and undo, for themself', () => {
		const { doc, eventId, signupId } = setup();
		const ben = as(BEN, doc);
		const rid = '2026-12-14T10:00';
		stayAway(ben, eventId, signupId, rid);
		comeBack(ben, eventId, signupId, rid);
		cancelSignup(ben, eventId, signupId, { memberId: BEN.member });
		restoreSignup(ben, eventId, signupId);
		signUp(ben, eventId, '2026-12-21T10:00', { memberId: BEN.member });
		expect(ben.refused).toEqual([]);
		expect(maySignUpFor(BEN, BEN.member)).toBe(true);
	});

	it('lets an intermediary sign up and cancel for the resident they act for, and nobody else', () => {
		const { doc, eventId } = setup();
		const carl = as(CARER, doc);
		const greta = signUp(carl, eventId, '', { memberId: GRETA.member, actedBy: CARER.member })!;
		stayAway(carl, eventId, greta, '2026-12-14T10:00');
		cancelSignup(carl, eventId, greta, { memberId: GRETA.member, actedBy: CARER.member });
		expect(carl.refused).toEqual([]);
		expect(maySignUpFor(CARER, GRETA.member)).toBe(true);
		expect(maySignUpFor(BEN, GRETA.member)).toBe(false);

		const ben = as(BEN, doc);
		signUp(ben, eventId, '', { memberId: GRETA.member, actedBy: BEN.member });
		expect(rules(ben)).toEqual(['agenda.signup-member']);
	});

	it('lets two devices of one member each say "deze keer niet" offline; the second still passes at the relay', () => {
		const { doc, eventId, signupId } = setup();
		const phone = as(BEN, A.clone(doc));
		const tablet = as(BEN, A.clone(doc));
		stayAway(phone, eventId, signupId, '2026-12-14T10:00');
		stayAway(tablet, eventId, signupId, '2026-12-21T10:00');
		expect([...phone.refused, ...tablet.refused]).toEqual([]);
		// The relay took the phone's first; the tablet's list of dates is a first value beside it, not a replacement.
		const relay = A.merge(A.clone(doc), phone.current);
		const arriving = A.merge(A.clone(relay), tablet.current);
		expect(judgeBetween(agendaRules, relay, arriving, BEN).refused).toEqual([]);
		const other = A.change(A.clone(relay), (d) => {
			d.events[eventId].signups[signupId].away = {};
		});
		expect(judgeBetween(agendaRules, relay, other, BEN).refused.map((r) => r.rule)).toEqual(['agenda.shape']);
	});

	it('refuses cancelling or moving another member’s sign-up, even by the organiser or a manager', () => {
		const { doc, eventId, signupId } = setup();
		for (const person of [ANNA, MANAGER, CARER]) {
			const cancelling = as(person, doc);
			cancelSignup(cancelling, eventId, signupId, { memberId: person.member });
			const away = as(person, doc);
			stayAway(away, eventId, signupId, '2026-12-14T10:00');
			expect([...rules(cancelling), ...rules(away)]).toEqual(['agenda.signup-member', 'agenda.signup-member']);
		}
	});
});

describe('hostile changes', () => {
	const refusedFor = (person: Who, fn: (d: AgendaDoc) => void) => {
		const { doc } = setup();
		const device = as(person, doc);
		device.change(fn);
		return rules(device);
	};

	it('refuses deleting every key of the document, even by a manager', () => {
		const wipe = (d: AgendaDoc) => {
			for (const key of Object.keys(d)) delete (d as unknown as Record<string, unknown>)[key];
		};
		expect(refusedFor(BEN, wipe)).toEqual(['agenda.no-delete']);
		expect(refusedFor(MANAGER, wipe)).toEqual(['agenda.no-delete']);
	});

	it('refuses deleting an event, a sign-up or the events map, and replacing them', () => {
		const { doc, eventId, signupId } = setup();
		const cases: [Who, (d: AgendaDoc) => void, string][] = [
			[ANNA, (d) => delete d.events[eventId], 'agenda.no-delete'],
			[MANAGER, (d) => delete d.events[eventId].signups[signupId], 'agenda.no-delete'],
			[MANAGER, (d) => void (d.events = {}), 'agenda.no-replace'],
			[ANNA, (d) => void (d.events[eventId].signups = {}), 'agenda.no-replace'],
			[EDITOR, (d) => void (d.events[eventId] = { ...JSON.parse(JSON.stringify(d.events[eventId])), title: imm('Nep') }), 'agenda.no-replace']
		];
		for (const [person, fn, rule] of cases) {
			const device = as(person, doc);
			device.change(fn);
			expect(rules(device)).toEqual([rule]);
		}
	});

	it('refuses making an event in another member’s name and rewriting who made one', () => {
		const { doc, eventId } = setup();
		const ben = as(BEN, doc);
		createEvent(ben, weekly(), { memberId: ANNA.member });
		ben.change((d) => void (d.events[eventId].author = imm(BEN.member)));
		expect(rules(ben)).toEqual(['agenda.new-event', 'agenda.made-once']);
		const editor = as(EDITOR, doc);
		editor.change((d) => void (d.events[eventId].createdAt = imm('2020-01-01T00:00:00.000Z')));
		editor.change((d) => void (d.events[eventId].updatedBy = imm(BEN.member)));
		expect(rules(editor)).toEqual(['agenda.made-once', 'agenda.stamp']);
	});

	it('refuses an imported event whose UID would break the calendar feed', () => {
		const device = as(EDITOR, series());
		createEvent(device, weekly(), { memberId: EDITOR.member }, new Date(), { uid: 'x@example.org\r\nBEGIN:VEVENT' });
		createEvent(device, weekly(), { memberId: EDITOR.member }, new Date(), { uid: 'yoga@example.org' });
		expect(rules(device)).toEqual(['agenda.uid']);
	});

	it('refuses a member raising the calendar SEQUENCE of another’s event, or writing odd fields', () => {
		const { doc, eventId } = setup();
		const ben = as(BEN, doc);
		ben.change((d) => d.events[eventId].sequence.increment(5));
		ben.change((d) => void ((d.events[eventId] as unknown as Record<string, unknown>).spam = 'x'));
		ben.change((d) => void ((d as unknown as Record<string, unknown>).extra = {}));
		expect(rules(ben)).toEqual(['agenda.event-editor', 'agenda.shape', 'agenda.shape']);
	});
});

describe('what the relay receives at once', () => {
	it('takes a device’s new event with its own sign-up, away date and cancelling together', () => {
		const relay = new RefereeCopy(agendaRules, series());
		const offline = as(CARER, A.load<AgendaDoc>(A.save(relay.doc)));
		const eventId = createEvent(offline, weekly(), { memberId: CARER.member });
		const own = signUp(offline, eventId, '', { memberId: CARER.member })!;
		const greta = signUp(offline, eventId, '', { memberId: GRETA.member, actedBy: CARER.member })!;
		stayAway(offline, eventId, own, '2026-12-14T10:00');
		cancelSignup(offline, eventId, greta, { memberId: GRETA.member, actedBy: CARER.member });
		const next = changeSeriesFrom(offline, event(offline.current, eventId), '2027-01-04', weekly({ title: 'Koffie (nieuw)' }), { memberId: CARER.member });
		expect(relay.receive(offline.current, CARER)).toEqual([]);
		expect(event(relay.doc, next!).signups.map((s) => s.member).sort()).toEqual([CARER.member]);
	});

	it('refuses a forged sign-up and what the same device built on it', () => {
		const { doc, eventId } = setup();
		const relay = new RefereeCopy(agendaRules, doc);
		const ben = as(BEN, A.load<AgendaDoc>(A.save(doc)));
		const forged = signUp(ben, eventId, '2026-12-14T10:00', { memberId: GRETA.member, actedBy: BEN.member })!;
		stayAway(ben, eventId, forged, '2026-12-21T10:00');
		cancelSignup(ben, eventId, forged, { memberId: GRETA.member, actedBy: BEN.member });
		const refused = relay.receive(ben.current, BEN);
		expect(refused.map((r) => r.rule)).toEqual(['agenda.signup-member', 'depends-on-refused']);
		expect(event(relay.doc, eventId).signups.map((s) => s.member)).toEqual([BEN.member]);
	});
});
