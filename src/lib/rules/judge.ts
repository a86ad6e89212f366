// One referee for app and relay: every edit of a change must be allowed by the rules of the
// document's module. The relay runs this on each incoming change before storing or passing it
// on; the app's pages call the same modules' `may…` functions to decide which buttons to show,
// so an honest device never makes a change the relay refuses.
import { isCounter, isImmutableString } from '../automerge/fields.ts';
import type { Role } from '../access/roles.ts';
import type { Edit, Path, ReadChange, Scalar } from './edits.ts';

/** The person a device belongs to, as the relay knows them (never as a document claims). */
export interface Who {
	member: string;
	roles: readonly Role[];
	/** Residents without a device this member acts for (their intermediary). */
	actsFor: ReadonlySet<string>;
}

/** May `who` act as `memberId`: themself, or a resident they are the intermediary of. */
export const mayActAs = (who: Who, memberId: unknown): boolean =>
	typeof memberId === 'string' && (memberId === who.member || who.actsFor.has(memberId));

export const isManager = (who: Who): boolean => who.roles.includes('manager');

/** What a rule may read: the stored document, and what the changes being judged put. */
export interface Scope {
	/** The value stored at `path` before these changes: scalars as they are, text as a string. */
	before(path: Path): unknown;
	/** The value at `path` once these changes apply: their own put, else the stored value. */
	after(path: Path): unknown;
	/** Whether the object at `path` is made by these changes (so it did not exist before). */
	isNew(path: Path): boolean;
}

/** The name of the rule an edit breaks ('help.post-author'), or undefined when it is allowed. */
export type Rule = (edit: Edit, who: Who, scope: Scope) => string | undefined;

export interface Refused {
	change: ReadChange;
	rule: string;
	path: Path;
}

export interface Judgement {
	accepted: ReadChange[];
	refused: Refused[];
}

/** A stored value as a rule reads it: text and immutable strings as strings, counters as numbers. */
export function plain(value: unknown): unknown {
	if (isImmutableString(value)) return value.val;
	if (isCounter(value)) return value.value;
	return value;
}

const key = (path: Path) => path.join('\u0000');

/**
 * Builds the scope of `changes` over the stored `doc` (undefined for a document new to the
 * judge). Only scalars put by the changes are known "after"; an object they make reads as {}.
 */
export function scopeOf(doc: unknown, changes: readonly ReadChange[]): Scope {
	const puts = new Map<string, Scalar | { made: string } | undefined>();
	const made = new Set<string>();
	for (const change of changes) {
		for (const edit of change.edits) {
			if (edit.kind === 'put') {
				puts.set(key(edit.path), edit.value);
				if (typeof edit.value === 'object' && edit.value !== null) made.add(key(edit.path));
			} else if (edit.kind === 'delete') puts.set(key(edit.path), undefined);
		}
	}
	const before = (path: Path): unknown => {
		let at: unknown = doc;
		for (const step of path) {
			if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, step)) return undefined;
			at = (at as Record<string, unknown>)[step];
		}
		return plain(at);
	};
	const isNew = (path: Path): boolean => made.has(key(path));
	return {
		before,
		isNew,
		after(path) {
			const own = puts.get(key(path));
			if (puts.has(key(path))) return typeof own === 'object' && own !== null ? {} : own;
			// Inside an object these changes made or deleted, nothing stored counts any more.
			for (let i = path.length - 1; i > 0; i--) {
				const prefix = key(path.slice(0, i));
				if (puts.has(prefix)) return undefined;
			}
			return before(path);
		}
	};
}

/**
 * Judges changes in order. A change is refused whole when one of its edits breaks a rule, and so
 * is every later change that depends on a refused one: the relay could never apply it.
 */
export function judge(
	rule: Rule,
	changes: readonly ReadChange[],
	who: Who,
	scope: Scope,
	/** A rule about the change as a whole (the relay's: whose actor it is), asked first. */
	changeRule?: (change: ReadChange) => string | undefined,
	/** Changes judged elsewhere already (the relay's: a paired relay holds them), taken as they are. */
	trusted?: (change: ReadChange) => boolean
): Judgement {
	const refusedHashes = new Set<string>();
	const judgement: Judgement = { accepted: [], refused: [] };
	for (const change of changes) {
		const after = change.deps.find((dep) => refusedHashes.has(dep));
		if (!after && trusted?.(change)) {
			judgement.accepted.push(change);
			continue;
		}
		const whole = after ? 'depends-on-refused' : changeRule?.(change);
		let broken: { rule: string; path: Path } | undefined = whole ? { rule: whole, path: [] } : undefined;
		for (const edit of broken ? [] : change.edits) {
			const name = rule(edit, who, scope);
			if (name) {
				broken = { rule: name, path: edit.path };
				break;
			}
		}
		if (broken) {
			refusedHashes.add(change.hash);
			judgement.refused.push({ change, ...broken });
		} else judgement.accepted.push(change);
	}
	return judgement;
}
