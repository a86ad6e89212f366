// A manager's repair of a damaged root: what the app already reads around (an impossible version,
// an id or members document a peer removed) is written back, so every device, also an older app
// that cannot read around it, sees a whole neighbourhood again. Nothing that is there is replaced.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { automergeUrl, id, isRecord, str } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { RootDoc } from './document.ts';
import { rebuild } from './migrate.ts';
import { createdAs, original } from './origin.ts';
import * as v from 'valibot';
import { repairable, type RootProblem } from './problems.ts';
import { readNeighbourhood } from './view.ts';

type Mutable = Record<string, unknown>;

/** What `repairRoot` would repair now. */
export function repairs(doc: unknown): RootProblem[] {
	const read = readNeighbourhood(doc);
	return read.ok ? read.problems.filter(repairable) : [];
}

/** Copies of the creation's document indexes (the social map's document is listed there). */
function indexesOf(origin: unknown): Mutable {
	const docs = isRecord(origin) && isRecord(origin.docs) ? origin.docs : {};
	const indexes: Mutable = {};
	for (const key of ['help', 'helpArchive', 'helpSealed', 'agenda', 'map']) {
		const index: Mutable = {};
		const listed = docs[key];
		if (isRecord(listed)) {
			for (const [url, period] of Object.entries(listed)) {
				const text = v.safeParse(str, period);
				if (text.success) index[url] = imm(text.output);
			}
		}
		indexes[key] = index;
	}
	return indexes;
}

/** The members document the root was created with, when the root now points elsewhere. */
export function membersToRestore(doc: unknown): string | undefined {
	const read = readNeighbourhood(doc);
	const created = original(doc, ['docs', 'members'], automergeUrl);
	return read.ok && created !== undefined && created !== read.neighbourhood.docs.members ? created : undefined;
}

/**
 * For a members document nobody has: points the root back at the one it was created with.
 * Returns that URL, or undefined (no change) when there is none to go back to.
 */
export function restoreMembers(handle: DocHandle<RootDoc>): string | undefined {
	const url = membersToRestore(handle.doc());
	if (url === undefined) return undefined;
	handle.change((root) => {
		const d = root as unknown as Mutable;
		if (!isRecord(d.docs)) d.docs = indexesOf(createdAs(handle.doc()));
		(d.docs as Mutable).members = imm(url);
	});
	return url;
}

/** Repairs what it can in one change; returns the problems it repaired (none: no change recorded). */
export function repairRoot(handle: DocHandle<RootDoc>): RootProblem[] {
	const doc = handle.doc();
	const todo = repairs(doc);
	if (todo.length === 0) return [];
	const origin = createdAs(doc);
	const kinds = new Set(todo.map((p) => p.kind));
	handle.change((root) => {
		const d = root as unknown as Mutable;
		if (kinds.has('version-impossible')) rebuild(d);
		const knownId = kinds.has('id-missing') ? original(doc, ['id'], id) : undefined;
		if (knownId !== undefined) d.id = imm(knownId);
		const members = kinds.has('members-missing') ? original(doc, ['docs', 'members'], automergeUrl) : undefined;
		if (members !== undefined) {
			if (!isRecord(d.docs)) d.docs = indexesOf(origin);
			(d.docs as Mutable).members = imm(members);
		}
	});
	return todo;
}
