// News for one member ("Nieuw voor u", the bellijst) and the news one change made (the relay's
// pushes), composed from what each domain module says its happenings are.
import { agendaNews, eventNews } from '../agenda/news.ts';
import { readEvents, type AgendaEvent } from '../agenda/view.ts';
import { isRecord } from '../automerge/fields.ts';
import { helpNews, postNews } from '../help/news.ts';
import { readPosts, type Post } from '../help/view.ts';
import type { Member } from '../members/view.ts';
import type { NewsItem } from './item.ts';

/** Who is looking: a member, and the residents they are intermediary for. */
export interface Viewer {
	member: string;
	actsFor: string[];
}

export interface NewsSources {
	posts?: Post[];
	events?: AgendaEvent[];
}

/** What the viewer did themself, or pressed the button for, they know already. */
export const ownAct = (viewer: Pick<Viewer, 'member'>, news: NewsItem): boolean =>
	news.actor === viewer.member || news.actedBy === viewer.member;

/** Whether this item is news to the viewer: it concerns them or a resident they act for, and they did not do it. */
export const tells = (viewer: Viewer, news: NewsItem): boolean =>
	(news.for === viewer.member || viewer.actsFor.includes(news.for)) && !ownAct(viewer, news);

const newestFirst = (a: NewsItem, b: NewsItem) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id);

/** Everything that concerns the viewer (or the residents they act for) after `since` (ISO), newest first. */
export function newsFor(viewer: Viewer, sources: NewsSources, since = ''): NewsItem[] {
	const all = [...helpNews(sources.posts ?? []), ...agendaNews(sources.events ?? [])];
	return all.filter((n) => n.at > since && tells(viewer, n)).sort(newestFirst);
}

/**
 * The members to tell: the one it concerns and their intermediary, but not whoever did it nor
 * anyone who left. `members` includes those who left (readMembers with includeLeft).
 */
export function audience(news: NewsItem, members: Member[]): string[] {
	const concerned = members.find((m) => m.id === news.for);
	if (concerned?.leftAt) return [];
	// Not in this copy of the list yet: their joining can still be on its way (the relay may hear
	// a response before it hears the author's profile), so the person it is for still hears it.
	const acting = concerned?.managedBy;
	const who = [news.for, ...(acting && !members.find((m) => m.id === acting)?.leftAt ? [acting] : [])];
	return [...new Set(who)].filter((member) => !ownAct({ member }, news));
}

/** A change to one help or agenda document, as the relay sees it. */
export interface DocumentChange {
	module: 'help' | 'agenda';
	url: string;
	before: unknown;
	after: unknown;
	/** Automerge patches of the change; without them every post or event is compared. */
	patches?: readonly { path: readonly (string | number)[] }[];
}

const COLLECTION = { help: 'posts', agenda: 'events' } as const;

/** The posts or events a change touched: their keys, or undefined for "any of them". */
function touched(change: DocumentChange): Set<string> | undefined {
	if (!change.patches) return undefined;
	const collection = COLLECTION[change.module];
	const keys = new Set<string>();
	for (const { path } of change.patches) {
		if (path[0] !== collection) continue;
		if (path.length < 2) return undefined;
		keys.add(String(path[1]));
	}
	return keys;
}

/**
 * Only the touched items of a document, in the document's own shape: a change to one post of a
 * 2,000-post quarter then reads one post, not 2,000.
 */
function only(doc: unknown, collection: string, keys: Set<string> | undefined): unknown {
	if (!keys || !isRecord(doc)) return doc;
	const items = doc[collection];
	if (!isRecord(items)) return doc;
	const picked: Record<string, unknown> = {};
	for (const key of keys) if (Object.hasOwn(items, key)) picked[key] = items[key];
	return { ...doc, [collection]: picked };
}

function newsOf(change: DocumentChange, doc: unknown, keys: Set<string> | undefined): NewsItem[] {
	const source = { url: change.url, doc: only(doc, COLLECTION[change.module], keys) };
	return change.module === 'help' ? readPosts([source]).items.flatMap(postNews) : readEvents([source]).items.flatMap(eventNews);
}

/** The news a change made: items there after it and not before, of what it touched only. */
export function newsMadeBy(change: DocumentChange): NewsItem[] {
	const keys = touched(change);
	if (keys?.size === 0) return [];
	const before = new Set(newsOf(change, change.before, keys).map((n) => n.id));
	return newsOf(change, change.after, keys).filter((n) => !before.has(n.id));
}
