// Rewrites a document's history so that no change holds what is erased (AVG art. 17, issue #14).
// Automerge keeps every value ever written, so clearing a field leaves the old value in the saved
// bytes. Here every change is decoded, the values written under the erased places are replaced
// (in the change itself, at every point in history), and the change is encoded again.
//
// Only values change: each rewritten change keeps its actor, sequence number, operation counters,
// time and message, so object ids, conflicts and who-wrote-what stay exactly as they were, and the
// rewritten document ends in the same shape with the erased values replaced. A change's hash covers
// its dependencies, so every change built on a rewritten one gets a new hash too; changes before
// and beside them keep their bytes and hashes. Keeping actor and sequence is deliberate: Automerge
// refuses to merge two different changes with one actor and sequence number ("duplicate seq"), so
// a device that still holds the old history can never mix it back into the new one by syncing; it
// must replace its copy (erased-copy.ts).
//
// A string stored as an ImmutableString stays one (a scalar string value); a character of
// collaborative text stays a character, replaced by TEXT_FILL, so positions in later changes
// still point where they pointed. Whoever plans the erasure empties such a text afterwards with a
// fresh change (which deletes characters and so holds no content).
import * as A from '@automerge/automerge/slim';

/** A place whose every value, at every point in history, is replaced. */
export interface Scrub {
	/** Map keys from the root; everything at or under this place is scrubbed. List items count as '*'. */
	path: string[];
	/**
	 * What a string value there becomes: a fixed string, or a function of the old value (e.g. a JSON
	 * value with one field taken out). Default ''. Characters of collaborative text become TEXT_FILL.
	 */
	replace?: string | ((old: string) => string);
}

/** What a character of erased collaborative text becomes in the history. */
export const TEXT_FILL = ' ';

export interface Rewritten<T> {
	doc: A.Doc<T>;
	/** Old hashes of the changes that wrote erased values (a device holding any of them has an old copy). */
	scrubbed: string[];
	/** Old hashes no longer in the document: the scrubbed changes and all built on them. */
	gone: string[];
	/**
	 * The gone changes that build on no other gone change. Every gone change builds on one of these,
	 * so a copy holding any gone change holds one of them: a short way to tell an old copy.
	 */
	first: string[];
}

type ObjKind = 'map' | 'list' | 'text';
interface Obj {
	kind: ObjKind;
	path: string[];
}

const MAKE: Record<string, ObjKind> = { makeMap: 'map', makeTable: 'map', makeList: 'list', makeText: 'text' };

/** The scrub covering `path`, if any (the longest, so a narrower rule wins). */
function scrubFor(scrubs: readonly Scrub[], path: readonly string[]): Scrub | undefined {
	let found: Scrub | undefined;
	for (const scrub of scrubs) {
		if (scrub.path.length <= path.length && scrub.path.every((p, i) => p === path[i]) && (!found || scrub.path.length > found.path.length)) found = scrub;
	}
	return found;
}

function replacement(scrub: Scrub, old: string, kind: ObjKind): string {
	if (kind === 'text') return TEXT_FILL;
	if (typeof scrub.replace === 'function') return scrub.replace(old);
	return scrub.replace ?? '';
}

/** Rebuilds `doc` with every string value at or under a scrubbed place replaced, in every change. */
export function rewriteHistory<T>(doc: A.Doc<T>, scrubs: readonly Scrub[]): Rewritten<T> {
	const changes = A.getAllChanges(doc);
	const objects = new Map<string, Obj>([['_root', { kind: 'map', path: [] }]]);
	/** Old hash → new hash, for every change whose hash changed. */
	const renamed = new Map<string, string>();
	const scrubbed: string[] = [];
	const first: string[] = [];
	const out: Uint8Array[] = [];

	// Automerge lists a document's changes in causal order: a change's dependencies come first.
	for (const bytes of changes) {
		const change = A.decodeChange(bytes);
		let touched = false;
		change.ops.forEach((op, i) => {
			const parent = objects.get(op.obj);
			// Keys of maps name the place; items of lists and characters of text share their list's place.
			const at = parent ? (parent.kind === 'map' && op.key !== undefined ? [...parent.path, op.key] : [...parent.path, '*']) : undefined;
			const kind = MAKE[op.action];
			if (kind) {
				objects.set(`${change.startOp + i}@${change.actor}`, { kind, path: at ?? ['?'] });
				return;
			}
			if (!at || !parent || op.action !== 'set' || typeof op.value !== 'string') return;
			const scrub = scrubFor(scrubs, at);
			if (!scrub) return;
			const value = replacement(scrub, op.value, parent.kind);
			if (value === op.value) return;
			op.value = value;
			touched = true;
		});
		const deps = change.deps.map((hash) => renamed.get(hash) ?? hash);
		const depsMoved = deps.some((hash, i) => hash !== change.deps[i]);
		if (!touched && !depsMoved) {
			out.push(bytes);
			continue;
		}
		if (touched) scrubbed.push(change.hash!);
		if (!depsMoved) first.push(change.hash!);
		const encoded = A.encodeChange({ ...change, deps: deps.sort() });
		renamed.set(change.hash!, A.decodeChange(encoded).hash!);
		out.push(encoded);
	}
	if (renamed.size === 0) return { doc, scrubbed: [], gone: [], first: [] };
	// Loading the changes back to back is about three times faster than applying them one by one.
	const bytes = new Uint8Array(out.reduce((n, c) => n + c.byteLength, 0));
	let at = 0;
	for (const change of out) {
		bytes.set(change, at);
		at += change.byteLength;
	}
	const rebuilt = A.load<T>(bytes, { actor: A.getActorId(doc) });
	return { doc: rebuilt, scrubbed, gone: [...renamed.keys()], first };
}

/** Whether `doc` still holds any of these changes (an old copy, from before an erasure). */
export function holdsAny(doc: A.Doc<unknown>, hashes: readonly string[]): boolean {
	return hashes.some((hash) => A.hasHeads(doc, [hash]));
}
