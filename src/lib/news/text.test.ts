import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from '../agenda/document.ts';
import { blankEvent, cancelEvent, cancelSignup, checkEvent, createEvent, editEvent, signUp, skipOccurrence, type EventInput } from '../agenda/mutations.ts';
import { agendaNews } from '../agenda/news.ts';
import { readEvents } from '../agenda/view.ts';
import type { HelpDoc } from '../help/document.ts';
import { accept, blankPost, createPost, markDone, respond, thank } from '../help/mutations.ts';
import { helpNews } from '../help/news.ts';
import { readPosts } from '../help/view.ts';
import type { Member } from '../members/view.ts';
import { NEWS_KINDS, type NewsItem } from './item.ts';
import { textsIn } from '../i18n/every-language.ts';
import type { Language } from '../i18n/texts.ts';
import { firstNames, newsText } from './text.ts';

const PHONE = '0612345678';
const STREET = 'Lindenlaan 4';
const SECRET = 'sleutel onder de mat';

const henk = 'henk-000001';
const ingrid = 'ingrid-0001';
const bert = 'bert-000001';
const vera = 'vera-000001';

const member = (id: string, name: string, managedBy?: string): Member => ({
	id,
	name,
	area: STREET,
	phone: PHONE,
	phoneVisibility: 'members', areaVisibility: 'members',
	helpWith: [],
	helpNote: SECRET,
	joinedAt: '2026-01-01T00:00:00.000Z',
	updatedAt: '',
	...(managedBy ? { managedBy } : {})
});
const firstName = firstNames([member(henk, 'Henk Jansen', ingrid), member(ingrid, 'Ingrid de Boer'), member(bert, 'Bert Smit'), member(vera, 'Vera Kok')]);

const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 11, day, 9, minute));

/** Items of every kind the help board and the agenda make, from posts and events full of private details. */
function everyKind(): NewsItem[] {
	const board = new LocalDoc<HelpDoc>({ period: imm('2026Q4'), posts: {} });
	for (const kind of ['request', 'offer'] as const) {
		const input = { ...blankPost(kind), category: 'boodschappen', title: `Boodschappen, ${STREET}`, description: `Bel ${PHONE}`, where: STREET };
		const post = createPost(board, input, { memberId: henk, actedBy: ingrid }, at(1));
		const response = respond(board, post, `Mijn nummer is ${PHONE}, ${SECRET}`, { memberId: bert }, at(1, 1))!;
		accept(board, post, response, { memberId: henk, actedBy: ingrid }, at(1, 2));
		markDone(board, post, { memberId: bert }, at(1, 3));
		thank(board, post, `Dank! ${SECRET}`, { memberId: henk }, at(1, 4));
	}
	const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
	const form = (changes: Partial<EventInput>): EventInput => {
		const result = checkEvent({ ...blankEvent('2026-12-10'), title: 'Koffieochtend', location: STREET, contact: PHONE, ...changes });
		if (!result.ok) throw new Error('form');
		return result.value;
	};
	const weekly = form({ capacity: 1, repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 } });
	const series = createEvent(agenda, weekly, { memberId: vera }, at(1));
	const first = signUp(agenda, series, '', { memberId: bert }, at(2))!;
	signUp(agenda, series, '', { memberId: henk, actedBy: ingrid }, at(2, 1));
	skipOccurrence(agenda, series, '2026-12-17T10:00', SECRET, { memberId: vera }, at(3));
	editEvent(agenda, series, { ...weekly, description: SECRET }, { memberId: vera }, at(4));
	cancelSignup(agenda, series, first, { memberId: bert }, at(5));
	const once = createEvent(agenda, form({}), { memberId: vera }, at(1));
	signUp(agenda, once, '', { memberId: henk }, at(2));
	cancelEvent(agenda, once, `Bel ${PHONE}`, { memberId: vera }, at(3));
	const items = [
		...helpNews(readPosts([{ url: 'automerge:help', doc: board.doc }]).items),
		...agendaNews(readEvents([{ url: 'automerge:agenda', doc: agenda.doc }]).items),
		{ id: `approval-waiting:${bert}`, kind: 'approval-waiting', for: vera, at: at(6).toISOString(), actor: bert, subject: { module: 'members', id: bert }, path: '/leden/aanmeldingen', group: 'members' },
		{ id: 'report:r1', kind: 'report', for: vera, at: at(6).toISOString(), actor: bert, subject: { module: 'reports', id: 'r1' }, path: '/leden', group: 'reports' }
	] satisfies NewsItem[];
	return items;
}

describe('news texts', () => {
	const items = everyKind();

	it('cover every kind', () => {
		expect(new Set(items.map((n) => n.kind))).toEqual(new Set(NEWS_KINDS));
	});

	it('never carry a phone number, address or message, in either language, for the member or their intermediary', () => {
		for (const item of items) {
			for (const language of ['nl', 'en'] as Language[]) {
				for (const viewer of [item.for, ingrid]) {
					const text = newsText(item, { texts: textsIn(language), viewer, firstName });
					expect(text).not.toMatch(/06|1234|Lindenlaan|sleutel|Bel |Dank|Jansen|Smit|undefined|\{|news\./);
					expect(text.length).toBeGreaterThan(8);
				}
			}
		}
	});

	it('read as a neighbour would say it', () => {
		const text = (kind: string, viewer: string, language: Language = 'nl', postKind = 'request') =>
			items
				.filter((n) => n.kind === kind && (n.subject.postKind ?? 'request') === postKind)
				.map((n) => newsText(n, { texts: textsIn(language), viewer, firstName }));
		expect(text('response', henk)).toEqual(['Bert wil helpen met uw boodschappen']);
		expect(text('response', ingrid)).toEqual(['Henk: Bert wil helpen met boodschappen']);
		expect(text('response', henk, 'en')).toEqual(['Bert would like to help with your groceries']);
		expect(text('accepted', bert, 'nl', 'offer')).toEqual(['Henk helpt u met boodschappen']);
		expect(text('moved-up', ingrid)).toEqual(['Henk heeft een plek bij Koffieochtend']);
		expect(text('event-changed', henk)).toEqual(['Er is iets veranderd bij Koffieochtend op donderdag 17 december', 'Er is iets veranderd bij Koffieochtend']);
		expect(text('event-cancelled', henk, 'en')).toEqual(['Koffieochtend is cancelled']);
	});

	it('name a neighbour it does not know kindly', () => {
		const item = items.find((n) => n.kind === 'response' && n.subject.postKind === 'request')!;
		expect(newsText({ ...item, actor: 'gone-000001' }, { texts: textsIn('nl'), viewer: item.for, firstName })).toBe('Een buur wil helpen met uw boodschappen');
	});
});
