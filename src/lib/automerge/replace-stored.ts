// Puts a rebuilt document (see rebase.ts) in place of the one a DocHandle holds, on screen and in
// this device's storage. Replacing only the handle is not enough: the stored chunks still hold the
// changes that were taken out, and the next start would load them again.
//
// automerge-repo 2.5.6 has no way to replace a stored document. Its StorageSubsystem remembers the
// heads it last saved and the chunks it knows; after the handle is replaced, its next save calls
// `saveSince(newDoc, oldHeads)` with heads the new document does not have, which yields nothing,
// and `removeDoc` clears the chunks but not that memory (a later save would then write nothing, and
// the document would be gone from the device). So this writes one snapshot of the new document
// itself, removes every other chunk of it, and has the subsystem load it again, which resets what
// it remembers; then it saves whatever was changed in between.
import * as A from '@automerge/automerge/slim';
import type { DocHandle, Repo, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim';

/** Replaces the handle's document with `doc`, which must lack every change in `gone`, and stores it so. */
export async function replaceDocument<T>(
	repo: Repo,
	storage: StorageAdapterInterface | undefined,
	handle: DocHandle<T>,
	doc: A.Doc<T>,
	gone: string[]
): Promise<void> {
	handle.update(() => doc);
	const subsystem = repo.storageSubsystem;
	if (!storage || !subsystem) return;
	const id = handle.documentId;
	// A save of the old document may still be under way and land after the clean-up; then clean again.
	for (let attempt = 0; attempt < 3; attempt += 1) {
		const current = handle.doc();
		const key: StorageKey = [id, 'snapshot', `replaced-${A.getHeads(current).join('-').slice(0, 64)}`];
		await storage.save(key, A.save(current));
		const chunks = [...(await storage.loadRange([id, 'snapshot'])), ...(await storage.loadRange([id, 'incremental']))];
		for (const chunk of chunks) if (chunk.key.join('/') !== key.join('/')) await storage.remove(chunk.key);
		// Loading resets the subsystem's record of saved heads and chunks to what is stored now.
		const stored = await subsystem.loadDoc<T>(id);
		if (stored && !gone.some((hash) => A.hasHeads(stored, [hash]))) break;
	}
	// Edits made while this ran are in the handle but may have been in a chunk just removed.
	await subsystem.saveDoc(id, handle.doc());
}
