// A short ordered list of names that managers keep together: the help board's kinds of help and
// the social map's themes. A list, so two managers adding one at the same time both keep theirs.
import type { ImmutableString } from '@automerge/automerge/slim';
import { imm } from './immutable.ts';
import { cleanLine, clip } from '../validation/plain-text.ts';

/**
 * Adds a name unless it is empty or already there in any spelling of upper and lower case.
 * `at` puts a removed name back where it stood (undo); a new one goes last.
 */
export function addName(list: ImmutableString[], raw: string, at?: number): boolean {
	const name = clip(cleanLine(raw).trim(), 40);
	if (!name || list.some((n) => String(n).toLowerCase() === name.toLowerCase())) return false;
	if (at !== undefined && at >= 0 && at < list.length) list.splice(at, 0, imm(name));
	else list.push(imm(name));
	return true;
}

/** Returns where the name stood, or -1 when it was not there. */
export function removeName(list: ImmutableString[], name: string): number {
	const index = list.findIndex((n) => String(n) === name);
	if (index >= 0) list.splice(index, 1);
	return index;
}
