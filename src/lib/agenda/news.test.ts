import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from './document.ts';
import {
	blankEvent,
	cancelEvent,
	cancelSignup,
	changeOccurrence,
	checkEvent,
	createEvent,
	editEvent,
	restoreSignup,
	signUp,
	skipOccurrence,
	stayAway,
	typeDescription,
	type EventInput
} from './mutations.ts';
import { agendaNews } from './news.ts';
import { readEvents } from './view.ts';

const anna = { memberId: 'anna-0000-0001' };
const ben = { memberId: 'ben-0000-00002' };
const carol = { memberId: 'carol-000-0003' };
const vera = { memberId: 'vera-0000-0004' };

function form(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({ ...blankEvent('2026-12-10'), title: 'Koffieochtend', location: 'Buurthuis, Dorpsstraat 1', ...changes });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}
const weekly = (changes: Partial<EventInput> = {}) =>
	form({ repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }, ...changes });

const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 11, day, 9, minute));

function agenda() {
	return new LocalDoc<AgendaDoc>({ period: imm('2026'), events: {} });
}
const news = (doc: LocalDoc<AgendaDoc>) => agendaNews(readEvents([{ url: 'automerge:agenda', doc: doc.doc }]).items);
const brief = (doc: LocalDoc<AgendaDoc>) => news(doc).map((n) => `${n.kind} ${n.for}${n.subject.occurrence ? ` ${n.subject.occurrence}` : ''}`);

describe('agenda news', () => {
	it('tells those signed up before a change, not the one who made it nor who signed up after', () => {
		const doc = agenda();
		const id = createEvent(doc, form({}), vera, at(1));
		signUp(doc, id, '', anna, at(2));
		signUp(doc, id, '', vera, at(2, 1));
		editEvent(doc, id, form({ startTime: '10:30' }), vera, at(3));
		signUp(doc, id, '', ben, at(4));
		expect(news(doc)).toEqual([
			{
				id: expect.stringMatching(new RegExp(`^event-changed:${id}:\\w+:${anna.memberId}$`)),
				kind: 'event-changed',
				for: anna.memberId,
				at: at(3).toISOString(),
				actor: vera.memberId,
				subject: { module: 'agenda', id, title: 'Koffieochtend' },
				path: `/agenda/${id}`,
				group: `agenda:${id}`
			}
		]);
	});

	it('tells a change of time or place anew, but typing in the description only once', () => {
		const doc = agenda();
		const id = createEvent(doc, form({}), vera, at(1));
		signUp(doc, id, '', anna, at(2));
		const ids = () => news(doc).map((n) => n.id);
		typeDescription(doc, id, 'K', vera, at(3));
		const first = ids();
		typeDescription(doc, id, 'Koffie', vera, at(3, 1));
		expect(ids()).toEqual(first);
		expect(news(doc)[0].at).toBe(at(3, 1).toISOString());
		editEvent(doc, id, form({ description: 'Koffie', location: 'De kerk' }), vera, at(4));
		expect(ids()).toHaveLength(1);
		expect(ids()).not.toEqual(first);
	});

	it('tells a skipped or changed date once, with that date, to those who come that date', () => {
		const doc = agenda();
		const id = createEvent(doc, weekly(), vera, at(1));
		signUp(doc, id, '', anna, at(2));
		signUp(doc, id, '2026-12-17T10:00', ben, at(2));
		signUp(doc, id, '2026-12-24T10:00', carol, at(2));
		skipOccurrence(doc, id, '2026-12-17T10:00', 'Kerstmarkt', vera, at(3));
		changeOccurrence(doc, id, '2026-12-24T10:00', { location: 'De kerk' }, vera, at(4));
		expect(brief(doc).sort()).toEqual([
			`event-changed ${anna.memberId} 2026-12-17T10:00`,
			`event-changed ${anna.memberId} 2026-12-24T10:00`,
			`event-changed ${ben.memberId} 2026-12-17T10:00`,
			`event-changed ${carol.memberId} 2026-12-24T10:00`
		]);
		expect(news(doc).find((n) => n.for === ben.memberId)?.path).toBe(`/agenda/${id}?datum=2026-12-17T10:00`);
	});

	it('tells a cancellation, and nothing else about a cancelled event', () => {
		const doc = agenda();
		const id = createEvent(doc, form({ capacity: 1 }), vera, at(1));
		const a = signUp(doc, id, '', anna, at(2))!;
		signUp(doc, id, '', ben, at(2, 1));
		cancelSignup(doc, id, a, anna, at(3));
		cancelEvent(doc, id, 'De zaal is dicht', vera, at(4));
		expect(brief(doc)).toEqual([`event-cancelled ${ben.memberId}`]);
	});

	it('tells whoever moves up from the waiting list when a place comes free, and only while they keep it', () => {
		const doc = agenda();
		const id = createEvent(doc, form({ capacity: 1 }), vera, at(1));
		const a = signUp(doc, id, '', anna, at(2))!;
		signUp(doc, id, '', ben, at(2, 1));
		signUp(doc, id, '', carol, at(2, 2));
		expect(news(doc)).toEqual([]);
		cancelSignup(doc, id, a, anna, at(3));
		expect(news(doc)).toEqual([
			{
				id: `moved-up:${id}::${ben.memberId}`,
				kind: 'moved-up',
				for: ben.memberId,
				at: at(3).toISOString(),
				subject: { module: 'agenda', id, title: 'Koffieochtend' },
				path: `/agenda/${id}`,
				group: `agenda:${id}`
			}
		]);
		restoreSignup(doc, id, a);
		expect(news(doc)).toEqual([]);
	});

	it('tells who gets the place on a date someone stays away from', () => {
		const doc = agenda();
		const id = createEvent(doc, weekly({ capacity: 1 }), vera, at(1));
		const a = signUp(doc, id, '', anna, at(2))!;
		signUp(doc, id, '', ben, at(2, 1));
		stayAway(doc, id, a, '2026-12-17T10:00', at(3));
		expect(brief(doc)).toEqual([`moved-up ${ben.memberId} 2026-12-17T10:00`]);
		const first = news(doc);
		cancelSignup(doc, id, a, anna, at(4));
		// Then for every date: one more item for the series, and the 17th stays what it was.
		expect(news(doc).map((n) => `${n.kind} ${n.subject.occurrence ?? 'every date'} ${n.at}`)).toEqual([
			`moved-up every date ${at(4).toISOString()}`,
			`moved-up 2026-12-17T10:00 ${at(3).toISOString()}`
		]);
		expect(news(doc)[1]).toEqual(first[0]);
	});

	it('says nothing of changes after the day has passed', () => {
		const doc = agenda();
		const id = createEvent(doc, form({ capacity: 1 }), vera, at(1));
		const a = signUp(doc, id, '', anna, at(2))!;
		signUp(doc, id, '', ben, at(2, 1));
		cancelSignup(doc, id, a, anna, at(11));
		editEvent(doc, id, form({ startTime: '10:30' }), vera, at(12));
		expect(news(doc)).toEqual([]);
	});
});
