// automerge-repo 2.5.6 loads a document in `Repo.#loadDocumentWithProgress`, which races each step
// against `foreverPromise`, one promise for the whole process that never settles (or, when find()
// is given a signal, against `abortable(foreverPromise, signal)`). Every race leaves a reaction on
// that promise holding the race's own promise, and the first race's promise holds the document
// loaded from storage. So every document the relay ever loaded stayed in memory for good, the
// Automerge document behind it included, even after the relay unloaded it: with 200
// neighbourhoods opened once, 1.3 GB that unloading could not give back.
//
// The way out upstream leaves open: each find gets a signal, aborted once the load is over. The
// abortable promise then settles and lets go of the races and the document; what stays behind on
// the forever promise is a few small closures per load.
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo/slim';

type Find = Repo['find'];

const PREFIX = 'automerge:';

/** The document id in what `find` takes: an id, or an automerge URL (perhaps with heads). */
export function documentIdIn(id: Parameters<Find>[0]): DocumentId {
	const text = String(id);
	const bare = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
	const hash = bare.indexOf('#');
	return (hash < 0 ? bare : bare.slice(0, hash)) as DocumentId;
}

export function releaseFinds(repo: Repo): void {
	const find = repo.find.bind(repo);
	repo.find = (async (id: Parameters<Find>[0], options: Parameters<Find>[1] = {}) => {
		// A ready handle starts no load, so there is nothing to let go of. The repo finds the
		// document of every message it receives: most finds are these.
		if (repo.handles[documentIdIn(id)]?.isReady()) return find(id, options);
		const release = new AbortController();
		const signal = options.signal ? AbortSignal.any([options.signal, release.signal]) : release.signal;
		let handle: DocHandle<unknown>;
		try {
			handle = await find(id, { ...options, signal });
		} catch (error) {
			release.abort();
			throw error;
		}
		// A find may return before the load is over (a handle still asking the devices). Only a load
		// that ended ready is let go of, one turn of the event loop later, when upstream has no step
		// left to race. Cutting short a handle that still asked the devices broke a neighbourhood moving to
		// another relay (tests/e2e/relays.spec.ts); a load that found nothing on disk holds no document.
		void handle
			.whenReady(['ready'])
			.then(() => setTimeout(() => release.abort(), 0).unref())
			.catch(() => undefined);
		return handle;
	}) as Find;
}
