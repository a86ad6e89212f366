// Quarters as document periods. A post lives in the document of the quarter it was created in;
// the root lists every period document in a flat index (see `HelpIndex` and period-index.ts).
import { imm } from '../automerge/immutable.ts';
import { postingDoc, type PeriodEntry } from '../automerge/period-index.ts';
import { PERIOD, type HelpDoc, type HelpIndex } from './document.ts';

export type { HelpIndex, PeriodEntry };
export { postingDoc };

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

/** The initial value of a new period document. */
export const newPeriodDoc = (period: string): HelpDoc => ({ period: imm(period), posts: {} });

/** A new quarter's document, for the first post of a quarter; only a quarter ('2026Q4') has one. */
export function freshQuarter(period: string): HelpDoc {
	if (!PERIOD.test(period)) throw new Error(`Not a period: ${period}`);
	return newPeriodDoc(period);
}
