// What the relay did not pass on from this device, per neighbourhood, kept in localStorage until the
// person has read it: which rule, where, when. Content is not kept: the change is gone, and what it
// said is the person's own. Pure functions over a Storage, so they are testable in Node.
import * as v from 'valibot';

/** Enough to read back a week of refusals; the oldest go first. */
const MAX_ENTRIES = 20;

export const RefusedEntrySchema = v.object({
	/** The first refused change's hash: the same notice seen twice (two tabs, a repeat) is one entry. */
	id: v.pipe(v.string(), v.maxLength(100)),
	documentId: v.pipe(v.string(), v.maxLength(100)),
	rule: v.pipe(v.string(), v.maxLength(100)),
	path: v.optional(v.array(v.pipe(v.string(), v.maxLength(200)))),
	/** How many changes were taken out (refused, and later ones built on them that could not be made again). */
	count: v.pipe(v.number(), v.integer(), v.minValue(1)),
	/** When the person made the change. */
	at: v.pipe(v.string(), v.isoTimestamp())
});
export type RefusedEntry = v.InferOutput<typeof RefusedEntrySchema>;

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

const keyFor = (root: string) => `noaber.refused.${root}`;

export function readRefused(storage: KeyValue, root: string): RefusedEntry[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(storage.getItem(keyFor(root)) ?? '[]');
	} catch {
		return [];
	}
	if (!Array.isArray(parsed)) return [];
	return parsed.flatMap((item) => {
		const read = v.safeParse(RefusedEntrySchema, item);
		return read.success ? [read.output] : [];
	});
}

function write(storage: KeyValue, root: string, entries: RefusedEntry[]): RefusedEntry[] {
	try {
		storage.setItem(keyFor(root), JSON.stringify(entries));
	} catch {
		// A full storage keeps the list for this session only; the change is out either way.
	}
	return entries;
}

/** Newest first; the same entry again replaces the older one. */
export function addRefused(storage: KeyValue, root: string, entry: RefusedEntry): RefusedEntry[] {
	const rest = readRefused(storage, root).filter((e) => e.id !== entry.id);
	return write(storage, root, [entry, ...rest].slice(0, MAX_ENTRIES));
}

export function dismissRefused(storage: KeyValue, root: string, id: string): RefusedEntry[] {
	return write(storage, root, readRefused(storage, root).filter((e) => e.id !== id));
}
