// A member's news as the relay reads it, for the e-mail digest: the neighbourhood's live help
// quarters and agenda documents (listed in its root document), through the same newsFor as the
// app's "Nieuw voor u". Whom an intermediary acts for comes from the relay's access book.
import type { AutomergeUrl, Repo } from '@automerge/automerge-repo/slim';
import { readEvents } from '../../src/lib/agenda/view.ts';
import { isRecord } from '../../src/lib/automerge/fields.ts';
import { readPosts } from '../../src/lib/help/view.ts';
import { newsFor, type NewsSources } from '../../src/lib/news/news.ts';
import type { AccessBook } from '../access-book.ts';
import type { Registry } from '../registry.ts';
import type { NewsOf } from './digests.ts';

/** A digest round reads each neighbourhood's documents once, not once per member. */
const FRESH_MS = 60_000;

export function relayNewsOf(repo: Repo, registry: Pick<Registry, 'find'>, book: Pick<AccessBook, 'member'>): NewsOf {
	const cache = new Map<string, { at: number; sources: Promise<NewsSources> }>();
	const open = async (url: string): Promise<unknown> => {
		const handle = await repo.find(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		return handle.isReady() ? handle.doc() : undefined;
	};
	const read = async (neighbourhood: string): Promise<NewsSources> => {
		const rootUrl = registry.find(neighbourhood)?.root;
		const root = rootUrl ? await open(rootUrl) : undefined;
		const docs = isRecord(root) && isRecord(root.docs) ? root.docs : {};
		const urls = (index: unknown) => (isRecord(index) ? Object.keys(index).filter((url) => url.startsWith('automerge:')) : []);
		const load = (list: string[]) => Promise.all(list.map(async (url) => ({ url, doc: await open(url) })));
		const [help, agenda] = await Promise.all([load(urls(docs.help)), load(urls(docs.agenda))]);
		return {
			posts: readPosts(help.filter((s) => s.doc !== undefined)).items,
			events: readEvents(agenda.filter((s) => s.doc !== undefined)).items
		};
	};
	return async (neighbourhood, member, since) => {
		// Only for the round at hand: the documents stay the repo's to keep or unload.
		for (const [id, entry] of cache) if (Date.now() - entry.at > FRESH_MS) cache.delete(id);
		let held = cache.get(neighbourhood);
		if (!held || Date.now() - held.at > FRESH_MS) {
			held = { at: Date.now(), sources: read(neighbourhood) };
			cache.set(neighbourhood, held);
		}
		const viewer = { member, actsFor: book.member(neighbourhood, member)?.actsFor ?? [] };
		return newsFor(viewer, await held.sources, since.toISOString());
	};
}
