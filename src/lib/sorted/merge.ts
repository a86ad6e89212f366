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
	// A short list into a long one (a quarter's post into ten years): only the stretch of the long one
	// they share is compared; before and after it are copied whole.
	if (b.length < a.length) return spliced(a, b, order, false);
	if (a.length < b.length) return spliced(b, a, order, true);
	return interleaved(a, b, order);
}

/** Merges `short` into `long` where it falls; `shortFirst`: on equal items, `short`'s come first. */
function spliced<T>(long: T[], short: T[], order: (a: T, b: T) => number, shortFirst: boolean): T[] {
	const from = firstAfter(long, short[0], order, !shortFirst);
	const to = firstAfter(long, short[short.length - 1], order, !shortFirst);
	const middle = long.slice(from, to);
	const merged = shortFirst ? interleaved(short, middle, order) : interleaved(middle, short, order);
	return long.slice(0, from).concat(merged, long.slice(to));
}

/** Where `item` goes in `list`: after every item before it, and after equal ones too when `afterEqual`. */
function firstAfter<T>(list: T[], item: T, order: (a: T, b: T) => number, afterEqual: boolean): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		const c = order(list[mid], item);
		if (c < 0 || (c === 0 && afterEqual)) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** Equal items: `a`'s first. */
function interleaved<T>(a: T[], b: T[], order: (a: T, b: T) => number): T[] {
	const out: T[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) out.push(order(b[j], a[i]) < 0 ? b[j++] : a[i++]);
	while (i < a.length) out.push(a[i++]);
	while (j < b.length) out.push(b[j++]);
	return out;
}
