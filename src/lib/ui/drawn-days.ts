// The agenda's list as AgendaDays draws it: days in words, each with what happens on it, and how
// one of those becomes a card. A week of a busy neighbourhood is a couple of hundred happenings;
// AgendaDays draws the first screenful at once and the rest in steps, and makes a card only as it
// draws it (bench/member-device.ts: making all of this week's cards was a quarter of the task in
// which this week arrived on the cheap phone, with eight of them drawn).
import type { AgendaCard } from '$lib/device/remembered-week.ts';
import type { CardDays } from './agenda-card.ts';

export interface AgendaDay<T> {
	day: string;
	label: string;
	items: T[];
}

export interface AgendaList<T> {
	days: AgendaDay<T>[];
	// A method, not a function property: a list of cards and a list of happenings are both an
	// `AgendaList<unknown>` to the component that draws either.
	card(item: T): AgendaCard;
}

/** Cards made before (the week as this device last showed it), drawn as they are. */
export function listOfCards(days: CardDays): AgendaList<AgendaCard> {
	return { days: days.map(({ day, label, cards }) => ({ day, label, items: cards })), card: (card) => card };
}
