import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs, openPost } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** Every IndexedDB database of the page, read raw: its name, and per object store every key. */
function storedOnDevice(page: Page) {
	return page.evaluate(async () => {
		const out: { name: string; keys: string[] }[] = [];
		for (const { name } of await indexedDB.databases()) {
			if (!name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			const keys: string[] = [];
			for (const store of db.objectStoreNames) {
				const all = await new Promise<IDBValidKey[]>((resolve) => {
					const request = db.transaction(store).objectStore(store).getAllKeys();
					request.onsuccess = () => resolve(request.result);
				});
				keys.push(...all.map((key) => String(key)));
			}
			db.close();
			out.push({ name, keys });
		}
		return { databases: out, local: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`) };
	});
}

test('a resident reads and downloads their data, then leaves and nothing of the neighbourhood stays on the device', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	const rootId = /d=automerge:(\w+)/.exec(invite)![1];
	await askForHelp(manager, 'Ladder lenen voor de dakgoot');

	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await askForHelp(bert, 'Hulp met de vuilnisbak');
	// Fatima answers Bert's post: her message is hers, not part of Bert's data.
	await openPost(manager, 'Hulp met de vuilnisbak');
	await manager.getByLabel('Bericht').fill('Fatima komt dinsdag langs.');
	await manager.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('1 buur reageerde')).toBeVisible();
	// Bert answers Fatima's post: his message is sealed, and his own to download.
	await openPost(bert, 'Ladder lenen voor de dakgoot');
	await bert.getByLabel('Bericht').fill('Bert brengt zijn ladder.');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('Uw reactie is verstuurd.')).toBeVisible();

	await bert.getByRole('link', { name: 'Mijn gegevens' }).click();
	await expect(bert.getByRole('heading', { name: 'Mijn profiel', level: 1 })).toBeVisible();
	await bert.getByRole('link', { name: 'Bekijk alles wat Noaber van u bewaart' }).click();
	await expect(bert.getByRole('heading', { name: 'Mijn gegevens', level: 1 })).toBeVisible();
	await expect(bert.getByText('Hulp met de vuilnisbak')).toBeVisible();
	await expect(bert.getByText('Bert brengt zijn ladder.')).toBeVisible();
	await expect(bert.getByRole('button', { name: 'Afdrukken' })).toBeEnabled();
	// Not in the every-route walks (routes.ts), which are near their time limit: checked here.
	const axe = await new AxeBuilder({ page: bert }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

	const [download] = await Promise.all([bert.waitForEvent('download'), bert.getByRole('button', { name: 'Downloaden als bestand (JSON)' }).click()]);
	expect(download.suggestedFilename()).toMatch(/\.json$/);
	const text = await readFile(await download.path(), 'utf8');
	const data = JSON.parse(text) as { person: { profile: { name: string }; posts: { title: string }[]; responses: { message: string }[] } };
	expect(data.person.profile.name).toBe('Bert');
	expect(data.person.posts.map((p) => p.title)).toEqual(['Hulp met de vuilnisbak']);
	expect(data.person.responses.map((r) => r.message)).toEqual(['Bert brengt zijn ladder.']);
	for (const theirs of ['Fatima', 'Ladder lenen', 'komt dinsdag langs']) expect(text).not.toContain(theirs);

	// Before leaving, the neighbourhood's documents are on this device.
	expect((await storedOnDevice(bert)).databases.map((d) => d.name)).toContain(`noaber-${rootId}`);

	await bert.getByRole('link', { name: 'Terug naar mijn profiel' }).click();
	await bert.getByRole('button', { name: 'Stoppen met Lindenbuurt' }).click();
	await expect(bert.getByLabel('Ook alles van Lindenbuurt van dit apparaat verwijderen')).toBeChecked();
	await bert.getByRole('button', { name: 'Ja, ik stop' }).click();
	await expect(bert.getByRole('heading', { name: 'Welkom bij Noaber', level: 1 })).toBeVisible();
	await expect(bert.getByTestId('undo')).toContainText('Alles van Lindenbuurt is van dit apparaat verwijderd.');

	const left = await storedOnDevice(bert);
	expect(left.databases.filter((d) => d.name.startsWith('noaber-'))).toEqual([]);
	expect(left.databases.flatMap((d) => d.keys)).toEqual([]);
	expect(left.local.filter((entry) => entry.includes(rootId))).toEqual([]);
});
