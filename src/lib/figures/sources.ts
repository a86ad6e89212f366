// The figures' inputs from a neighbourhood's loaded documents (by document id), read through the
// modules' own views as the export's readable copies are: for the operator's `noaber report`.
import { readEvents } from '../agenda/view.ts';
import { readPosts } from '../help/view.ts';
import { readMap } from '../map/view.ts';
import { readMembers } from '../members/view.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import type { FigureSources } from './monthly.ts';

/** Undefined when the root cannot be read: such a neighbourhood has no figures to give. */
export function figureSourcesOf(rootId: string, documents: ReadonlyMap<string, unknown>): (FigureSources & { name: string }) | undefined {
	const byUrl = new Map<string, unknown>();
	for (const [id, doc] of documents) byUrl.set(`automerge:${id}`, doc);
	const read = readNeighbourhood(byUrl.get(`automerge:${rootId}`));
	if (!read.ok) return undefined;
	const { neighbourhood } = read;
	const loaded = (url: string) => (byUrl.has(url) ? [{ url, doc: byUrl.get(url) }] : []);
	return {
		name: neighbourhood.name,
		members: readMembers(byUrl.get(neighbourhood.docs.members), { includeLeft: true }).items,
		posts: readPosts([...neighbourhood.docs.help, ...neighbourhood.docs.helpArchive].flatMap(({ url }) => loaded(url))).items,
		events: readEvents(neighbourhood.docs.agenda.flatMap(({ url }) => loaded(url))).items,
		services: readMap(neighbourhood.docs.map.flatMap(({ url }) => loaded(url).map((s) => s.doc))).services
	};
}

/** Several neighbourhoods as one: figures over all of them (a municipality's view), counted once. */
export function together(all: readonly FigureSources[]): FigureSources {
	return {
		members: all.flatMap((s) => s.members),
		posts: all.flatMap((s) => s.posts),
		events: all.flatMap((s) => s.events),
		services: all.flatMap((s) => s.services)
	};
}
