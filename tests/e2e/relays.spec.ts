// Several relays at once, and moving house. Relay 2 starts on a copy of relay 1's data folder,
// taken while both are stopped, so it holds the same neighbourhood and the same access records
// (replication between relays keeps those in step in real life). The root then lists both.
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs } from './flows.ts';
import { freePort, startRelay, type RunningRelay } from './relay.ts';
import { relayStored } from './stored-text.ts';

const socketOf = (relay: RunningRelay) => `${relay.origin.replace(/^http/, 'ws')}/sync`;
const portOf = (relay: RunningRelay) => Number(new URL(relay.origin).port);

let relays: RunningRelay[] = [];
const folders: string[] = [];

test.afterEach(async () => {
	await Promise.allSettled(relays.map((r) => r.stop()));
	relays = [];
	await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

/** The root as the relay keeps it, listing these relays: what a manager's pairing would add. */
async function listRelaysInFolder(data: string, root: string, list: string[]) {
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')), network: [] });
	const handle = await repo.find<{ relays: string[] }>(root as AutomergeUrl);
	handle.change((doc) => {
		doc.relays.splice(0, doc.relays.length, ...list);
	});
	await repo.flush();
	await repo.shutdown();
}

const statusOf = (page: Page) => page.getByRole('status').filter({ has: page.locator('.dot') });

async function seesPost(page: Page, title: string) {
	await page.getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(page.getByRole('link', { name: title })).toBeVisible();
}

/**
 * Fatima (manager) makes Lindenbuurt on relay 1 and Bert joins; then relay 1 stops, its folder is
 * copied for relay 2 and the root lists both; both relays start and both devices reach both.
 */
async function twoRelays(browser: Browser) {
	// Folders given to startRelay are kept at stop: relay 1 starts again on its own.
	const firstData = await mkdtemp(join(tmpdir(), 'noaber-e2e-relay1-'));
	const copy = await mkdtemp(join(tmpdir(), 'noaber-e2e-relay2-'));
	folders.push(firstData, copy);
	const first = await startRelay({ data: firstData });
	relays.push(first);
	const manager = await device(browser, { goesOffline: true });
	const invite = await createNeighbourhood(manager, first);
	const resident = await device(browser);
	await joinAs(resident, invite, 'Bert');
	const root = new URLSearchParams(invite.slice(invite.indexOf('#') + 1)).get('d')!;
	// Everything both wrote is on relay 1 before its folder is copied. A change still on its way
	// would reach relay 2 through the other device first: relay 2, not paired, would bind its actor
	// to that device's member and refuse it from its own author ("Whose is a passed-on change").
	await expect(statusOf(manager)).toHaveText('Bijgewerkt met de buurt.');
	await expect(statusOf(resident)).toHaveText('Bijgewerkt met de buurt.');

	await first.stop();
	relays = [];
	const second = { port: await freePort() };
	const secondSocket = `ws://localhost:${second.port}/sync`;
	await listRelaysInFolder(first.data, root, [socketOf(first), secondSocket]);
	await cp(first.data, copy, { recursive: true });
	// A relay's own id for its storage: a copy must not pass for the relay it was copied from.
	const storageId = join(copy, 'documents', 'st', 'orage-adapter-id');
	expect((await stat(storageId)).isFile()).toBe(true);
	await rm(storageId);

	const one = await startRelay({ data: first.data, port: portOf(first) });
	const two = await startRelay({ data: copy, port: second.port });
	relays.push(one, two);
	expect(socketOf(two)).toBe(secondSocket);

	// Fatima sees both servers, and that her device reaches each of them.
	await manager.getByRole('link', { name: 'Start' }).click();
	await manager.getByRole('link', { name: 'Buurt aanpassen' }).click();
	const listed = manager.getByTestId('relay');
	await expect(listed).toHaveCount(2);
	await expect(listed.nth(0)).toContainText(`localhost:${portOf(one)}`);
	await expect(listed.nth(0)).toContainText('Thuisserver');
	await expect(listed.nth(1)).toContainText(`localhost:${portOf(two)}`);
	await expect(manager.getByText('Dit apparaat bereikt deze server nu.')).toHaveCount(2);
	await expect(statusOf(manager)).toHaveText('Bijgewerkt met de buurt.');
	await expect(statusOf(resident)).toHaveText('Bijgewerkt met de buurt.');
	return { manager, resident, one, two };
}

test('two relays, one down: residents keep syncing through the other, and it catches up when back', async ({ browser }) => {
	test.setTimeout(120_000);
	const { manager, resident, two } = await twoRelays(browser);

	await two.stop();
	relays = relays.filter((r) => r !== two);
	// Calm: everything is shared, through the other server.
	const note = `De server localhost:${portOf(two)} is even niet bereikbaar. Alles gaat via de andere server.`;
	await expect(resident.getByTestId('relays-note')).toHaveText(note);
	await expect(manager.getByTestId('relays-note')).toHaveText(note);
	await expect(manager.getByText('Dit apparaat bereikt deze server nu niet.')).toBeVisible();

	await askForHelp(resident, 'Wie haalt mijn medicijnen op?');
	await expect(statusOf(resident)).toContainText('Bijgewerkt met de buurt.');
	await seesPost(manager, 'Wie haalt mijn medicijnen op?');

	// Fatima's phone goes off before relay 2 returns. These two relays were not paired (relay 2 is a
	// copy), so relay 2 cannot ask relay 1 whose a passed-on change is: Bert's device passing on
	// Fatima's changes is refused there (she brings them herself). Paired relays vouch for each
	// other's changes (README, "Whose is a passed-on change"; tests/relay/pairing-changes.test.ts).
	await manager.context().setOffline(true);
	await expect(statusOf(manager)).toContainText('Opgeslagen op dit apparaat.');

	// Relay 2 returns: the edit made meanwhile reaches it, and the note goes.
	const back = await startRelay({ data: two.data, port: portOf(two) });
	relays.push(back);
	await expect(resident.getByTestId('relays-note')).toHaveCount(0, { timeout: 20_000 });
	await expect(statusOf(resident)).toHaveText('Bijgewerkt met de buurt.');
	await expect.poll(async () => (await relayStored(back.data)).values.includes('Wie haalt mijn medicijnen op?')).toBe(true);

	await manager.context().setOffline(false);
	await expect(statusOf(manager)).toHaveText('Bijgewerkt met de buurt.', { timeout: 20_000 });
	await askForHelp(manager, 'Kan iemand de heg knippen?');
	await seesPost(resident, 'Kan iemand de heg knippen?');
	await expect.poll(async () => (await relayStored(back.data)).values.includes('Kan iemand de heg knippen?')).toBe(true);
});

test('moving house: the manager retires relay 1, a resident follows by itself and keeps syncing after relay 1 is gone', async ({ browser }) => {
	test.setTimeout(120_000);
	const { manager, resident, one, two } = await twoRelays(browser);

	const listed = manager.getByTestId('relay');
	await listed.nth(1).getByRole('button', { name: 'Verhuizen naar deze server' }).click();
	await manager.getByRole('button', { name: 'Ja, verhuizen' }).click();
	await expect(manager.getByText(`localhost:${portOf(two)} is nu de thuisserver.`, { exact: false })).toBeVisible();
	await expect(listed.nth(0)).toContainText(`localhost:${portOf(two)}`);
	await listed.nth(1).getByRole('button', { name: 'Niet meer gebruiken' }).click();
	await manager.getByRole('button', { name: 'Ja, niet meer gebruiken' }).click();
	await expect(listed).toHaveCount(1);
	await expect(listed.nth(0)).toContainText('Dit is de enige server.');

	// Both devices now call relay 2 their own: new invitations point there.
	const ownRelay = (page: Page) =>
		page.evaluate(() => (JSON.parse(localStorage.getItem('noaber.memberships') ?? '{}') as { list?: { relay: string }[] }).list?.[0]?.relay);
	await expect.poll(() => ownRelay(resident), { timeout: 20_000 }).toBe(socketOf(two));
	await expect.poll(() => ownRelay(manager)).toBe(socketOf(two));
	await expect(statusOf(resident)).toHaveText('Bijgewerkt met de buurt.');

	await one.stop();
	relays = relays.filter((r) => r !== one);
	await askForHelp(manager, 'Wie leest de krant voor?');
	await seesPost(resident, 'Wie leest de krant voor?');
	await askForHelp(resident, 'Wie rijdt mee naar de markt?');
	await seesPost(manager, 'Wie rijdt mee naar de markt?');
	// Relay 1 is no longer one of the neighbourhood's servers: nothing to tell the residents.
	await expect(statusOf(resident)).toHaveText('Bijgewerkt met de buurt.');
	await expect(resident.getByTestId('relays-note')).toHaveCount(0);

	await manager.getByRole('link', { name: 'Uitnodigen', exact: true }).click();
	await manager.getByRole('button', { name: 'Nieuwe uitnodiging voor iedereen' }).click();
	await expect(manager.getByTestId('invite-link')).toHaveValue(new RegExp(`^${two.origin}/join#r=${encodeURIComponent(socketOf(two))}&`));
});
