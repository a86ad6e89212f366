import { MemoryStorage } from '../../../tests/memory-storage.ts';
import { describe, expect, it } from 'vitest';
import { byDay, happenings } from '$lib/agenda/calendar.ts';
import type { AgendaDoc } from '$lib/agenda/document.ts';
import { blankEvent, checkEvent, createEvent, signUp, skipOccurrence, type EventInput } from '$lib/agenda/mutations.ts';
import { readEvents } from '$lib/agenda/view.ts';
import { imm } from '$lib/automerge/immutable.ts';
import { LocalDoc } from '$lib/automerge/local-doc.ts';
import { rememberedWeek, rememberWeek } from '$lib/device/remembered-week.ts';
import { locale } from '$lib/i18n/language.svelte.ts';
import type { Member } from '$lib/members/view.ts';
import { cardDaysOf, cardOf, listOfHappenings, unchangedOr, type CardDays } from './agenda-card.ts';
import { listOfCards } from './drawn-days.ts';

const ANNA = { memberId: 'anna-0000-0001' };
const BEN = { memberId: 'ben-0000-00002' };
const ROOT = 'automerge:4NMNnkMhL8jXrBvXDpELfZiBbM7z';

function weekly(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({
		...blankEvent('2026-03-10'),
		title: 'Koffieochtend',
		repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 },
		...changes
	});
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

describe('a happening in the words the agenda lists it with', () => {
	it('says when, where, and whether this person goes or how many places are left, and keeps for the next start', () => {
		locale.language = 'nl';
		const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
		const id = createEvent(agenda, weekly({ location: 'Buurthuis', capacity: 2 }), ANNA);
		signUp(agenda, id, '2026-03-10T10:00', BEN);
		skipOccurrence(agenda, id, '2026-03-17T10:00', 'Buurthuis dicht', ANNA);
		const events = readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items;
		const [first, second] = happenings(events, '2026-03-09T00:00', '2026-03-23T00:00');

		const ben = { id: BEN.memberId } as Member;
		const card = cardOf(first!, ben);
		expect(card).toMatchObject({ title: 'Koffieochtend', location: 'Buurthuis', off: false, changed: false, mark: 'going', places: 'Nog 1 plaats' });
		expect(card.href).toBe(`/agenda/${id}?datum=2026-03-10T10:00`);
		expect(card.time).toMatch(/^\d{2}\.\d{2}/);
		expect(cardOf(first!, { id: ANNA.memberId } as Member)).toMatchObject({ mark: '' });
		// Called off: struck through, and no places offered.
		expect(cardOf(second!, ben)).toMatchObject({ off: true, mark: '', places: '' });

		const local = new MemoryStorage();
		const week = { language: 'nl', week: '2026-03-09', label: 'maandag 9 maart', days: [{ day: '2026-03-10', label: 'dinsdag 10 maart', cards: [card] }] };
		rememberWeek(local, ROOT, week);
		expect(rememberedWeek(local, ROOT, { week: '2026-03-09', language: 'nl' })).toEqual(week);
		// Another week, or another language than it was shown in: not this page's words.
		expect(rememberedWeek(local, ROOT, { week: '2026-03-16', language: 'nl' })).toBeUndefined();
		expect(rememberedWeek(local, ROOT, { week: '2026-03-09', language: 'en' })).toBeUndefined();
		// A week kept by the version before, without its days in words: the page waits for the documents.
		const before = new MemoryStorage();
		before.setItem(`noaber.week.${ROOT}`, JSON.stringify({ language: 'nl', week: '2026-03-09', days: [{ day: '2026-03-10', cards: [card] }] }));
		expect(rememberedWeek(before, ROOT, { week: '2026-03-09', language: 'nl' })).toBeUndefined();
	});

	it('reads a kept week whose link leads elsewhere as nothing kept', () => {
		const local = new MemoryStorage();
		const card = { key: 'x', href: 'javascript:alert(1)', time: '10.00', title: 'x', off: false, changed: false, location: '', category: '', mark: '', places: '' };
		const kept = (href: string) => ({ language: 'nl', week: '2026-03-09', label: 'maandag 9 maart', days: [{ day: '2026-03-10', label: 'dinsdag 10 maart', cards: [{ ...card, href }] }] });
		local.setItem(`noaber.week.${ROOT}`, JSON.stringify(kept(card.href)));
		expect(rememberedWeek(local, ROOT, { week: '2026-03-09', language: 'nl' })).toBeUndefined();
		local.setItem(`noaber.week.${ROOT}`, JSON.stringify(kept('/agenda/abc')));
		expect(rememberedWeek(local, ROOT, { week: '2026-03-09', language: 'nl' })?.days[0]?.cards[0]?.href).toBe('/agenda/abc');
	});

	it('a week read again is the list drawn before while its cards say the same', () => {
		locale.language = 'nl';
		const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
		const id = createEvent(agenda, weekly({ location: 'Buurthuis', capacity: 2 }), ANNA);
		const ben = { id: BEN.memberId } as Member;
		const week = (): CardDays => {
			const events = readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items;
			return cardDaysOf(byDay(happenings(events, '2026-03-09T00:00', '2026-03-16T00:00')), ben);
		};
		const drawn = week();
		expect(drawn.map((d) => d.label)).toEqual(['dinsdag 10 maart']);
		// Read anew (an older year arrived): new objects, the same words.
		expect(unchangedOr(drawn, week())).toBe(drawn);
		// Ben signs up: his card says so, and the week is drawn again.
		signUp(agenda, id, '2026-03-10T10:00', BEN);
		const after = unchangedOr(drawn, week());
		expect(after).not.toBe(drawn);
		expect(after[0]!.cards[0]).toMatchObject({ mark: 'going', places: 'Nog 1 plaats' });
		// A day more or less is another week too.
		expect(unchangedOr(drawn, [])).toEqual([]);
		expect(unchangedOr(undefined, drawn)).toBe(drawn);
		// The same week in other words, shown in English now: drawn again.
		locale.language = 'en';
		const english = unchangedOr(after, week());
		expect(english).not.toBe(after);
		expect(english[0]!.label).toBe('Tuesday 10 March');
		locale.language = 'nl';
	});

	it('lists the days of a week in words, each happening drawn as the same card as the whole week makes', () => {
		locale.language = 'nl';
		const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
		createEvent(agenda, weekly({ location: 'Buurthuis', capacity: 2 }), ANNA);
		const walk = checkEvent({ ...blankEvent('2026-03-12'), title: 'Wandelgroep' });
		if (!walk.ok) throw new Error(JSON.stringify(walk.errors));
		createEvent(agenda, walk.value, ANNA);
		const ben = { id: BEN.memberId } as Member;
		const events = readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items;
		const week = byDay(happenings(events, '2026-03-09T00:00', '2026-03-16T00:00'));
		const list = listOfHappenings(week, ben);
		const cards = cardDaysOf(week, ben);
		expect(list.days.map((d) => [d.label, d.items.length])).toEqual([
			['dinsdag 10 maart', 1],
			['donderdag 12 maart', 1]
		]);
		expect(list.days.map((d) => d.items.map((h) => list.card(h)))).toEqual(cards.map((d) => d.cards));
		// The week kept on the device is drawn as it was kept.
		const kept = listOfCards(cards);
		expect(kept.days.map((d) => d.items.map((c) => kept.card(c).title))).toEqual([['Koffieochtend'], ['Wandelgroep']]);
	});

	it('makes the card of an event it read before only once, per person and language', () => {
		locale.language = 'nl';
		const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
		const id = createEvent(agenda, weekly({ location: 'Buurthuis', capacity: 2 }), ANNA);
		const ben = { id: BEN.memberId } as Member;
		const events = readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items;
		const [first, second] = happenings(events, '2026-03-09T00:00', '2026-03-23T00:00');
		// The same events, found again in the same window (an older year arrived): the same cards.
		const [again] = happenings(events, '2026-03-09T00:00', '2026-03-23T00:00');
		expect(cardOf(again!, ben)).toBe(cardOf(first!, ben));
		expect(cardOf(second!, ben)).not.toBe(cardOf(first!, ben));
		expect(cardOf(second!, ben).href).toBe(`/agenda/${id}?datum=2026-03-17T10:00`);
		// Ben signs up: the event is read anew, and each person's card says what holds for them.
		signUp(agenda, id, '2026-03-10T10:00', BEN);
		const signed = readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items;
		const [now] = happenings(signed, '2026-03-09T00:00', '2026-03-16T00:00');
		expect(cardOf(now!, ben)).toMatchObject({ mark: 'going', places: 'Nog 1 plaats' });
		expect(cardOf(now!, { id: ANNA.memberId } as Member)).toMatchObject({ mark: '', places: 'Nog 1 plaats' });
		// The event read before Ben signed up still has the card from before.
		expect(cardOf(first!, ben)).toMatchObject({ mark: '', places: 'Nog 2 plaatsen' });
		// Another language: the card in its words.
		locale.language = 'en';
		expect(cardOf(now!, ben).places).not.toBe('Nog 1 plaats');
		locale.language = 'nl';
		expect(cardOf(now!, ben).places).toBe('Nog 1 plaats');
	});
});
