// "Leaving clears this device": everything this device keeps of one neighbourhood, deleted. The
// documents (its IndexedDB database, see automerge/device-storage.ts), the membership with its
// credential, and what is kept per neighbourhood in localStorage: news read, changes the relay
// refused, the last invitation made (it holds a ticket), the home screen, the agenda's week, the board's and the map's first screenful last shown, and its place in the push list. The push
// subscription itself is let go by notify/device-push.ts (switchOff), which also tells the relay.
import { storageName } from '../automerge/device-storage.ts';
import { loadMemberships, remove, saveMemberships } from './memberships.ts';
import { REMEMBERED_HOME } from './remembered-home.ts';
import { REMEMBERED_WEEK } from './remembered-week.ts';
import { REMEMBERED_BOARD } from './remembered-board.ts';
import { REMEMBERED_MAP } from './remembered-map.ts';

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Keys other modules keep per neighbourhood (root URL appended). */
const PER_NEIGHBOURHOOD = [
	'noaber.news.', // news/seen.svelte.ts
	'noaber.refused.', // automerge/refused-list.ts
	'noaber.invitation.', // routes/uitnodigen
	REMEMBERED_HOME,
	REMEMBERED_WEEK,
	REMEMBERED_BOARD,
	REMEMBERED_MAP
];
/** The roots that use this device's push subscription (notify/device-push.ts). */
const PUSH_LIST = 'noaber.push';

/**
 * 'deleted': the database is gone. 'emptied': every document in it is deleted, but another tab
 * still holds the database open (an older version of the app); the browser removes the empty
 * database once that tab closes.
 */
export type Forgotten = 'deleted' | 'emptied';

export interface DeviceStores {
	local: KeyValue;
	databases: IDBFactory;
	/** How long to wait for other tabs to let go of the database. */
	waitMs?: number;
}

/** Deletes what this device keeps of the neighbourhood with this root. */
export async function forgetOnDevice(root: string, stores: DeviceStores): Promise<Forgotten> {
	forgetLocal(root, stores.local);
	return deleteDatabase(stores.databases, storageName(root), stores.waitMs ?? 3000);
}

function forgetLocal(root: string, local: KeyValue) {
	saveMemberships(local, remove(loadMemberships(local), root));
	for (const prefix of PER_NEIGHBOURHOOD) local.removeItem(prefix + root);
	try {
		const list: unknown = JSON.parse(local.getItem(PUSH_LIST) ?? '[]');
		if (Array.isArray(list) && list.includes(root)) local.setItem(PUSH_LIST, JSON.stringify(list.filter((r) => r !== root)));
	} catch {
		// A damaged list is device-push's to read around; it holds no content.
	}
}

const settle = (request: IDBRequest | IDBOpenDBRequest) =>
	new Promise<void>((resolve, reject) => {
		request.addEventListener('success', () => resolve());
		request.addEventListener('error', () => reject(request.error));
	});

/**
 * Empties the database first: clearing works while other connections are open, deleting waits for
 * them. Then deletes it; a connection that does not let go leaves an empty database behind.
 */
async function deleteDatabase(factory: IDBFactory, name: string, waitMs: number): Promise<Forgotten> {
	const known = typeof factory.databases === 'function' ? (await factory.databases()).some((d) => d.name === name) : true;
	if (!known) return 'deleted';
	await clearAll(factory, name);
	const request = factory.deleteDatabase(name);
	const deleted = settle(request).then(() => 'deleted' as const);
	const waited = new Promise<'emptied'>((resolve) => setTimeout(() => resolve('emptied'), waitMs));
	return Promise.race([deleted, waited]);
}

async function clearAll(factory: IDBFactory, name: string): Promise<void> {
	const open = factory.open(name);
	await settle(open);
	const db = open.result;
	try {
		const stores = [...db.objectStoreNames];
		if (stores.length === 0) return;
		const transaction = db.transaction(stores, 'readwrite');
		for (const store of stores) transaction.objectStore(store).clear();
		await new Promise<void>((resolve, reject) => {
			transaction.addEventListener('complete', () => resolve());
			transaction.addEventListener('error', () => reject(transaction.error));
			transaction.addEventListener('abort', () => reject(transaction.error));
		});
	} finally {
		db.close();
	}
}
