// Lists that are each in order, as one list in order: what a module does when a document's view
// arrives beside those it had (the agenda by start, the help board newest first). Merging is linear
// where sorting again is not, and ten years come in one document at a time.

/**
 * Wall times, ISO moments and ids are ASCII of one shape: code-point order is their order, and much
 * cheaper than a collator over thousands of items.
 */
export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lists each in `order`, as one list in that order; equal items keep the order of their lists. */
export function mergeSorted<T>(lists: T[][], order: (a: T, b: T) => number): T[] {
	let round = lists.filter((list) => list.length > 0);
	if (round.length === 0) return [];
	while (round.length > 1) {
		const next: T[][] = [];
		for (let i = 0; i < round.length; i += 2) next.push(i + 1 < round.length ? mergeTwo(round[i], round[i + 1], order) : round[i]);
		round = next;
	}
	return round[0];
}

function mergeTwo<T>(a: T[], b: T[], order: (a: T, b: T) => number): T[] {
	// A list that comes wholly before the other (an older year, an older quarter): no need to compare each item.
	if (order(b[b.length - 1], a[0]) < 0) return b.concat(a);
	if (order(b[0], a[a.length - 1]) >= 0) return a.concat(b);
	const out: T[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) out.push(order(b[j], a[i]) < 0 ? b[j++] : a[i++]);
	while (i < a.length) out.push(a[i++]);
	while (j < b.length) out.push(b[j++]);
	return out;
}
