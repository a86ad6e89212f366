import 'fake-indexeddb/auto';
import { Repo } from '@automerge/automerge-repo/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../tests/memory-storage.ts';
import { openDeviceStorage, storageName } from '../automerge/device-storage.ts';
import { addRefused, readRefused } from '../automerge/refused-list.ts';
import { forgetOnDevice } from './forget.ts';
import { loadMemberships, saveMemberships, upsert, type Membership } from './memberships.ts';
import { rememberedHome, rememberHome, type RememberedHome } from './remembered-home.ts';
import { rememberedWeek, rememberWeek } from './remembered-week.ts';
import { rememberBoard, rememberedBoard } from './remembered-board.ts';
import { rememberMap, rememberedMap } from './remembered-map.ts';

const home: RememberedHome = {
	name: 'Lindenbuurt',
	description: '',
	area: '',
	contact: { name: 'Fatima de Vries', phone: '020 123 4567', hours: '' },
	modules: { help: true, agenda: true, map: true },
	members: 2,
	manager: false,
	actsForOthers: false
};

const A = 'automerge:4NMNnkMhL8jXrBvXDpELfZiBbM7z';
const B = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';

const membership = (root: string): Membership => ({ root, relay: 'wss://relay.example.nl', key: `key-of-${root}`, memberId: 'anna-0000-0001', name: root });

async function databaseNames(): Promise<string[]> {
	return (await indexedDB.databases()).map((d) => d.name ?? '');
}

/** Every key stored in a neighbourhood's database, read raw. */
async function storedKeys(root: string): Promise<string[]> {
	const open = indexedDB.open(storageName(root));
	await new Promise((resolve) => (open.onsuccess = resolve));
	const db = open.result;
	const keys = await new Promise<IDBValidKey[]>((resolve) => {
		const request = db.transaction('documents').objectStore('documents').getAllKeys();
		request.onsuccess = () => resolve(request.result);
	});
	db.close();
	return keys.map((key) => String(key));
}

const repos: Repo[] = [];
afterEach(async () => {
	await Promise.allSettled(repos.splice(0).map((repo) => repo.shutdown()));
	for (const name of await databaseNames()) indexedDB.deleteDatabase(name);
});

/** A neighbourhood's repo on this device with one document in it; its storage stays open, as in the app. */
async function neighbourhoodWith(root: string, text: string): Promise<string> {
	const repo = new Repo({ storage: openDeviceStorage(root), network: [] });
	repos.push(repo);
	const handle = repo.create({ text });
	await repo.flush();
	return handle.documentId;
}

describe('forgetting a neighbourhood on this device', () => {
	it("deletes its database while the app still holds it open, and leaves the other neighbourhood's documents", async () => {
		const ours = await neighbourhoodWith(A, 'Anna woont op nummer 12');
		const theirs = await neighbourhoodWith(B, 'Iets van de andere buurt');
		expect(await databaseNames()).toEqual(expect.arrayContaining([storageName(A), storageName(B)]));

		expect(await forgetOnDevice(A, { local: new MemoryStorage(), databases: indexedDB })).toBe('deleted');

		expect(await databaseNames()).not.toContain(storageName(A));
		const kept = await storedKeys(B);
		expect(kept.some((key) => key.includes(theirs))).toBe(true);
		expect(kept.some((key) => key.includes(ours))).toBe(false);
	});

	it('keeps a document another neighbourhood on this device also uses', async () => {
		const shared = await neighbourhoodWith(A, 'In beide buurten');
		// The same document, stored by the other neighbourhood's repo too.
		const other = openDeviceStorage(B);
		const chunk = new Uint8Array([1, 2, 3]);
		await other.save([shared, 'snapshot', 'abc'], chunk);

		await forgetOnDevice(A, { local: new MemoryStorage(), databases: indexedDB });

		expect(await other.load([shared, 'snapshot', 'abc'])).toEqual(chunk);
	});

	it('empties the database at once when another tab will not let go of it', async () => {
		await neighbourhoodWith(A, 'Anna woont op nummer 12');
		// An older app in another tab: its connection does not close when asked.
		const open = indexedDB.open(storageName(A));
		await new Promise((resolve) => (open.onsuccess = resolve));
		const stubborn = open.result;

		expect(await forgetOnDevice(A, { local: new MemoryStorage(), databases: indexedDB, waitMs: 200 })).toBe('emptied');

		const left = await new Promise<number>((resolve) => {
			const request = stubborn.transaction('documents').objectStore('documents').count();
			request.onsuccess = () => resolve(request.result);
		});
		expect(left).toBe(0);
		stubborn.close();
	});

	it('is done at once when this device never stored the neighbourhood', async () => {
		expect(await forgetOnDevice(A, { local: new MemoryStorage(), databases: indexedDB })).toBe('deleted');
		expect(await databaseNames()).not.toContain(storageName(A));
	});

	it("removes the membership with its credential and what is kept per neighbourhood, not the other's", async () => {
		const local = new MemoryStorage();
		saveMemberships(local, upsert(upsert({ current: null, list: [] }, membership(B)), membership(A)));
		for (const root of [A, B]) {
			local.setItem(`noaber.news.${root}`, '{"since":"2026-11-01T00:00:00.000Z","read":[]}');
			local.setItem(`noaber.invitation.${root}`, '{"link":"https://noaber.example/join#ticket"}');
			rememberHome(local, root, { ...home, name: `Buurt ${root}` });
			rememberWeek(local, root, { language: 'nl', week: '2026-11-30', label: 'maandag 30 november', days: [] });
			rememberBoard(local, root, { language: 'nl', cards: [] });
			rememberMap(local, root, { language: 'nl', cards: [] });
			addRefused(local, root, { id: 'x', documentId: 'doc', rule: 'rule', count: 1, at: '2026-11-01T00:00:00.000Z' });
		}
		local.setItem('noaber.push', JSON.stringify([A, B]));
		local.setItem('noaber.language', 'en');

		await forgetOnDevice(A, { local, databases: indexedDB });

		const state = loadMemberships(local);
		expect(state.list.map((m) => m.root)).toEqual([B]);
		expect(state.current).toBe(B);
		expect([...local.items.values()].join('\n')).not.toContain(`key-of-${A}`);
		expect([...local.items.keys()].filter((key) => key.includes(A))).toEqual([]);
		expect(readRefused(local, B)).toHaveLength(1);
		expect(local.getItem(`noaber.news.${B}`)).not.toBeNull();
		expect(local.getItem(`noaber.invitation.${B}`)).not.toBeNull();
		expect(rememberedHome(local, B)?.name).toBe(`Buurt ${B}`);
		expect(rememberedHome(local, A)).toBeUndefined();
		expect(rememberedWeek(local, B, { week: '2026-11-30', language: 'nl' })).toBeDefined();
		expect(rememberedBoard(local, B, 'nl')).toBeDefined();
		expect(rememberedMap(local, B, 'nl')).toBeDefined();
		expect(JSON.parse(local.getItem('noaber.push')!)).toEqual([B]);
		expect(local.getItem('noaber.language')).toBe('en');
	});
});
