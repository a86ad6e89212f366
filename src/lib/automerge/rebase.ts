// Takes changes the relay refused back out of a document on this device, keeping the device's later
// edits. While the device's document holds a refused change, every sync asks the relay to take it
// again and the relay refuses again: the device is stuck until the change is gone. Automerge cannot
// forget a change, so this builds the document anew: every change that is not refused and does not
// depend on a refused one is kept as it is (other members' changes keep their hashes), and the
// device's own later changes (which all depend on the refused one, through the actor's sequence)
// are made again as new changes with the same effect.
//
// The new changes are written under a fresh actor. Another tab of this browser may still hold the
// old ones for a moment; an actor writing two different changes with one sequence number would
// make Automerge refuse to merge the two tabs ever again.
import * as A from '@automerge/automerge/slim';

/** A change that was taken out, described for the person whose change it was. */
export interface DroppedChange {
	hash: string;
	/** When it was made (seconds since 1970, as Automerge records it; 0 when unknown). */
	time: number;
	/** True when the relay refused it; false when it built on a refused change and could not be made again. */
	refused: boolean;
	/** Where it wrote (the first few places), e.g. ['posts', '<id>', 'title']. */
	paths: string[][];
}

export interface Rebased<T> {
	doc: A.Doc<T>;
	dropped: DroppedChange[];
	/** How many later changes were made again on the rebuilt document. */
	replayed: number;
}

const MAX_PATHS = 5;

/** Builds `doc` without the `refused` changes and everything depending on them, then replays the rest. */
export function rebase<T>(
	doc: A.Doc<T>,
	refused: Iterable<string>,
	options: {
		actor?: string;
		/**
		 * Heads the relay is known to have. A change among their ancestors is on the relay already
		 * and stays: a notice naming it is not believed (taking it out here would only make the
		 * device write its later edits twice once the relay sends it back).
		 */
		relayHeads?: string[];
	} = {}
): Rebased<T> {
	const metas = A.getChangesMetaSince(doc, []);
	const byHash = new Map(metas.map((m) => [m.hash, m]));
	const atRelay = ancestorsOf(options.relayHeads ?? [], byHash);
	const refusedHere = new Set([...refused].filter((hash) => byHash.has(hash) && !atRelay.has(hash)));
	if (refusedHere.size === 0) return { doc, dropped: [], replayed: 0 };

	const children = new Map<string, string[]>();
	for (const m of metas) for (const dep of m.deps) children.set(dep, [...(children.get(dep) ?? []), m.hash]);
	// Everything that has a refused change among its ancestors cannot stay as it is.
	const tainted = new Set<string>();
	const stack = [...refusedHere];
	while (stack.length > 0) {
		const hash = stack.pop()!;
		if (tainted.has(hash)) continue;
		tainted.add(hash);
		stack.push(...(children.get(hash) ?? []));
	}
	// What stays is closed under ancestors, so a view at its heads is exactly the kept changes.
	const keptHeads = metas
		.filter((m) => !tainted.has(m.hash) && !(children.get(m.hash) ?? []).some((c) => !tainted.has(c)))
		.map((m) => m.hash);
	let rebuilt = A.clone(A.view(doc, keptHeads), options.actor ?? randomActor());

	// Where each old change's effect lives in the rebuilt document (refused and skipped ones:
	// where their parents' effect lives).
	const placed = new Map<string, string[]>();
	const place = (hash: string): string[] => placed.get(hash) ?? (tainted.has(hash) ? [] : [hash]);
	const dropped: DroppedChange[] = [];
	let replayed = 0;
	let lastReplayed: string | undefined;

	for (const m of causalOrder(metas.filter((m) => tainted.has(m.hash)))) {
		const deps = unique(m.deps.flatMap(place));
		const patches = A.diff(doc, m.deps, [m.hash]);
		if (refusedHere.has(m.hash)) {
			placed.set(m.hash, deps);
			dropped.push(describe(m, patches, true));
			continue;
		}
		// Replays are chained so the fresh actor's sequence numbers never fork.
		const at = unique(lastReplayed ? [...deps, lastReplayed] : deps);
		const result = replay(rebuilt, at, patches, m);
		if (result === 'failed') {
			placed.set(m.hash, deps);
			dropped.push(describe(m, patches, false));
			continue;
		}
		rebuilt = result.doc;
		if (result.hash) {
			placed.set(m.hash, [result.hash]);
			lastReplayed = result.hash;
			replayed += 1;
		} else placed.set(m.hash, deps);
	}
	return { doc: rebuilt, dropped, replayed };
}

/** Makes one old change again on top of `at` and merges it into `rebuilt`. */
function replay<T>(
	rebuilt: A.Doc<T>,
	at: string[],
	patches: A.Patch[],
	meta: A.ChangeMetadata
): { doc: A.Doc<T>; hash?: string } | 'failed' {
	const heads = A.getHeads(rebuilt);
	// A change made concurrently with others that wrote list or text positions is replayed on what it
	// saw, so those positions still point where they pointed; Automerge then merges it like any
	// change. Forking a document at older heads costs about as much as loading it, so a change that
	// only sets map keys (most of this app: ImmutableString fields) goes on top instead; its values
	// then win over the concurrent ones, as a fresh edit would.
	const onTop = (at.length === heads.length && at.every((h) => heads.includes(h))) || !patches.some(writesPosition);
	const base = onTop ? rebuilt : A.clone(A.view(rebuilt, at), A.getActorId(rebuilt));
	let next: A.Doc<T>;
	try {
		next = A.change(base, { message: meta.message ?? undefined, time: meta.time }, (d) => {
			for (const patch of patches) applyPatch(d as unknown as Record<string, unknown>, patch);
		});
	} catch {
		return 'failed';
	}
	// A change whose effect is already there (or gone with the refused one) leaves nothing to make.
	const change = A.getLastLocalChange(next);
	if (!change || A.getHeads(next).join() === A.getHeads(base).join()) return { doc: rebuilt };
	const hash = A.decodeChange(change).hash;
	if (onTop) return { doc: next, hash };
	const [merged] = A.applyChanges(rebuilt, [change]);
	return { doc: merged, hash };
}

/** Whether a patch addresses a list or text by position (anywhere along its path). */
const writesPosition = (patch: A.Patch): boolean =>
	patch.action === 'splice' || patch.action === 'insert' || patch.action === 'mark' || patch.action === 'unmark' || patch.path.some((p) => typeof p === 'number');

class Unreachable extends Error {}

/**
 * Applies one patch inside a change. Unlike Automerge's own `applyPatch` it deletes map keys, and it
 * throws when the place a patch writes to is gone (an object the refused change made): such a
 * change cannot be made again without the refused one.
 */
export function applyPatch(doc: Record<string, unknown>, patch: A.Patch): void {
	if (patch.action === 'conflict') return;
	const parentPath = patch.path.slice(0, -1);
	const prop = patch.path[patch.path.length - 1];
	if (patch.action === 'splice' || (patch.action === 'del' && typeof resolve(doc, parentPath) === 'string')) {
		const text = resolve(doc, parentPath);
		if (typeof text !== 'string' || typeof prop !== 'number') throw new Unreachable();
		const index = Math.min(prop, text.length);
		if (patch.action === 'splice') A.splice(doc, parentPath, index, 0, patch.value);
		else A.splice(doc, parentPath, index, Math.min(patch.length ?? 1, text.length - index));
		return;
	}
	if (patch.action === 'mark' || patch.action === 'unmark') {
		if (typeof resolve(doc, patch.path) !== 'string') throw new Unreachable();
		if (patch.action === 'mark')
			for (const m of patch.marks) A.mark(doc, patch.path, { start: m.start, end: m.end, expand: 'none' }, m.name, m.value);
		else A.unmark(doc, patch.path, { start: patch.start, end: patch.end, expand: 'none' }, patch.name);
		return;
	}
	const parent = resolve(doc, parentPath);
	if (Array.isArray(parent) && typeof prop === 'number') {
		const index = Math.min(prop, parent.length);
		if (patch.action === 'insert') parent.splice(index, 0, ...patch.values);
		else if (patch.action === 'del') parent.splice(index, patch.length ?? 1);
		else if (patch.action === 'put') {
			if (index >= parent.length) throw new Unreachable();
			parent[index] = patch.value;
		} else incrementAt(parent as unknown as Record<number, unknown>, index, patch.value);
		return;
	}
	if (!isMap(parent) || typeof prop !== 'string') throw new Unreachable();
	if (patch.action === 'put') parent[prop] = patch.value;
	else if (patch.action === 'del') delete parent[prop];
	else if (patch.action === 'inc') incrementAt(parent, prop, patch.value);
	else throw new Unreachable();
}

function incrementAt(parent: Record<string | number, unknown>, prop: string | number, by: number) {
	const counter = parent[prop];
	if (!A.isCounter(counter)) throw new Unreachable();
	counter.increment(by);
}

function resolve(doc: unknown, path: A.Prop[]): unknown {
	let here: unknown = doc;
	for (const prop of path) {
		if (Array.isArray(here) && typeof prop === 'number') here = here[prop];
		else if (isMap(here) && typeof prop === 'string') here = here[prop];
		else return undefined;
	}
	return here;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !A.isCounter(value) && !A.isImmutableString(value);

function describe(meta: A.ChangeMetadata, patches: A.Patch[], refused: boolean): DroppedChange {
	const paths: string[][] = [];
	for (const patch of patches) {
		// Where a person would recognise it: the object, not the character position in a text.
		const path = patch.path.filter((p): p is string => typeof p === 'string');
		if (path.length > 0 && !paths.some((p) => p.join('\u0000') === path.join('\u0000'))) paths.push(path);
		if (paths.length === MAX_PATHS) break;
	}
	return { hash: meta.hash, time: meta.time, refused, paths };
}

/** Parents before children, otherwise in the order the document listed them (no recursion: offline weeks make long chains). */
function causalOrder(metas: A.ChangeMetadata[]): A.ChangeMetadata[] {
	const inSet = new Set(metas.map((m) => m.hash));
	const waiting = new Map(metas.map((m) => [m.hash, m.deps.filter((d) => inSet.has(d)).length]));
	const children = new Map<string, A.ChangeMetadata[]>();
	for (const m of metas) for (const dep of m.deps) if (inSet.has(dep)) children.set(dep, [...(children.get(dep) ?? []), m]);
	const ready = metas.filter((m) => waiting.get(m.hash) === 0);
	const order: A.ChangeMetadata[] = [];
	for (let i = 0; i < ready.length; i++) {
		order.push(ready[i]);
		for (const child of children.get(ready[i].hash) ?? []) {
			const left = waiting.get(child.hash)! - 1;
			waiting.set(child.hash, left);
			if (left === 0) ready.push(child);
		}
	}
	return order;
}

/** The given heads and all they build on, as far as this document knows them. */
function ancestorsOf(heads: string[], byHash: Map<string, A.ChangeMetadata>): Set<string> {
	const seen = new Set<string>();
	const stack = heads.filter((h) => byHash.has(h));
	while (stack.length > 0) {
		const hash = stack.pop()!;
		if (seen.has(hash)) continue;
		seen.add(hash);
		stack.push(...byHash.get(hash)!.deps);
	}
	return seen;
}

const unique = (hashes: string[]): string[] => [...new Set(hashes)];

function randomActor(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
