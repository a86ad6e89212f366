// The relay's own copy of a document, for reading or rewriting it outside a sync (undo, erasure):
// loaded from its storage, or undefined when it is not there whole within `waitMs`. A document
// nobody has must not hold up the manager's request for automerge-repo's minute of asking peers.
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';

export async function loadDocument(repo: Repo, documentId: string, waitMs = 5000): Promise<DocHandle<unknown> | undefined> {
	let timer: NodeJS.Timeout | undefined;
	try {
		const handle = await Promise.race([
			repo.find<unknown>(`automerge:${documentId}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }),
			new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))
		]);
		return handle?.isReady() ? handle : undefined;
	} catch {
		return undefined;
	} finally {
		clearTimeout(timer);
	}
}
