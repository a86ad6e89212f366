// `noaber report`: the "Cijfers" for the operator (a municipality or welfare organisation that
// hosts several neighbourhoods), per month, over every neighbourhood on this relay or one of them.
// The same figures as the managers' "Cijfers" page, from the same module (src/lib/figures), read
// from the stored documents through the modules' views. Counts only; under five shows as "<5".
import { parseArgs } from 'node:util';
import * as A from '@automerge/automerge/slim';
import { monthlyFigures } from '../src/lib/figures/monthly.ts';
import { figureRows, MEASURES, type FigureRow, type Measure } from '../src/lib/figures/shown.ts';
import { figureSourcesOf, together } from '../src/lib/figures/sources.ts';
import type { FigureSources } from '../src/lib/figures/monthly.ts';
import type { RelayConfig } from './config.ts';
import { Registry } from './registry.ts';
import { readStored } from './stored-document.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

type Out = { log: (line: string) => void; error: (line: string) => void };

const USAGE = 'noaber report [<id|name>] [--json]';

/** The measures' names in the text table, in the order the page shows them. */
const LABEL: Record<Measure, string> = {
	membersJoined: 'members joined',
	membersLeft: 'members left',
	membersActive: 'members active',
	requestsMade: 'requests made',
	requestsMatched: 'requests matched',
	requestsDone: 'requests done',
	offersMade: 'offers made',
	offersMatched: 'offers matched',
	offersDone: 'offers done',
	firstResponseHours: 'hours to a first response (median)',
	newActivities: 'new activities',
	signups: 'sign-ups',
	waitingList: 'on a waiting list',
	mapAdded: 'social map: added',
	mapChecked: 'social map: checked'
};

async function sourcesOf(config: RelayConfig, registry: Registry, id: string, root: string): Promise<FigureSources | undefined> {
	const documents = new Map<string, unknown>();
	const rootId = documentIdOf(root);
	for (const documentId of registry.documentsOf(id)) {
		const doc = await readStored(config.data, documentId).catch(() => undefined);
		if (doc) documents.set(documentId, doc);
	}
	try {
		return figureSourcesOf(rootId, documents);
	} finally {
		for (const doc of documents.values()) A.free(doc as A.Doc<unknown>);
	}
}

const valueText = (row: FigureRow) => (row.value === 'few' ? '<5' : String(row.value));

export async function runReport(argv: string[], config: RelayConfig, out: Out): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
	} catch (error) {
		out.error(`${(error as Error).message}\nUsage: ${USAGE}`);
		return 2;
	}
	const registry = new Registry(config.data);
	const which = parsed.positionals.join(' ').trim();
	const records = which ? [registry.find(which)].filter((r) => r !== undefined) : registry.list();
	if (which && records.length === 0) {
		out.error(`No neighbourhood "${which}" on this relay. See: noaber list`);
		return 1;
	}
	const all: FigureSources[] = [];
	for (const record of records) {
		const sources = await sourcesOf(config, registry, record.id, record.root);
		if (sources) all.push(sources);
	}
	const rows = figureRows(monthlyFigures(together(all)));
	if (parsed.values.json) {
		out.log(JSON.stringify({ neighbourhoods: all.length, smallestShown: 5, rows: rows.map((r) => ({ ...r, value: r.value === 'few' ? '<5' : r.value })) }));
		return 0;
	}
	out.log(`Cijfers / figures: ${all.length} ${all.length === 1 ? 'neighbourhood' : 'neighbourhoods'}. Counts under 5 show as <5.`);
	const months = [...new Set(rows.map((r) => r.month))];
	if (months.length === 0) out.log('Nothing to count yet.');
	for (const month of months) {
		out.log(`\n${month}`);
		for (const measure of MEASURES) {
			for (const row of rows.filter((r) => r.month === month && r.measure === measure)) {
				out.log(`  ${LABEL[measure]}${row.category ? ` (${row.category})` : ''}: ${valueText(row)}`);
			}
		}
	}
	return 0;
}
