import * as A from '@automerge/automerge';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isCounter, isImmutableString, str, textOf } from './fields.ts';
import { imm } from './immutable.ts';

type Stored = { text: string; fixed: A.ImmutableString; count: A.Counter; nested: { fixed: A.ImmutableString }; list: A.ImmutableString[] };

/** Values as a document hands them out, after a save and load (what a device reads from storage). */
function stored(text: string): unknown[] {
	const doc = A.load<Stored>(
		A.save(
			A.from<Stored>({ text, fixed: imm(text), count: new A.Counter(3), nested: { fixed: imm(text) }, list: [imm(text)] })
		)
	);
	return [doc.text, doc.fixed, doc.count, doc.nested, doc.nested.fixed, doc.list, doc.list[0], doc];
}

describe('reading stored values without the Automerge package', () => {
	it('knows immutable strings and counters exactly as Automerge itself does', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 20 }), (text) => {
				const values = [
					...stored(text),
					imm(text),
					new A.Counter(1),
					text,
					{ val: text },
					{ value: 1 },
					null,
					undefined,
					0,
					[],
					Object.create(null)
				];
				for (const value of values) {
					expect(isImmutableString(value)).toBe(A.isImmutableString(value));
					expect(isCounter(value)).toBe(A.isCounter(value));
				}
			}),
			{ numRuns: 50 }
		);
	});

	it('reads an immutable string kept in a document as its text', () => {
		const [, fixed, count] = stored('Koffieochtend');
		expect(isImmutableString(fixed)).toBe(true);
		expect(textOf(fixed)).toBe('Koffieochtend');
		expect(v.parse(str, fixed)).toBe('Koffieochtend');
		expect(isCounter(count)).toBe(true);
		expect(textOf(count)).toBe('');
	});

	it('does not take a map that only looks like one for text', () => {
		expect(isImmutableString({ val: 'x', toString: () => 'x' })).toBe(false);
		expect(textOf({ val: 'x' })).toBe('');
		expect(v.safeParse(str, { val: 'x' }).success).toBe(false);
	});
});
