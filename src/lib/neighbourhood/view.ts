import * as v from 'valibot';
import { automergeUrl, id, isRecord, str } from '../automerge/fields.ts';
import { readVersion } from './document.ts';
import { original } from './origin.ts';
import type { RootProblem } from './problems.ts';
import { RootView, type Neighbourhood } from './schema.ts';
import { isPhone } from '../validation/plain-text.ts';
import { line } from '../validation/stored-text.ts';


/** What can still be read from a root that cannot be shown: who may repair it, whom to call. */
export interface RootRemains {
	name: string;
	phone: string;
	managers: string[];
}

export type RootRead =
	| { ok: true; neighbourhood: Neighbourhood; problems: RootProblem[] }
	| { ok: false; problems: string[]; remains: RootRemains };

/** The parts of the root worth having when the rest is beyond reading. */
const Remains = v.object({
	name: v.fallback(line(200), ''),
	contact: v.fallback(v.object({ phone: v.fallback(v.pipe(str, v.check(isPhone)), '') }), { phone: '' }),
	managers: v.fallback(v.record(v.string(), v.unknown()), {})
});

function remainsOf(doc: unknown): RootRemains {
	const read = v.safeParse(Remains, isRecord(doc) ? doc : {});
	if (!read.success) return { name: '', phone: '', managers: [] };
	const { managers } = read.output;
	return {
		name: read.output.name,
		phone: read.output.contact.phone,
		managers: Object.keys(managers).filter((k) => managers[k] === true)
	};
}

/**
 * A root from any peer, as the app can show it; `ok: false` only when it cannot be a neighbourhood
 * at all (not a map, or no members document even in its first version). An id or members document
 * a peer removed is read from the root as it was created.
 */
export function readNeighbourhood(doc: unknown): RootRead {
	if (!isRecord(doc)) return readRoot(doc);
	let read = cache.get(doc);
	if (read === undefined) {
		read = readRoot(doc);
		cache.set(doc, read);
	}
	return read;
}

// Automerge documents are immutable snapshots: a root that did not change is not read again. The
// page's view, the board's housekeeping and every action ask for its index; each read validated the
// whole root (ten years of documents listed), 11 ms a time in a trace of the cheap phone.
const cache = new WeakMap<object, RootRead>();

function readRoot(doc: unknown): RootRead {
	const result = v.safeParse(RootView, doc);
	if (!result.success) {
		return { ok: false, problems: result.issues.map((i) => `${v.getDotPath(i) ?? 'root'}: ${i.message}`), remains: remainsOf(doc) };
	}
	const neighbourhood = result.output;
	const problems: RootProblem[] = [];
	// Read here too: valibot leaves out a missing optional key, and a missing version is version 0.
	const version = readVersion(isRecord(doc) ? doc.schemaVersion : undefined);
	neighbourhood.schemaVersion = version;
	if (version.kind === 'newer') problems.push({ kind: 'version-newer', version: version.version });
	if (version.kind === 'impossible') problems.push({ kind: 'version-impossible' });
	if (neighbourhood.docs.members === '') {
		const members = original(doc, ['docs', 'members'], automergeUrl);
		if (members === undefined) return { ok: false, problems: ['docs.members: missing'], remains: remainsOf(doc) };
		problems.push({ kind: 'members-missing', restorable: true });
		neighbourhood.docs.members = members;
	}
	if (neighbourhood.id === '') {
		const known = original(doc, ['id'], id);
		problems.push({ kind: 'id-missing', restorable: known !== undefined });
		neighbourhood.id = known ?? '';
	}
	if (neighbourhood.name === '') neighbourhood.name = original(doc, ['name'], line(200)) ?? '';
	return { ok: true, neighbourhood, problems };
}

export type EditorModule = 'agenda' | 'map';

/** Managers, and volunteers a manager marked as editors of the module, may edit every item in it. */
export const isEditor = (n: Neighbourhood, module: EditorModule, memberId: string | undefined): boolean =>
	isManager(n, memberId) || n.editors.some((e) => e.module === module && e.memberId === memberId);

export const isManager = (n: Neighbourhood, memberId: string | undefined): boolean =>
	memberId !== undefined && n.managers.includes(memberId);
