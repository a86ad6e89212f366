// Where a neighbourhood's documents live on this device: one IndexedDB database per neighbourhood,
// named after its root, used by automerge-repo's IndexedDB adapter. One database per neighbourhood
// means leaving one can delete all of its documents at once, and a document two neighbourhoods
// share (unlikely) stays in the other's database.
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
import { documentIdOf } from './document-id.ts';

export const storageName = (root: string): string => `noaber-${documentIdOf(root)}`;

/**
 * The adapter for a neighbourhood. automerge-repo-storage-indexeddb 2.5.6 keeps its database open
 * for good and has no close(): a database left open here (by a closed connection, or by another
 * tab) would hold up deleting it for as long as the page lives. Its connection therefore lets go
 * as soon as someone asks to delete the database; the adapter keeps the connection in a field its
 * type declares private (`dbPromise`), hence the cast.
 */
export function openDeviceStorage(root: string): IndexedDBStorageAdapter {
	const adapter = new IndexedDBStorageAdapter(storageName(root));
	const opened = (adapter as unknown as { dbPromise?: Promise<IDBDatabase> }).dbPromise;
	opened
		?.then((db) => {
			db.onversionchange = () => db.close();
		})
		.catch(() => undefined);
	return adapter;
}
