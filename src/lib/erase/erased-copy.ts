// A device's side of an erasure (relay/erase.ts): a copy of a document from before the rewrite is
// put aside for the relay's new version, on screen and in this device's storage, so the erased
// values leave this device too. Automerge would not merge the two anyway (the rewritten changes
// keep their actors and sequence numbers: rewrite.ts), so until this runs the document simply
// does not sync. What this device wrote that the relay never had is carried over, so nobody
// loses an edit made offline.
import * as A from '@automerge/automerge/slim';
import type { DocumentId, Repo, StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { applyPatch } from '../automerge/rebase.ts';
import { replaceDocument } from '../automerge/replace-stored.ts';
import { holdsAny } from './rewrite.ts';

/** What the relay says of one rewritten document (the access API's `erasures`). */
export interface ErasureNotice {
	document: string;
	first: string[];
}

/** The relay's version, with this device's changes the relay never had on top. */
export function carryOver<T>(old: A.Doc<T>, fresh: A.Doc<T>): A.Doc<T> {
	const clock = new Map<string, number>();
	for (const m of A.getChangesMetaSince(fresh, [])) clock.set(m.actor, Math.max(clock.get(m.actor) ?? 0, m.seq));
	// The relay had every change up to its clock for each actor; the rest are this device's, unsent.
	const unsent = A.getChangesMetaSince(old, []).filter((m) => m.seq > (clock.get(m.actor) ?? 0));
	if (unsent.length === 0) return fresh;
	const bytesOf = new Map(A.getAllChanges(old).map((bytes) => [A.decodeChange(bytes).hash, bytes]));
	let doc = fresh;
	let replayActor: string | undefined;
	for (const meta of unsent) {
		const bytes = bytesOf.get(meta.hash);
		if (bytes && meta.deps.every((hash) => A.hasHeads(doc, [hash]))) {
			[doc] = A.applyChanges(doc, [bytes]);
			continue;
		}
		// Built on a change that was rewritten: made again with the same effect, under a fresh actor.
		const patches = A.diff(old, meta.deps, [meta.hash]);
		replayActor ??= randomActor();
		const base = A.clone(doc, replayActor);
		try {
			doc = A.change(base, { time: meta.time }, (d) => {
				for (const patch of patches) applyPatch(d as unknown as Record<string, unknown>, patch);
			});
		} catch {
			// Its place is gone with what was erased: nothing left to carry.
		}
	}
	return doc;
}

/**
 * Replaces every open document this device holds an old copy of. `fetchCopy` asks the relay for its
 * version (the access API's `document`). Returns how many documents were replaced.
 */
export async function replaceErasedCopies(options: {
	repo: Repo;
	storage?: StorageAdapterInterface;
	erasures: readonly ErasureNotice[];
	fetchCopy: (documentId: string) => Promise<Uint8Array | undefined>;
}): Promise<number> {
	const { repo, storage } = options;
	const stale = new Map<string, string[]>();
	for (const notice of options.erasures) stale.set(notice.document, [...(stale.get(notice.document) ?? []), ...notice.first]);
	let replaced = 0;
	for (const [documentId, first] of stale) {
		const handle = repo.handles[documentId as DocumentId];
		if (!handle?.isReady() || !holdsAny(handle.doc() as A.Doc<unknown>, first)) continue;
		const bytes = await options.fetchCopy(documentId);
		if (!bytes) continue;
		const fresh = A.load<unknown>(bytes);
		const old = handle.doc() as A.Doc<unknown>;
		const next = carryOver(old, fresh);
		const gone = A.getChangesMetaSince(old, [])
			.map((m) => m.hash)
			.filter((hash) => !A.hasHeads(next, [hash]));
		await replaceDocument(repo, storage, handle, next, gone);
		replaced += 1;
	}
	return replaced;
}

function randomActor(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
