// A happening in the words the agenda lists it with: worked out from the documents here, and kept
// as they are for the next start (device/remembered-week.ts).
import type { Happening } from '$lib/agenda/calendar.ts';
import { formatWallDay } from '$lib/i18n/dates.ts';
import { places, signupStatus } from '$lib/agenda/signups.ts';
import type { Member } from '$lib/members/view.ts';
import type { AgendaCard } from '$lib/device/remembered-week.ts';
import { locale } from '$lib/i18n/language.svelte.ts';
import type { AgendaEvent } from '$lib/agenda/view.ts';
import { agendaCategoryLabel } from './agenda-category.ts';
import { placesText, whenText } from './agenda-text.ts';
import type { AgendaList } from './drawn-days.ts';

/**
 * Cards made, per event and occurrence. The page reads this week again with each older year that
 * arrives (bench/member-device.ts: ten times while the phone is being tapped), and an event's view
 * is replaced, never changed, when its document changes: a card follows from its event, the
 * occurrence (its id says which), the person and the language.
 */
const made = new WeakMap<AgendaEvent, Map<string, AgendaCard>>();

export function cardOf(happening: Happening, me: Member | undefined): AgendaCard {
	const key = `${happening.occurrence.rid}\n${me?.id ?? ''}\n${locale.language}`;
	let cards = made.get(happening.event);
	const kept = cards?.get(key);
	if (kept) return kept;
	const card = makeCard(happening, me);
	if (!cards) made.set(happening.event, (cards = new Map()));
	cards.set(key, card);
	return card;
}

function makeCard({ event, occurrence, off }: Happening, me: Member | undefined): AgendaCard {
	const status = me ? signupStatus(event, occurrence.rid, me.id).kind : 'none';
	return {
		key: `${event.id}${occurrence.rid}`,
		href: `/agenda/${event.id}${occurrence.rid ? `?datum=${occurrence.rid}` : ''}`,
		time: whenText(event, occurrence, { day: false }),
		title: event.title,
		off,
		changed: !off && Boolean(occurrence.override),
		location: occurrence.override?.location || event.location.name,
		category: agendaCategoryLabel(event.category),
		mark: status === 'going' || status === 'waiting' ? status : '',
		places: event.capacity > 0 && !off ? placesText(places(event, occurrence.rid).free) : ''
	};
}

/** The agenda's days, each in words and with its happenings as cards. */
export type CardDays = { day: string; label: string; cards: AgendaCard[] }[];

export function cardDaysOf(days: { day: string; items: Happening[] }[], me: Member | undefined): CardDays {
	return days.map(({ day, items }) => ({ day, label: formatWallDay(day), cards: items.map((h) => cardOf(h, me)) }));
}

/** The agenda's days in words, with their happenings made into cards only as they are drawn. */
export function listOfHappenings(days: { day: string; items: Happening[] }[], me: Member | undefined): AgendaList<Happening> {
	return { days: days.map(({ day, items }) => ({ day, label: formatWallDay(day), items })), card: (happening) => cardOf(happening, me) };
}

const sameCard = (a: AgendaCard, b: AgendaCard) => a === b || (Object.keys(a) as (keyof AgendaCard)[]).every((key) => a[key] === b[key]);

/**
 * `before` when `next` says the same: the agenda is read again whenever any document changes (each
 * older year that arrives), and a week that did not change is then not drawn again.
 */
export function unchangedOr(before: CardDays | undefined, next: CardDays): CardDays {
	const same =
		before !== undefined &&
		before.length === next.length &&
		before.every((group, i) => group.day === next[i]!.day && group.label === next[i]!.label && group.cards.length === next[i]!.cards.length && group.cards.every((card, j) => sameCard(card, next[i]!.cards[j]!)));
	return same ? before : next;
}
