// One short, kind sentence per news item, in the reader's language: for "Nieuw voor u", the
// bellijst, a phone notification and the e-mail digest. The texts are a parameter because the
// relay writes for many members at once. Built only from first names, a help post's category and
// an activity's title and date: never a phone number, address or message.
import type { Member } from '../members/view.ts';
import { categoryLabel, say, type Language, type Texts } from '../i18n/texts.ts';
import type { NewsItem } from './item.ts';

export interface NewsTextContext {
	/** The reader's language: the app's loaded texts, or the relay's for a member. */
	texts: Texts;
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
function what(category: string | undefined, texts: Texts): string {
	if (!category || category === 'iets-anders') return say(texts, 'news.anything');
	const label = categoryLabel(texts, category);
	// Custom categories (no text of ours) are shown as the manager typed them.
	if (label === category) return category;
	return label.charAt(0).toLocaleLowerCase(texts.language) + label.slice(1);
}

/** "donderdag 17 december" for an occurrence's wall-clock start, as it is (already Amsterdam time). */
export function occurrenceDay(wall: string, language: Language): string {
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
	const { texts } = context;
	const name = (id: string | undefined) => (id && context.firstName(id)) || say(texts, 'news.someone');
	const mine = item.for === context.viewer;
	const inputs: Record<string, string> = {
		name: name(item.actor),
		resident: name(item.for),
		what: what(item.subject.category, texts),
		title: item.subject.title ?? '',
		date: item.subject.occurrence ? occurrenceDay(item.subject.occurrence, texts.language) : ''
	};
	return say(texts, `news.${item.kind}.${form(item, mine)}`, inputs);
}

/** First names from the names of everyone who ever took part (the app's `names`). */
export function firstNamesOf(names: ReadonlyMap<string, string>): (memberId: string) => string | undefined {
	return (memberId) => names.get(memberId)?.trim().split(/\s+/)[0] || undefined;
}
