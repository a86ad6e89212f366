// After "Verwijder mijn gegevens" the relay no longer lets this device in, and its copies still hold
// what was erased: the neighbourhood is forgotten here and its storage deleted, so nothing of the
// person is left on their own device either. The database name is the one the repository opens
// (automerge/device-storage.ts).
import { neighbourhoods } from '../device/neighbourhoods.svelte.ts';
import { documentIdOf } from '../automerge/document-id.ts';

export async function forgetOnThisDevice(root: string): Promise<void> {
	await neighbourhoods.forget(root);
	await new Promise<void>((resolve) => {
		const request = indexedDB.deleteDatabase(`noaber-${documentIdOf(root)}`);
		// Blocked by another tab that still has it open: it is deleted once that tab closes.
		request.onsuccess = request.onerror = request.onblocked = () => resolve();
	});
}
