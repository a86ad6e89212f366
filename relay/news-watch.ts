// Watches every help and agenda document the relay holds and says what news each change made
// ("Bert responded to Henk's request"), so phone notifications and digests can follow. The news
// itself comes from the domain modules (src/lib/news/news.ts): the relay and the app agree on
// what happened, to whom, with the same ids.
import type { AutomergeUrl, DocHandle, DocHandleChangePayload, Repo } from '@automerge/automerge-repo/slim';
import { isRecord, textOf } from '../src/lib/automerge/fields.ts';
import type { NewsItem } from '../src/lib/news/item.ts';
import { audience, newsMadeBy } from '../src/lib/news/news.ts';
import { readMembers, type Member } from '../src/lib/members/view.ts';
import { readPosts, type Post } from '../src/lib/help/view.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';

export type NewsCallback = (neighbourhood: string, item: NewsItem) => void;

export interface NewsWatchOptions {
	/** The neighbourhood that owns a document, if any. */
	neighbourhoodOf: (documentId: string) => string | undefined;
	/** Its members, those who left included, to leave out news nobody is left to hear; undefined when they cannot be read. */
	membersOf: (neighbourhood: string) => Promise<Member[] | undefined>;
	onNews: NewsCallback;
	log: Logger;
}

/** The part of automerge-repo 2.5.6's CollectionSynchronizer (marked @hidden) every new handle passes. */
interface Collection {
	addDocument(handle: DocHandle<unknown>): void;
}

/** A help quarter or an agenda document, by what it holds; archives and everything else make no news. */
function moduleOf(doc: unknown): 'help' | 'agenda' | undefined {
	if (!isRecord(doc)) return undefined;
	if ('events' in doc) return 'agenda';
	if ('posts' in doc && !('year' in doc)) return 'help';
	return undefined;
}

export class NewsWatch {
	#options: NewsWatchOptions;
	#watched = new WeakSet<DocHandle<unknown>>();
	// One after the other, so the callback hears the news of one document in the order it happened.
	#queue: Promise<void> = Promise.resolve();

	constructor(repo: Repo, options: NewsWatchOptions) {
		this.#options = options;
		// Every handle, also one loaded again after idle unloading (a new handle each time), is
		// registered with the synchronizer: wrapped on this repo only, never on a shared prototype.
		const collection = repo.synchronizer as unknown as Collection;
		const add = collection.addDocument.bind(collection);
		collection.addDocument = (handle) => {
			add(handle);
			this.#watch(handle);
		};
		for (const handle of Object.values(repo.handles)) this.#watch(handle as DocHandle<unknown>);
	}

	/** Resolves when the news of every change seen so far has been handed on. */
	settled(): Promise<void> {
		return this.#queue;
	}

	#watch(handle: DocHandle<unknown>) {
		if (this.#watched.has(handle)) return;
		this.#watched.add(handle);
		handle.on('change', (payload) => this.#changed(handle, payload));
	}

	#changed(handle: DocHandle<unknown>, { patches, patchInfo }: DocHandleChangePayload<unknown>) {
		try {
			// A document loaded from disk (again, after idle unloading) holds what was told before. In
			// automerge-repo 2.5.6 its handle emits that load as a change while still "loading"; a
			// document new to the relay arrives while "requesting", and its news is new.
			if (handle.state === 'loading') return;
			const module = moduleOf(patchInfo.after);
			if (!module) return;
			const neighbourhood = this.#options.neighbourhoodOf(handle.documentId);
			if (!neighbourhood) return;
			const items = newsMadeBy({ module, url: handle.url, before: patchInfo.before, after: patchInfo.after, patches });
			if (items.length === 0) return;
			this.#queue = this.#queue.then(() => this.#tell(neighbourhood, items));
		} catch (error) {
			this.#failed(error, handle.documentId);
		}
	}

	async #tell(neighbourhood: string, items: NewsItem[]) {
		try {
			const members = await this.#options.membersOf(neighbourhood);
			const told = members ? items.filter((item) => audience(item, members).length > 0) : items;
			this.#options.log.debug({ neighbourhood, items: told.length }, 'news');
			for (const item of told) {
				try {
					this.#options.onNews(neighbourhood, item);
				} catch (error) {
					this.#failed(error);
				}
			}
		} catch (error) {
			this.#failed(error);
		}
	}

	#failed(error: unknown, documentId?: string) {
		// Only the kind of error: a message could quote document content.
		const name = error instanceof Error ? error.name : 'Error';
		this.#options.log.warn({ documentId, error: name }, 'news could not be worked out');
	}
}

/** The members of a neighbourhood as the relay holds them: its root lists the members document. */
export function membersFrom(repo: Repo, registry: Pick<Registry, 'find'>, { includeLeft = false } = {}): (neighbourhood: string) => Promise<Member[] | undefined> {
	const open = async (url: string) => {
		const handle = await repo.find(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		return handle.isReady() ? handle.doc() : undefined;
	};
	const readOnce = new WeakMap<object, Member[]>();
	return async (neighbourhood) => {
		const rootUrl = registry.find(neighbourhood)?.root;
		const root = rootUrl ? await open(rootUrl) : undefined;
		const docs = isRecord(root) && isRecord(root.docs) ? root.docs : undefined;
		const membersUrl = docs ? textOf(docs.members) : '';
		if (!membersUrl.startsWith('automerge:')) return undefined;
		const members = await open(membersUrl);
		if (!isRecord(members)) return undefined;
		// Read once per version of the document: every change's news and every push text asks.
		let read = readOnce.get(members);
		if (!read) {
			read = readMembers(members, { includeLeft }).items;
			readOnce.set(members, read);
		}
		return read;
	};
}

/** The neighbourhood's help posts (its live quarters, as its root lists them) and members. */
export function boardFrom(repo: Repo, registry: Pick<Registry, 'find'>): (neighbourhood: string) => Promise<{ posts: Post[]; members: Member[] } | undefined> {
	const members = membersFrom(repo, registry);
	const open = async (url: string) => {
		const handle = await repo.find(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		return handle.isReady() ? handle.doc() : undefined;
	};
	return async (neighbourhood) => {
		const rootUrl = registry.find(neighbourhood)?.root;
		const root = rootUrl ? await open(rootUrl) : undefined;
		const help = isRecord(root) && isRecord(root.docs) && isRecord(root.docs.help) ? Object.keys(root.docs.help).filter((url) => url.startsWith('automerge:')) : [];
		const quarters = await Promise.all(help.map(async (url) => ({ url, doc: await open(url) })));
		const people = await members(neighbourhood);
		if (!people) return undefined;
		return { posts: readPosts(quarters.filter((q) => q.doc !== undefined)).items, members: people };
	};
}
