// The root as it was created. Its first change is the creator's (a manager's device or the relay)
// and holds the neighbourhood's id and its members document; later changes by any member cannot
// alter it. When a peer removed one of those, this is where the app finds it again.
import * as A from '@automerge/automerge/slim';
import * as v from 'valibot';
import { isRecord } from '../automerge/fields.ts';

// Automerge documents are immutable snapshots and the first change never changes: look it up once
// per snapshot, and only when something is missing.
const cache = new WeakMap<object, unknown>();

/** The root at its first change, or undefined for a value that is no Automerge document. */
export function createdAs(doc: unknown): unknown {
	if (typeof doc !== 'object' || doc === null) return undefined;
	if (cache.has(doc)) return cache.get(doc);
	let origin: unknown;
	try {
		if (A.isAutomerge(doc)) {
			for (const change of A.getAllChanges(doc)) {
				const decoded = A.decodeChange(change);
				if (decoded.deps.length > 0) continue;
				origin = A.view(doc, [decoded.hash!]);
				break;
			}
		}
	} catch {
		// A snapshot Automerge cannot look into has no origin to offer; the caller falls back further.
		origin = undefined;
	}
	cache.set(doc, origin);
	return origin;
}

/** The value at `path` in the root as it was created, when it passes `schema`. */
export function original(doc: unknown, path: string[], schema: v.GenericSchema<unknown, string>): string | undefined {
	let value: unknown = createdAs(doc);
	for (const step of path) value = isRecord(value) ? value[step] : undefined;
	const read = v.safeParse(schema, value);
	return read.success ? read.output : undefined;
}
