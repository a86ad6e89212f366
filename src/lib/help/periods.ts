// Quarters as document periods. A post lives in the document of the quarter it was created in;
// the root lists every period document in a flat index (see `HelpIndex`). Nothing here reads the
// root itself: callers hand in the index and the means to open, create and list documents, so the
// app, the relay and the benchmarks share this logic.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import { automergeUrl, imm, str } from '../automerge/fields.ts';
import type { HelpDoc, HelpIndex } from './document.ts';

export type { HelpIndex };

export const PERIOD = /^\d{4}Q[1-4]$/;

/** '2026Q4' for any moment in October–December 2026 (Amsterdam time is close enough at day scale). */
export function periodOf(date: Date): string {
	return `${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

export function previousPeriod(period: string): string {
	const [year, quarter] = period.split('Q').map(Number);
	return quarter === 1 ? `${year - 1}Q4` : `${year}Q${quarter - 1}`;
}

/** Newest first: the order in which to open period documents. */
export function sortPeriods(periods: Iterable<string>): string[] {
	return [...periods].filter((p) => PERIOD.test(p)).sort().reverse();
}

/** The periods to open before showing the board; older ones load after. */
export function recentPeriods(now: Date): string[] {
	const current = periodOf(now);
	return [current, previousPeriod(current)];
}

export interface PeriodEntry {
	period: string;
	url: string;
}

/**
 * The root's help index (document URL → period) as entries, newest period first and, within a
 * period, by URL. Entries that are not a URL and a quarter are skipped: the root comes from peers.
 */
export function readHelpIndex(index: unknown): PeriodEntry[] {
	if (typeof index !== 'object' || index === null) return [];
	return Object.entries(index)
		.flatMap(([url, value]) => {
			const period = v.safeParse(str, value);
			return period.success && PERIOD.test(period.output) && v.is(automergeUrl, url) ? [{ period: period.output, url }] : [];
		})
		.sort((a, b) => b.period.localeCompare(a.period) || a.url.localeCompare(b.url));
}

/**
 * What to open before the board shows, and what to load after it. Every document of the current
 * and previous quarter comes first (two devices may each have started one); when nothing was
 * posted lately, the newest listed period instead, so the board is never empty while older
 * quarters load.
 */
export function loadOrder(entries: PeriodEntry[], now: Date): { first: PeriodEntry[]; later: PeriodEntry[] } {
	const recent = new Set(recentPeriods(now));
	let first = entries.filter((e) => recent.has(e.period));
	if (first.length === 0) {
		const newest = sortPeriods(entries.map((e) => e.period))[0];
		first = entries.filter((e) => e.period === newest);
	}
	const chosen = new Set(first);
	return { first, later: entries.filter((e) => !chosen.has(e)) };
}

/**
 * The document new posts of a period go into. When two devices each started one offline, both
 * stay listed and read, and every device picks the same one from then on (the smallest URL).
 */
export function postingDoc(entries: PeriodEntry[], period: string): PeriodEntry | undefined {
	return entries.filter((e) => e.period === period).sort((a, b) => a.url.localeCompare(b.url))[0];
}

/** The initial value of a new period document. */
export const newPeriodDoc = (period: string): HelpDoc => ({ period: imm(period), posts: {} });

/** How `ensurePeriodDoc` reaches the root and the repo, without depending on either module. */
export interface PeriodStore {
	/** The root's help index as it is now (`readHelpIndex(root.docs.help)`). */
	entries(): PeriodEntry[];
	/** An already listed document: the app's loaded handle, or `repo.find(url)`. */
	open(url: string): DocHandle<HelpDoc> | Promise<DocHandle<HelpDoc>>;
	/** `repo.create(initial)`. */
	create(initial: HelpDoc): DocHandle<HelpDoc>;
	/** Adds `url → period` to the root's index, in one change: `doc.docs.help[url] = imm(period)`. */
	list(period: string, url: string): void;
}

/** The document to post in for `period`: the listed one, or a new one, listed in the root at once. */
export async function ensurePeriodDoc(store: PeriodStore, period: string): Promise<{ handle: DocHandle<HelpDoc>; created: boolean }> {
	if (!PERIOD.test(period)) throw new Error(`Not a period: ${period}`);
	const listed = postingDoc(store.entries(), period);
	if (listed) return { handle: await store.open(listed.url), created: false };
	const handle = store.create(newPeriodDoc(period));
	store.list(period, handle.url);
	return { handle, created: true };
}
