// The agenda's documents: the repeating series and one per year. The series and the years around
// today open first, older years after; all are read away from the page where the browser can, and
// pages change them through the agenda's actions.
import type { DocumentsDeclaration, Listed } from '../automerge/module-documents.svelte.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { adoptSeriesWeek, seriesWeek } from './calendar.ts';
import { todayWall, windowOf } from './window.ts';
import { agendaActions, type AgendaActions } from './actions.ts';
import type { AgendaDoc } from './document.ts';
import { agendaLoadOrder, freshAgendaDoc } from './periods.ts';
import { eventsReaching, eventsSpan, shownFirst } from './span.ts';
import { combineEvents, piecesOf, readEvents, type EventsRead } from './view.ts';

// A read is kept per document until it changes: so is its week, until the week is another.
const withWeek = new WeakMap<EventsRead, { from: string; read: EventsRead }>();
function withSeriesWeek(read: EventsRead, now = new Date()): EventsRead {
	const window = windowOf('week', todayWall(now));
	const kept = withWeek.get(read);
	if (kept?.from === window.from) return kept.read;
	const week = seriesWeek(read.items, window);
	const made = week ? { ...read, seriesWeek: week } : read;
	withWeek.set(read, { from: window.from, read: made });
	return made;
}

const isPeriod = (entry: Listed): entry is Required<Listed> => entry.period !== undefined;

export const agendaDocuments: DocumentsDeclaration<RootIndex, AgendaDoc, EventsRead, AgendaActions> = {
	listed: ({ agenda }) => agenda,
	order: (fresh, now) => agendaLoadOrder(fresh.filter(isPeriod), todayWall(now)),
	page: '/agenda',
	read: (docs) => withSeriesWeek(readEvents(docs)),
	combine: (views) => {
		for (const view of views) if (view.seriesWeek) adoptSeriesWeek(view.items, view.seriesWeek);
		return combineEvents(views);
	},
	pieces: (view) => piecesOf(view),
	// Older years stay in the background until a page shows a day they cover.
	span: (view) => eventsSpan(view.items),
	// This year's document comes with this month and on: a year is 1.3 MB read (bench/member-device.ts).
	firstShown: (now) => shownFirst(todayWall(now)),
	within: (view, span) => ({ ...view, items: eventsReaching(view.items, span) }),
	actions: agendaActions,
	// An event goes into its start's year, or the series' document.
	adds: { listedIn: 'agenda', fresh: freshAgendaDoc }
};
