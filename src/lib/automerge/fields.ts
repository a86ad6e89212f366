// Field helpers shared by every domain schema. Domain modules import relatively (no `$lib`)
// because the relay runs them too.
//
// Reading only: nothing here imports the Automerge package, so a page can validate what the device
// kept (and its rules can decide which buttons show) before Automerge's 51 KB of JavaScript has
// loaded. Writers make immutable strings with `imm` from ./immutable.ts.
import type { Counter, ImmutableString } from '@automerge/automerge/slim';
import * as v from 'valibot';

// Automerge marks its immutable strings and counters with registered symbols, and tests for them
// the same way itself (so that two copies of the package know each other's values). The test
// beside this file holds these to Automerge's own `isImmutableString` and `isCounter`.
const IMMUTABLE_STRING = Symbol.for('_am_immutableString');
const COUNTER = Symbol.for('_am_counter');

/** Whether a stored value is an Automerge immutable string. */
export const isImmutableString = (value: unknown): value is ImmutableString =>
	typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, IMMUTABLE_STRING);

/** Whether a stored value is an Automerge counter. */
export const isCounter = (value: unknown): value is Counter =>
	typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, COUNTER);

/** A map as a peer may have written it: an object, not an array or null. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a string stored either as Automerge text or as an ImmutableString. */
export const str = v.pipe(
	v.custom<string | ImmutableString>(
		(input) => typeof input === 'string' || isImmutableString(input),
		'Expected text'
	),
	v.transform((input): string => String(input))
);

export const nonEmpty = (max: number) =>
	v.pipe(str, v.transform((s) => s.trim()), v.minLength(1), v.maxLength(max));

export const bounded = (max: number) => v.pipe(str, v.maxLength(max));

/**
 * Text as a peer may have written it, or '' for anything else. Never `String(value)` on peer data:
 * a map with keys `toString` and `valueOf` makes that throw.
 */
export const textOf = (value: unknown): string =>
	typeof value === 'string' || isImmutableString(value) ? String(value) : '';

/**
 * A record stored as one immutable JSON string (written once, never edited: a history line, a
 * message), read with `schema`; anything that is not JSON of that shape fails.
 */
export const jsonOf = <S extends v.GenericSchema>(schema: S) =>
	v.pipe(
		str,
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			try {
				return JSON.parse(dataset.value) as unknown;
			} catch {
				addIssue({ message: 'not JSON' });
				return NEVER;
			}
		}),
		schema
	);

/** ISO 8601 instant, as written by `new Date().toISOString()`. */
export const isoDate = v.pipe(str, v.isoTimestamp());

export const id = v.pipe(str, v.regex(/^[A-Za-z0-9_-]{8,64}$/));

export const automergeUrl = v.pipe(str, v.regex(/^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/));

/** Random ids for items in a shared map: two devices never pick the same one. */
export function randomId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The result of reading a collection: what was valid, and how much was not. */
export interface Read<T> {
	items: T[];
	skipped: number;
}
