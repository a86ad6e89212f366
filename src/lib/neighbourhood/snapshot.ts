// Every document of a neighbourhood as this device holds it, each with its whole history: what an
// export file is made of. The root decides which documents are the neighbourhood's
// (documents.ts), the same list the relay uses.
import { save } from '@automerge/automerge/slim';
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { listedDocuments } from './documents.ts';
import { documentIdOf } from '../automerge/document-id.ts';

export interface Snapshot {
	/** By document id (without `automerge:`), the root first. */
	documents: Map<string, Uint8Array>;
	/** Listed documents that are not on this device (yet): an export without them is incomplete. */
	missing: string[];
}


async function found(repo: Repo, url: string, timeoutMs: number): Promise<DocHandle<unknown> | undefined> {
	const finding = repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
	// A document only the relay has, with the relay away, would keep the export waiting for ever.
	const late = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs));
	const handle = await Promise.race([finding.catch(() => undefined), late]);
	return handle?.isReady() ? handle : undefined;
}

export async function snapshot(repo: Repo, rootUrl: string, timeoutMs = 15_000): Promise<Snapshot> {
	const documents = new Map<string, Uint8Array>();
	const missing: string[] = [];
	const root = await found(repo, rootUrl, timeoutMs);
	if (!root) return { documents, missing: [documentIdOf(rootUrl)] };
	const rootDoc = root.doc();
	documents.set(documentIdOf(rootUrl), save(rootDoc));
	for (const url of listedDocuments(rootDoc)) {
		const handle = await found(repo, url, timeoutMs);
		if (handle) documents.set(documentIdOf(url), save(handle.doc()));
		else missing.push(documentIdOf(url));
	}
	return { documents, missing };
}
