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

type Put = Scalar | { made: string } | undefined;

/** What one change puts, by path; `made` are the objects it makes. */
function putsOf(change: ReadChange): { puts: Map<string, Put>; made: Set<string> } {
	const puts = new Map<string, Put>();
	const made = new Set<string>();
	for (const edit of change.edits) {
		if (edit.kind === 'put') {
			puts.set(key(edit.path), edit.value);
			if (typeof edit.value === 'object' && edit.value !== null) made.add(key(edit.path));
		} else if (edit.kind === 'delete') puts.set(key(edit.path), undefined);
	}
	return { puts, made };
}

/** The value at `path` as `puts` leave it: found (with the value) or not said by them. */
function readPuts(puts: ReadonlyMap<string, Put>, path: Path): { said: boolean; value?: unknown } {
	const own = puts.get(key(path));
	if (puts.has(key(path))) return { said: true, value: typeof own === 'object' && own !== null ? {} : own };
	// Inside an object these changes made or deleted, nothing stored counts any more.
	for (let i = path.length - 1; i > 0; i--) if (puts.has(key(path.slice(0, i)))) return { said: true, value: undefined };
	return { said: false };
}

/**
 * The document a change is judged against: the stored `doc` (undefined for a document new to the
 * judge) with what the changes accepted before it put. A device that was offline sends everything
 * it did in one message (a post made, then marked done): each change is judged as it was made,
 * after the ones before it, so the second finds the post the first made.
 */
class Judged {
	#doc: unknown;
	#taken = new Map<string, Put>();
	/** The last change a scope was made for: taking it reuses what was read of it. */
	#last: { change: ReadChange; puts: Map<string, Put> } | undefined;

	constructor(doc: unknown) {
		this.#doc = doc;
	}

	before(path: Path): unknown {
		const taken = readPuts(this.#taken, path);
		if (taken.said) return taken.value;
		let at: unknown = this.#doc;
		for (const step of path) {
			if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, step)) return undefined;
			at = (at as Record<string, unknown>)[step];
		}
		return plain(at);
	}

	/** The scope of `change` over what is judged so far. Only scalars it puts are known "after"; an object it makes reads as {}. */
	scope(change: ReadChange): Scope {
		const { puts, made } = putsOf(change);
		this.#last = { change, puts };
		return {
			before: (path) => this.before(path),
			isNew: (path) => made.has(key(path)),
			after: (path) => {
				const own = readPuts(puts, path);
				return own.said ? own.value : this.before(path);
			}
		};
	}

	/** An accepted change: what comes after it in the message is judged with it in place. */
	take(change: ReadChange) {
		const puts = this.#last?.change === change ? this.#last.puts : putsOf(change).puts;
		for (const [path, value] of puts) this.#taken.set(path, value);
	}
}

/**
 * Judges changes in order, each against the document as the accepted ones before it leave it. A
 * change is refused whole when one of its edits breaks a rule, and so is every later change that
 * depends on a refused one: the relay could never apply it.
 */
export function judge(
	rule: Rule,
	changes: readonly ReadChange[],
	who: Who,
	/** The document as the judge holds it, before these changes. */
	doc: unknown,
	/** A rule about the change as a whole (the relay's: whose actor it is), asked first. */
	changeRule?: (change: ReadChange) => string | undefined,
	/** Changes judged elsewhere already (the relay's: a paired relay holds them), taken as they are. */
	trusted?: (change: ReadChange) => boolean
): Judgement {
	const refusedHashes = new Set<string>();
	const judgement: Judgement = { accepted: [], refused: [] };
	const judged = new Judged(doc);
	for (const change of changes) {
		const after = change.deps.find((dep) => refusedHashes.has(dep));
		if (!after && trusted?.(change)) {
			judgement.accepted.push(change);
			judged.take(change);
			continue;
		}
		const scope = judged.scope(change);
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
		} else {
			judgement.accepted.push(change);
			judged.take(change);
		}
	}
	return judgement;
}
