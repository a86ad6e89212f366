// A device that already holds a document, as every neighbour's phone holds the board: the stock
// repo gets the document from memory instead of asking the relay for all of it. A fan-out benchmark
// with a hundred devices would otherwise spend minutes loading the same ten-year quarter a hundred
// times before measuring anything.
import * as A from '@automerge/automerge/slim';
import { parseAutomergeUrl, type AutomergeUrl, type DocHandle, type Repo } from '@automerge/automerge-repo/slim';

/** `doc` (a clone: each device its own) as the repo's handle for `url`, ready and syncing. */
export function holdDocument<T>(repo: Repo, url: AutomergeUrl, doc: A.Doc<T>): DocHandle<T> {
	// automerge-repo 2.5.6 has no way in for a document already in memory but `import`, which loads
	// bytes: import nothing under the right id, put the document in, and say it is loaded.
	const handle = repo.import<T>(new Uint8Array(0), { docId: parseAutomergeUrl(url).documentId });
	// The handle then works out every patch from an empty document to this one (a quarter of a
	// second of CPU for a ten-year quarter, per device) for a change event nobody listens to yet.
	const backend = A.getBackend(doc) as unknown as Record<string, unknown>;
	backend.diff = () => [];
	try {
		handle.update(() => doc);
		handle.doneLoading();
	} finally {
		delete backend.diff;
	}
	return handle;
}
