// Text as peers stored it (Automerge text or an ImmutableString), checked by plain-text.ts's rules
// and never repaired. Apart from those rules because reading stored text needs Automerge, and the
// forms and the relay's answers that the first page reads do not.
import * as v from 'valibot';
import { str } from '../automerge/fields.ts';
import { cleanLines, isLine } from './plain-text.ts';

/** Stored one-line text of at most `max` characters. */
export const line = (max: number) => v.pipe(str, v.maxLength(max), v.check(isLine, 'control characters'));

/**
 * Stored multi-line text. A stray CR or control character is dropped rather than the whole text:
 * a description is long, and one odd character should not lose the rest.
 */
export const lines = (max: number) => v.pipe(str, v.maxLength(max), v.transform(cleanLines));
