// One short, kind sentence per news item, in the reader's language: for "Nieuw voor u", the
// bellijst, a phone notification and the e-mail digest. The language is a parameter because the
// relay writes for many members at once. Built only from first names, a help post's category and
// an activity's title and date: never a phone number, address or message.
import { m } from '../paraglide/messages.js';
import type { Member } from '../members/view.ts';
import type { NewsItem } from './item.ts';

export type NewsLanguage = 'nl' | 'en';

type Message = (inputs: Record<string, string>, options: { locale: NewsLanguage }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

function say(key: string, inputs: Record<string, string>, language: NewsLanguage): string {
	const message = messages[key];
	return message ? message(inputs, { locale: language }) : key;
}

export interface NewsTextContext {
	language: NewsLanguage;
	/** Who reads it: news for anyone else is about a resident they act for, and names them. */
	viewer: string;
	/** A member's first name, or undefined when unknown (a neighbour who left). */
	firstName: (memberId: string) => string | undefined;
}

/** First names by member id, from the members read from the members document. */
export function firstNames(members: Member[]): (memberId: string) => string | undefined {
	const byId = new Map(members.map((member) => [member.id, member.name.trim().split(/\s+/)[0]]));
	return (memberId) => byId.get(memberId) || undefined;
}

/** "boodschappen": the category's label as it reads inside a sentence. */
function what(category: string | undefined, language: NewsLanguage): string {
	if (!category || category === 'iets-anders') return say('news.anything', {}, language);
	const key = `category.${category}`;
	// Custom categories are shown as the manager typed them.
	if (!messages[key]) return category;
	const label = say(key, {}, language);
	return label.charAt(0).toLocaleLowerCase(language) + label.slice(1);
}

/** "donderdag 17 december" for an occurrence's wall-clock start, as it is (already Amsterdam time). */
export function occurrenceDay(wall: string, language: NewsLanguage): string {
	const date = new Date(`${wall.slice(0, 10)}T12:00:00Z`);
	if (Number.isNaN(date.getTime())) return '';
	const tag = language === 'nl' ? 'nl-NL' : 'en-GB';
	return new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

function form(item: NewsItem, mine: boolean): string {
	const who = mine ? 'You' : 'Resident';
	if (item.kind === 'response' || item.kind === 'accepted') return `${item.subject.postKind === 'offer' ? 'offer' : 'request'}${who}`;
	if (item.kind === 'approval-waiting' || item.kind === 'report') return 'you';
	const dated = item.subject.occurrence && occurrenceDay(item.subject.occurrence, 'nl') ? 'Date' : '';
	return `${who.toLowerCase()}${dated}`;
}

/** The sentence for one item, as the viewer reads it. */
export function newsText(item: NewsItem, context: NewsTextContext): string {
	const { language } = context;
	const name = (id: string | undefined) => (id && context.firstName(id)) || say('news.someone', {}, language);
	const mine = item.for === context.viewer;
	const inputs: Record<string, string> = {
		name: name(item.actor),
		resident: name(item.for),
		what: what(item.subject.category, language),
		title: item.subject.title ?? '',
		date: item.subject.occurrence ? occurrenceDay(item.subject.occurrence, language) : ''
	};
	return say(`news.${item.kind}.${form(item, mine)}`, inputs, language);
}

/** First names from the names of everyone who ever took part (the app's `names`). */
export function firstNamesOf(names: ReadonlyMap<string, string>): (memberId: string) => string | undefined {
	return (memberId) => names.get(memberId)?.trim().split(/\s+/)[0] || undefined;
}
