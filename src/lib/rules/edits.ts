// What a change does, in the words of a document's shape: "put 'Boodschappen' at posts/<id>/title",
// "delete members/<id>". Read from the change's operations without applying it, so the relay can
// judge a change before its copy of the document holds it, and the app can judge its own changes
// the same way. Positions in lists and text are not part of a path: rules speak of the list.
import * as A from '@automerge/automerge/slim';

export type Path = readonly string[];

/** An object the change makes, as the value put at its key. */
export interface Made {
	made: 'map' | 'list' | 'text';
}

export type Scalar = string | number | boolean | null;

export type Edit =
	/**
	 * `replaces`: the author saw a value there and wrote over it. Without it, the put is a first
	 * value, even where another device's concurrent first value already arrived (both merge).
	 */
	| { kind: 'put'; path: Path; value: Scalar | Made; replaces?: true }
	| { kind: 'delete'; path: Path }
	| { kind: 'increment'; path: Path }
	/** Characters or marks of the text at `path` changed. */
	| { kind: 'text'; path: Path }
	/** Items of the list at `path` inserted, set or removed. */
	| { kind: 'list'; path: Path };

/** A decoded change with what it does. */
export interface ReadChange {
	hash: string;
	actor: string;
	seq: number;
	deps: string[];
	edits: Edit[];
}

/**
 * Where an object the stored document has sits, and what kind it is; undefined when unknown. With
 * `heads`, where it sat then: an object deleted since is placed as the change's author saw it.
 */
export type Placer = (objectId: string, heads?: readonly string[]) => { path: Path; type: 'map' | 'list' | 'text' } | undefined;

/** The position in a list stands for every position: rules speak of the list as a whole. */
export const ANY_ITEM = '*';

export class UnplacedObject extends Error {
	constructor(readonly objectId: string) {
		super(`change touches an object the document does not have: ${objectId}`);
	}
}

type ObjType = 'map' | 'list' | 'text';
const MAKE: Record<string, ObjType | undefined> = { makeMap: 'map', makeTable: 'map', makeList: 'list', makeText: 'text' };

/** The relay's or the device's copy of a document as a Placer. */
export function placerOf(doc: A.Doc<unknown> | undefined): Placer {
	// A document new to the judge still has its root map: the first change writes into it.
	if (!doc) return (objectId) => (objectId === '_root' ? { path: [], type: 'map' } : undefined);
	const backend = A.getBackend(doc);
	return (objectId, heads) => {
		if (objectId === '_root') return { path: [], type: 'map' };
		try {
			const info = heads ? backend.objInfo(objectId, [...heads]) : backend.objInfo(objectId);
			if (!info.path) return undefined;
			const type = info.type === 'text' ? 'text' : info.type === 'list' ? 'list' : 'map';
			return { path: info.path.map((p) => (typeof p === 'number' ? ANY_ITEM : String(p))), type };
		} catch {
			return undefined;
		}
	};
}

function scalar(value: unknown): Scalar {
	if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	if (typeof value === 'bigint') return Number(value);
	// Bytes, timestamps: the app stores none; rules treat them as an unknown value.
	return null;
}

/**
 * Reads changes in the order given (a sync message sends them in causal order), placing objects the
 * stored document has through `place` and objects made earlier in the same list by their make
 * operation. Throws UnplacedObject for an operation on an object neither knows: that is a change
 * on something deleted, or one whose earlier changes are missing.
 */
export function readChanges(changes: readonly A.Change[], place: Placer): ReadChange[] {
	return readDecoded(changes.map((bytes) => A.decodeChange(bytes)), place);
}

/** As readChanges, for changes already decoded (the relay decodes each once, to skip what it holds). */
export function readDecoded(changes: readonly A.DecodedChange[], place: Placer): ReadChange[] {
	const made = new Map<string, { path: Path; type: ObjType }>();
	const where = (objectId: string, deps: readonly string[]) => {
		const found = made.get(objectId) ?? place(objectId) ?? (deps.length > 0 ? place(objectId, deps) : undefined);
		if (!found) throw new UnplacedObject(objectId);
		return found;
	};
	return changes.map((change) => {
		const edits: Edit[] = [];
		const touched = new Set<string>();
		const once = (edit: Edit) => {
			// Typing a sentence is one edit of the text, not one per character.
			const key = `${edit.kind}\u0000${edit.path.join('\u0000')}`;
			if (edit.kind !== 'put' && touched.has(key)) return;
			touched.add(key);
			edits.push(edit);
		};
		change.ops.forEach((op, index) => {
			const opId = `${change.startOp + index}@${change.actor}`;
			const parent = where(op.obj, change.deps);
			const makes = MAKE[op.action];
			if (parent.type !== 'map') {
				if (parent.type === 'text') once({ kind: 'text', path: parent.path });
				else once({ kind: 'list', path: parent.path });
				if (makes) made.set(opId, { path: [...parent.path, ANY_ITEM], type: makes });
				return;
			}
			const path = [...parent.path, String(op.key)];
			const replaces = op.pred.length > 0 ? { replaces: true as const } : {};
			if (makes) {
				made.set(opId, { path, type: makes });
				edits.push({ kind: 'put', path, value: { made: makes }, ...replaces });
			} else if (op.action === 'set') edits.push({ kind: 'put', path, value: scalar(op.value), ...replaces });
			else if (op.action === 'del') edits.push({ kind: 'delete', path });
			else if (op.action === 'inc') once({ kind: 'increment', path });
			else edits.push({ kind: 'put', path, value: null });
		});
		return { hash: change.hash, actor: change.actor, seq: change.seq, deps: change.deps, edits };
	});
}
