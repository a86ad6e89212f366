// Judging changes a device made itself, between two versions of a document it holds: the same
// reading and the same rules the relay applies to what arrives. Used where the app must know in
// advance what the relay will say (and by the tests that prove an honest device is never refused).
import * as A from '@automerge/automerge/slim';
import { placerOf, readChanges } from './edits.ts';
import { judge, type Judgement, type Rule, type Who } from './judge.ts';

/**
 * Judges the changes that lead from `before` to `after`, a later version of the same document made
 * from a clone of `before` (Automerge 3 documents change in place: `before` itself must still be current).
 */
export function judgeBetween<T>(rule: Rule, before: A.Doc<T> | undefined, after: A.Doc<T>, who: Who): Judgement {
	const changes = before ? A.getChanges(before, after) : A.getAllChanges(after);
	const read = readChanges(changes, placerOf(before));
	return judge(rule, read, who, before);
}
