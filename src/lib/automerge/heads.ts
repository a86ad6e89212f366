// A document's heads as automerge-repo writes them: base58 with a checksum, two SHA-256 hashes per
// head (15 µs a call in Node, more on a cheap phone). The status line compares the heads of every
// open document with what the relays and this device's storage hold, every second and at every
// change; a document's heads change only with the document, so they are read once per version.
import type { DocHandle } from '@automerge/automerge-repo/slim';

const read = new WeakMap<object, string>();

/**
 * The heads of a ready document as one string, in one order whichever order they are listed in
 * (heads are a set): equal for two documents exactly when they hold the same changes.
 */
export function headsKey(handle: DocHandle<unknown>): string {
	// A view of one moment has its heads as given; its `doc()` is made anew at every call.
	if (handle.isReadOnly()) return sortedKey(handle.heads());
	// Each change gives the handle a new document object; one version is never changed.
	const version = handle.doc() as object;
	let key = read.get(version);
	if (key === undefined) {
		key = sortedKey(handle.heads());
		read.set(version, key);
	}
	return key;
}

/** Heads as `headsKey` writes them. */
export const sortedKey = (heads: readonly string[]): string => [...heads].sort().join();
