// Reading the neighbourhood's documents runs code the page has not run before. On the cheap phone
// (bench/member-device.ts --trace) reading the root for the first time took about 80 ms of the task
// it arrived in, and the agenda's first year more, most of it the checks compiling as they ran.
// While an invited resident reads the invitation and types a name, small samples of a root and of
// an agenda go once through the same readers, each a step of its own when the page is idle
// (automerge/warm-up.ts), and the date formats the pages show are made.
import * as A from '@automerge/automerge/slim';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from '../agenda/document.ts';
import { agendaDocuments } from '../agenda/documents.ts';
import { blankEvent, checkEvent, createEvent } from '../agenda/mutations.ts';
import { todayWall } from '../agenda/window.ts';
import { prepareDates } from '../i18n/dates.ts';
import type { RootDoc } from './document.ts';
import { newRootDoc } from './create.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood, type RootRead } from './view.ts';

const SAMPLE_URL = 'automerge:2ZfEUGsdCEYHXsA7YCCfT6qTp5Pw';
const SAMPLE_MEMBER = { memberId: 'warm-0000-0001' };

/** A root as a new neighbourhood has it (`newRootDoc`), with the series of the agenda listed. */
export function sampleRoot(): A.Doc<RootDoc> {
	const root = new LocalDoc<RootDoc>(
		newRootDoc(
			{ ...emptyDetails('Voorbeeldbuurt'), contactPhone: '020 123 4567' },
			{ id: '0123456789abcdef0123456789abcdef', members: SAMPLE_URL, map: SAMPLE_URL, relays: ['wss://relay.example/sync'], manager: SAMPLE_MEMBER.memberId, now: '2026-01-01T10:00:00.000Z' }
		)
	);
	root.change((doc) => {
		doc.docs.agenda[SAMPLE_URL] = imm('series');
	});
	return root.doc;
}

/** An agenda document with a weekly series that has a time this week. */
export function sampleAgenda(now = new Date()): A.Doc<AgendaDoc> {
	const agenda = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
	const input = checkEvent({
		...blankEvent(todayWall(now).slice(0, 10)),
		title: 'Koffieochtend',
		repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }
	});
	if (!input.ok) throw new Error('the sample activity is not valid');
	createEvent(agenda, input.value, SAMPLE_MEMBER, now);
	return agenda.doc;
}

/** The steps, for `warmUp`: what each returns is what a page reads from such a document. */
export function warmReading(now = new Date()): { root: () => RootRead; agenda: () => ReturnType<typeof agendaDocuments.read>; dates: () => void } {
	return {
		root: () => readNeighbourhood(sampleRoot()),
		agenda: () => agendaDocuments.read([{ url: SAMPLE_URL, doc: sampleAgenda(now) }]),
		dates: prepareDates
	};
}
