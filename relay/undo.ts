// The compensating change that undoes one member's changes to one document, merged with what
// everybody else did meanwhile. Automerge keeps every change, so nothing is rolled back: the
// relay writes one new change that puts back, field by field, what was there just before the
// member's first change to that field, unless someone else changed the same field (or something
// inside it) afterwards. What the member made is removed, or hidden when others already
// responded or signed up to it. Works on any document shape: the modules' rules decide who may
// change what, and this undoes exactly what was changed.
import * as A from '@automerge/automerge/slim';

/** A map key or list index path, as Automerge's patches give it. */
export type Path = Array<string | number>;

export interface ChangeMeta {
	hash: string;
	actor: string;
	/** What the device said, in ms (Automerge's change time is in seconds, self-declared). */
	time: number;
	deps: string[];
}

/** A document's changes in Automerge's (topological) order. */
export function changesOf(doc: A.Doc<unknown>): ChangeMeta[] {
	return A.getAllChanges(doc).map((bytes) => {
		const c = A.decodeChange(bytes);
		return { hash: c.hash!, actor: c.actor, time: c.time * 1000, deps: c.deps };
	});
}

/**
 * What one change touched: map paths, cut at the first list index, since a list or a text is
 * restored whole (a text through updateText, so it merges per character).
 */
export function touchedBy(doc: A.Doc<unknown>, change: ChangeMeta): { units: Path[]; patches: A.Patch[] } {
	const patches = A.diff(doc, change.deps, [change.hash]);
	const units = new Map<string, Path>();
	for (const patch of patches) {
		if (patch.action === 'mark' || patch.action === 'unmark' || patch.action === 'conflict') continue;
		const at = patch.path.findIndex((p) => typeof p === 'number');
		const unit = at < 0 ? patch.path : patch.path.slice(0, at);
		if (unit.length > 0) units.set(JSON.stringify(unit), unit);
	}
	return { units: [...units.values()], patches };
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((p, i) => p === b[i]);
const related = (a: Path, b: Path) => isPrefix(a, b) || isPrefix(b, a);

function isMap(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		!A.isImmutableString(value) &&
		!A.isCounter(value) &&
		!(value instanceof Date) &&
		!(value instanceof Uint8Array)
	);
}

function walk(doc: unknown, path: Path): unknown {
	let at: unknown = doc;
	for (const key of path) {
		if (typeof at !== 'object' || at === null) return undefined;
		at = (at as Record<string | number, unknown>)[key];
	}
	return at;
}

/** Equal as stored: an ImmutableString is not the same as text with the same characters. */
export function sameValue(a: unknown, b: unknown): boolean {
	if (A.isImmutableString(a) || A.isImmutableString(b)) return A.isImmutableString(a) && A.isImmutableString(b) && a.val === b.val;
	if (A.isCounter(a) || A.isCounter(b)) return A.isCounter(a) && A.isCounter(b) && a.value === b.value;
	if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
	if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
	if (isMap(a) || isMap(b)) {
		if (!isMap(a) || !isMap(b)) return false;
		const keys = Object.keys(a);
		return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
	}
	return a === b;
}

/** A fresh value to write, keeping each kind: ImmutableString, text, Counter, list, map. */
function rebuild(value: unknown): unknown {
	if (A.isImmutableString(value)) return new A.ImmutableString(value.val);
	if (A.isCounter(value)) return new A.Counter(value.value);
	if (value instanceof Date) return new Date(value.getTime());
	if (value instanceof Uint8Array) return new Uint8Array(value);
	if (Array.isArray(value)) return value.map(rebuild);
	if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuild(v)]));
	return value;
}

/** Fields that take an item off every screen without deleting it (help, agenda, map). */
const HIDE_FIELDS = ['hidden', 'cancelled', 'removed'] as const;

export type Step =
	| { kind: 'set'; path: Path; value: unknown }
	| { kind: 'text'; path: Path; value: string }
	| { kind: 'counter'; path: Path; by: number }
	| { kind: 'delete'; path: Path }
	| { kind: 'hide'; path: Path; field: (typeof HIDE_FIELDS)[number] };

export interface UndoPlan {
	steps: Step[];
	/** Fields the member changed that someone else changed afterwards: left as they are. */
	kept: number;
	/** The member's changes this plan undoes. */
	changes: number;
}

export interface PlanOptions {
	/**
	 * Restore to these heads instead of "just before the member's first change there", and pay no
	 * attention to others (used to put a whole document back to how it was at a moment).
	 */
	beforeHeads?: string[];
}

/** What to write to undo the changes whose hashes are in `theirs`. Reads only. */
export function planUndo(doc: A.Doc<unknown>, theirs: ReadonlySet<string>, options: PlanOptions = {}): UndoPlan {
	const changes = changesOf(doc);
	const first = changes.findIndex((c) => theirs.has(c.hash));
	if (first < 0) return { steps: [], kept: 0, changes: 0 };
	const mine = new Map<string, { path: Path; first: number }>();
	const others: Array<{ index: number; units: Path[] }> = [];
	let counted = 0;
	for (let i = first; i < changes.length; i++) {
		const change = changes[i]!;
		const { units } = touchedBy(doc, change);
		if (!theirs.has(change.hash)) {
			if (!options.beforeHeads) others.push({ index: i, units });
			continue;
		}
		counted += 1;
		for (const unit of units) {
			const key = JSON.stringify(unit);
			if (!mine.has(key)) mine.set(key, { path: unit, first: i });
		}
	}
	// A field inside something the member also replaced, made or deleted is restored with it.
	const units = [...mine.values()]
		.filter((u) => ![...mine.values()].some((o) => o !== u && o.path.length < u.path.length && isPrefix(o.path, u.path)))
		.map((u) => ({
			...u,
			// Its own first change there, or the first one inside it.
			first: Math.min(u.first, ...[...mine.values()].filter((o) => isPrefix(u.path, o.path)).map((o) => o.first))
		}));

	const steps: Step[] = [];
	let kept = 0;
	const views = new Map<string, unknown>();
	const viewAt = (heads: string[]) => {
		const key = heads.join(',');
		if (!views.has(key)) views.set(key, A.view(doc, heads));
		return views.get(key);
	};
	const touchedByOthers = (path: Path, after: number) => others.some((o) => o.index > after && o.units.some((u) => related(u, path)));

	const restore = (path: Path, after: number, before: unknown) => {
		const oldValue = walk(before, path);
		const current = walk(doc, path);
		if (sameValue(oldValue, current)) return;
		// Its container is gone (someone else removed it since): nothing to put it back into.
		if (!isMap(walk(doc, path.slice(0, -1)))) return;
		if (!touchedByOthers(path, after)) {
			if (oldValue === undefined) steps.push({ kind: 'delete', path });
			else if (typeof oldValue === 'string' && typeof current === 'string') steps.push({ kind: 'text', path, value: oldValue });
			else if (A.isCounter(oldValue) && A.isCounter(current)) steps.push({ kind: 'counter', path, by: oldValue.value - current.value });
			else steps.push({ kind: 'set', path, value: oldValue });
			return;
		}
		if (isMap(oldValue) && isMap(current)) {
			for (const key of new Set([...Object.keys(oldValue), ...Object.keys(current)])) restore([...path, key], after, before);
			return;
		}
		if (oldValue === undefined && isMap(current)) {
			const field = HIDE_FIELDS.find((f) => Object.hasOwn(current, f));
			if (field && current[field] === null) {
				steps.push({ kind: 'hide', path, field });
				return;
			}
		}
		kept += 1;
	};

	for (const unit of units) {
		const before = viewAt(options.beforeHeads ?? changes[unit.first]!.deps);
		restore(unit.path, unit.first, before);
	}
	return { steps, kept, changes: counted };
}

export interface UndoStamp {
	/** The manager who asked for the undo. */
	by: string;
	at: Date;
	reason: string;
}

export interface UndoOutcome {
	restored: number;
	removed: number;
	hidden: number;
	kept: number;
}

export function outcomeOf(plan: UndoPlan): UndoOutcome {
	const count = (kinds: Step['kind'][]) => plan.steps.filter((s) => kinds.includes(s.kind)).length;
	return { restored: count(['set', 'text', 'counter']), removed: count(['delete']), hidden: count(['hide']), kept: plan.kept };
}

/** Writes a plan inside `A.change` / `handle.change`: one change for the whole document. */
export function applyUndo(d: unknown, plan: UndoPlan, stamp: UndoStamp): void {
	for (const step of plan.steps) {
		const parent = walk(d, step.path.slice(0, -1)) as Record<string, unknown> | undefined;
		const key = step.path[step.path.length - 1] as string;
		if (!parent) continue;
		switch (step.kind) {
			case 'set':
				parent[key] = rebuild(step.value);
				break;
			case 'text':
				A.updateText(d as A.Doc<unknown>, step.path as A.Prop[], step.value);
				break;
			case 'counter': {
				const counter = parent[key] as A.Counter;
				// An event's sequence tells calendar apps there is news: it only ever goes up.
				counter.increment(key === 'sequence' ? 1 : step.by);
				break;
			}
			case 'delete':
				delete parent[key];
				break;
			case 'hide': {
				const item = parent[key] as Record<string, unknown>;
				item[step.field] = {
					by: new A.ImmutableString(stamp.by),
					at: new A.ImmutableString(stamp.at.toISOString()),
					reason: new A.ImmutableString(stamp.reason)
				};
				break;
			}
		}
	}
}
