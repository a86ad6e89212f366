// Quarters as document periods. A post lives in the document of the quarter it was created in.

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
	return [...periods].filter((p) => /^\d{4}Q[1-4]$/.test(p)).sort().reverse();
}

/** The periods to open before showing the board; older ones load after. */
export function recentPeriods(now: Date): string[] {
	const current = periodOf(now);
	return [current, previousPeriod(current)];
}
