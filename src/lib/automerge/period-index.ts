// A growing collection split into documents by period (help: quarters; agenda: years and
// series). The root lists them in a flat index, document URL → period: two devices that start
// the same period offline each add their own key to one map, which merges. Nothing here reads the
// root itself: callers hand in the index and the means to open, create and list documents, so the
// app, the relay and the benchmarks share this logic.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import { automergeUrl, str } from './fields.ts';

export interface PeriodEntry {
	period: string;
	url: string;
}

/**
 * The index as entries, newest period first and, within a period, by URL. Entries that are not a
 * URL and a valid period are skipped: the root comes from peers.
 */
export function readPeriodIndex(index: unknown, isPeriod: (period: string) => boolean): PeriodEntry[] {
	if (typeof index !== 'object' || index === null) return [];
	return Object.entries(index)
		.flatMap(([url, value]) => {
			const period = v.safeParse(str, value);
			return period.success && isPeriod(period.output) && v.is(automergeUrl, url) ? [{ period: period.output, url }] : [];
		})
		.sort((a, b) => b.period.localeCompare(a.period) || a.url.localeCompare(b.url));
}

/**
 * The document new items of a period go into. When two devices each started one offline, both
 * stay listed and read, and every device picks the same one from then on (the smallest URL).
 */
export function postingDoc(entries: PeriodEntry[], period: string): PeriodEntry | undefined {
	return entries.filter((e) => e.period === period).sort((a, b) => a.url.localeCompare(b.url))[0];
}

/** How `ensurePeriodDoc` reaches the root and the repo, without depending on either module. */
export interface PeriodStore<T> {
	/** The root's index as it is now. */
	entries(): PeriodEntry[];
	/** An already listed document: the app's loaded handle, or `repo.find(url)`. */
	open(url: string): DocHandle<T> | Promise<DocHandle<T>>;
	/** `repo.create(initial)`. */
	create(initial: T): DocHandle<T>;
	/** Adds `url → period` to the root's index, in one change. */
	list(period: string, url: string): void;
	/**
	 * Resolves once a new document and the root's listing of it are stored on this device: what
	 * is added to it next is kept even if the app closes at once (the repository stores later).
	 */
	stored(handle: DocHandle<T>): Promise<void>;
}

/** The document for `period`: the listed one, or a new one, listed in the root and stored. */
export async function ensurePeriodDoc<T>(
	store: PeriodStore<T>,
	period: string,
	initial: (period: string) => T
): Promise<{ handle: DocHandle<T>; created: boolean }> {
	const listed = postingDoc(store.entries(), period);
	if (listed) return { handle: await store.open(listed.url), created: false };
	const handle = store.create(initial(period));
	store.list(period, handle.url);
	await store.stored(handle);
	return { handle, created: true };
}
