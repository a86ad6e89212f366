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

/** What a listed document holds, by the index of the root that lists it. */
export type DocumentKind = 'members' | 'help' | 'helpArchive' | 'helpSealed' | 'agenda' | 'map';

/** The kind of document `url` is in this root's lists, or undefined when the root does not list it. */
export function documentKind(root: unknown, url: string): DocumentKind | undefined {
	const docs = isRecord(root) ? root.docs : undefined;
	if (!isRecord(docs)) return undefined;
	const members = v.safeParse(DOCS.members, docs.members);
	if (members.success && members.output === url) return 'members';
	// Sealed is checked before help: a sealed quarter stays in the help index too.
	if (read(DOCS.helpSealed, docs.helpSealed).includes(url)) return 'helpSealed';
	if (read(DOCS.help, docs.help).some((d) => d.url === url)) return 'help';
	if (read(DOCS.helpArchive, docs.helpArchive).some((d) => d.url === url)) return 'helpArchive';
	if (read(DOCS.agenda, docs.agenda).some((d) => d.url === url)) return 'agenda';
	if (read(DOCS.map, docs.map).some((d) => d.url === url)) return 'map';
	return undefined;
}
