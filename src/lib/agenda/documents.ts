// The agenda's documents: the repeating series and one per year. The series and the years around
// today open first, older years after; all are read away from the page where the browser can, and
// pages change them through the agenda's actions.
import type { DocumentsDeclaration, Listed } from '../automerge/module-documents.svelte.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { todayWall } from './calendar.ts';
import { agendaActions } from './actions.ts';
import type { AgendaDoc } from './document.ts';
import { agendaLoadOrder } from './periods.ts';
import { combineEvents, readEvents, type EventsRead } from './view.ts';

const isPeriod = (entry: Listed): entry is Required<Listed> => entry.period !== undefined;

export const agendaDocuments: DocumentsDeclaration<RootIndex, AgendaDoc, EventsRead> = {
	listed: ({ agenda }) => agenda,
	order: (fresh, now) => agendaLoadOrder(fresh.filter(isPeriod), todayWall(now)),
	page: '/agenda',
	read: readEvents,
	combine: combineEvents,
	actions: agendaActions
};
