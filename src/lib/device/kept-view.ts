// A view kept on the device as it was last shown, so the next start paints it before the documents
// open (remembered-home.ts, remembered-week.ts). Kept in localStorage: read synchronously, before
// anything else loads. What is read back is checked like any input; a damaged value is nothing.
import * as v from 'valibot';

export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What this page last kept per store and key: views change often, and most changes keep the same. */
const lastKept = new WeakMap<KeyValue, Map<string, string>>();

/** Keeps a view; writes only when it changed, without reading the storage back each time. */
export function keepView(local: KeyValue, key: string, view: unknown): void {
	const value = JSON.stringify(view);
	let kept = lastKept.get(local);
	if (!kept) lastKept.set(local, (kept = new Map()));
	if (kept.get(key) === value) return;
	try {
		if (local.getItem(key) !== value) local.setItem(key, value);
		kept.set(key, value);
	} catch {
		// A full or refused localStorage: the next start shows "wordt geladen", as before.
	}
}

/** The view kept under `key`, if there is one and it reads as `schema`. */
export function keptView<S extends v.GenericSchema>(local: KeyValue, key: string, schema: S): v.InferOutput<S> | undefined {
	try {
		const stored = local.getItem(key);
		if (stored === null) return undefined;
		const read = v.safeParse(schema, JSON.parse(stored));
		return read.success ? read.output : undefined;
	} catch {
		return undefined;
	}
}

/**
 * A page's first screenful in words (remembered-board.ts, remembered-map.ts): per neighbourhood
 * (root URL appended to `prefix`), at most `most` cards, and only in the language it was shown in.
 */
export function keptScreenful<S extends v.GenericSchema>(prefix: string, card: S, most: number) {
	const schema = v.object({ language: v.pipe(v.string(), v.maxLength(10)), cards: v.pipe(v.array(card), v.maxLength(most)) });
	type Screenful = v.InferOutput<typeof schema>;
	return {
		keep: (local: KeyValue, root: string, shown: Screenful): void => keepView(local, prefix + root, shown),
		/** What was kept for this neighbourhood, if it was shown in `language`. */
		kept: (local: KeyValue, root: string, language: string): Screenful | undefined => {
			const kept = keptView(local, prefix + root, schema);
			return kept?.language === language ? kept : undefined;
		}
	};
}
