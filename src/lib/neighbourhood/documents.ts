// Which documents a root lists as its neighbourhood's own: members, help quarters and archives,
// agenda years and series, the map. The relay decides with this which neighbourhood a document id
// belongs to, so it reads every index with the very field schemas the app reads the root with
// (RootView in schema.ts), one index at a time: an index a peer broke drops only itself, and a
// root the app cannot show (a poisoned version, a missing id) still lists what it can.
import * as v from 'valibot';
import { isRecord } from '../automerge/fields.ts';
import { RootView } from './schema.ts';

const DOCS = RootView.entries.docs.entries;

function read<T>(schema: v.GenericSchema<unknown, T[]>, value: unknown): T[] {
	const result = v.safeParse(schema, value);
	return result.success ? result.output : [];
}

/** The automerge URLs the root lists, each once. The root's own URL is not in it. */
export function listedDocuments(root: unknown): string[] {
	const docs = isRecord(root) ? root.docs : undefined;
	if (!isRecord(docs)) return [];
	const urls = new Set<string>();
	const members = v.safeParse(DOCS.members, docs.members);
	// The schema reads a missing or broken members address as '' so the app can look further.
	if (members.success && members.output !== '') urls.add(members.output);
	for (const { url } of [
		...read(DOCS.help, docs.help),
		...read(DOCS.helpArchive, docs.helpArchive),
		...read(DOCS.agenda, docs.agenda),
		...read(DOCS.map, docs.map)
	]) {
		urls.add(url);
	}
	for (const url of read(DOCS.helpSealed, docs.helpSealed)) urls.add(url);
	return [...urls];
}
