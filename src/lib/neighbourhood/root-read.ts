// The root document read once per version on this device. The pages' view, the modules'
// housekeeping and every action ask for the root's index; each read validated the whole root (ten
// years of documents listed), 11 ms a time in a trace of the cheap phone (bench/help-phone.ts
// --trace). An Automerge document is a new object once it changed, so the object says the version.
import { readNeighbourhood, type RootRead } from './view.ts';

const reads = new WeakMap<object, RootRead>();

/** `readNeighbourhood` of a document a handle gave: never of one changed in place since. */
export function readRootOnce(doc: unknown): RootRead {
	if (typeof doc !== 'object' || doc === null) return readNeighbourhood(doc);
	let read = reads.get(doc);
	if (read === undefined) {
		read = readNeighbourhood(doc);
		reads.set(doc, read);
	}
	return read;
}
