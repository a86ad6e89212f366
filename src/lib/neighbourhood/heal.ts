// Two devices that upgrade an older root while offline each create their own empty index (say
// `docs.map = {}`) and may each list a new document in it. When they meet, Automerge keeps one of
// the two objects and hides the other as a conflict, so the document listed only in the hidden
// one would drop out of the neighbourhood, with everything written in it. Healing copies what
// only a hidden object lists into the visible one. It never removes anything, so devices that heal
// at the same time, in any order, end up with the same root.
import { getConflicts, type Doc } from '@automerge/automerge/slim';
import { isImmutableString, isRecord } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { RootDoc } from './document.ts';

/** The maps of the root that a migration (or a first use) may have created on two devices. */
const INDEXES = [
	['docs', 'help'],
	['docs', 'helpArchive'],
	['docs', 'helpSealed'],
	['docs', 'agenda'],
	['docs', 'map'],
	['managers'],
	['editors']
] as const;

export type Entry = { path: readonly string[]; key: string; value: string | true };

function entryValue(value: unknown): string | true | undefined {
	if (value === true) return true;
	if (typeof value === 'string' || isImmutableString(value)) return String(value);
	return undefined;
}

/** Entries that only a hidden (conflicting) copy of a root index holds. */
export function hiddenEntries(doc: Doc<unknown>): Entry[] {
	const found: Entry[] = [];
	for (const path of INDEXES) {
		let parent: unknown = doc;
		for (const step of path.slice(0, -1)) parent = isRecord(parent) ? parent[step] : undefined;
		const prop = path[path.length - 1];
		if (!isRecord(parent)) continue;
		const visible = parent[prop];
		const conflicts = getConflicts(parent as Doc<Record<string, unknown>>, prop);
		if (!isRecord(visible) || !conflicts || Object.keys(conflicts).length < 2) continue;
		for (const copy of Object.values(conflicts)) {
			if (!isRecord(copy) || copy === visible) continue;
			for (const [key, raw] of Object.entries(copy)) {
				const value = entryValue(raw);
				if (value !== undefined && !(key in visible)) found.push({ path, key, value });
			}
		}
	}
	return found;
}

/**
 * Writes the hidden entries into the visible indexes; records no change when there are none.
 * `keep` leaves out entries this device may not write (see `anyoneMayHeal` in rules.ts).
 */
export function healRoot(
	handle: { doc(): Doc<RootDoc> | undefined; change(fn: (d: RootDoc) => void): void },
	keep: (entry: Entry) => boolean = () => true
): number {
	const doc = handle.doc();
	if (!doc) return 0;
	const entries = hiddenEntries(doc).filter(keep);
	if (entries.length === 0) return 0;
	handle.change((d) => {
		for (const { path, key, value } of entries) {
			let target: unknown = d;
			for (const step of path) target = isRecord(target) ? target[step] : undefined;
			if (isRecord(target) && !(key in target)) target[key] = value === true ? true : imm(value);
		}
	});
	return entries.length;
}
