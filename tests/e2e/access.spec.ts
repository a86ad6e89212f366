// Who gets in, as residents see it: a link cannot move a device to another relay, and a device from
// before the update (the neighbourhood's old shared key) keeps working without any step.
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { AccessBook } from '../../relay/access-book.ts';
import { Registry } from '../../relay/registry.ts';
import { askForHelp, createNeighbourhood, device, joinAs, openPost } from './flows.ts';
import { startHeldRelay } from './held-line.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

interface Stored {
	current: string | null;
	list: Array<Record<string, unknown> & { root: string; relay: string; credential?: string; key?: string }>;
}

const stored = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('noaber.memberships') ?? '{}') as Stored);

/**
 * Where this device belongs, as a link to another relay could change it: which neighbourhood is
 * current, and for each its relay, credential and member. Other fields (the key ring made after
 * joining, a profile waiting to be written) keep changing on their own for a moment after joining.
 */
const belonging = async (page: Page) => {
	const { current, list } = await stored(page);
	return { current, list: list.map(({ root, relay, credential, memberId }) => ({ root, relay, credential, memberId })) };
};

test('an existing member opens a link that names another relay: the device stays with its own relay and says so', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	const anna = await device(browser);
	await joinAs(anna, invite, 'Anna');
	const before = await belonging(anna);

	const root = before.list[0]!.root;
	const elsewhere = `${relay.origin}/join#r=${encodeURIComponent('wss://andere-server.example/sync')}&d=${root}&t=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA`;
	await anna.goto(elsewhere);
	await expect(anna.getByText('Deze link wijst naar een andere server')).toBeVisible();
	expect(await belonging(anna)).toEqual(before);

	// And it still shares with its own neighbourhood.
	await askForHelp(manager, 'Wie helpt met de kerstboom?');
	await anna.getByRole('link', { name: 'Naar de buurt' }).click();
	await openPost(anna, 'Wie helpt met de kerstboom?');
});

test('a device with the old shared key keeps working after the update, gets its own credential, and stays in when the key is closed', async ({
	browser
}) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	let anna = await device(browser);
	await joinAs(anna, invite, 'Anna');

	// A phone as it was before December 2026: the neighbourhood's shared key, no credential, and a
	// member the relay has never heard of (members then existed only in the documents).
	const registry = new Registry(relay.data);
	const record = registry.list()[0]!;
	registry.setOldKey(record.id, 'OudeSleutelVanDeFlyer2025');
	// The page is closed first: a device still finishing its own join would write its state over the fake.
	const context = anna.context();
	await anna.close();
	await context.addInitScript(() => {
		if (localStorage.getItem('test.oldPhone')) return;
		const state = JSON.parse(localStorage.getItem('noaber.memberships')!) as Stored;
		for (const m of state.list) {
			delete m.credential;
			delete m.roles;
			delete m.status;
			m.key = 'OudeSleutelVanDeFlyer2025';
			m.memberId = 'oud-lid-anna-0001';
		}
		localStorage.setItem('noaber.memberships', JSON.stringify(state));
		localStorage.setItem('test.oldPhone', 'yes');
	});
	anna = await context.newPage();
	// The layout and the page both open the neighbourhood at start: the key is swapped once, or the
	// refused second swap would leave one of them on the old key.
	let swaps = 0;
	anna.on('request', (request) => void (request.url().endsWith('/api/access/upgrade') && swaps++));
	await anna.goto(relay.origin);
	await expect(anna.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect.poll(async () => (await stored(anna)).list[0]).toMatchObject({ credential: expect.stringMatching(/\./) });
	expect(swaps).toBe(1);
	expect((await stored(anna)).list[0]).toMatchObject({ memberId: 'oud-lid-anna-0001', status: 'active' });
	expect((await stored(anna)).list[0]!.key).toBeUndefined();

	// The manager closes the old key: Anna's phone, now with its own credential, does not notice.
	new AccessBook(relay.data).closeOldKey(record.id);
	await askForHelp(manager, 'Soep voor de buurvrouw');
	await openPost(anna, 'Soep voor de buurvrouw');
});

test('a neighbour who joins sees the neighbourhood’s home at once, while its documents are still on their way', async ({ browser }) => {
	// Behind a line that can hold what the relay sends this neighbour, on every socket of the device.
	const held = await startHeldRelay();
	await relay.stop();
	relay = held;
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	const resident = await device(browser);
	// A line that brings no document yet: the neighbourhood, its members, nothing.
	const line = held.hold({ answered: 0 });
	await joinAs(resident, invite, 'Bert');
	await expect.poll(() => line.held).toBeGreaterThan(0);
	// What the relay sent with the credential: the home screen as the documents will show it.
	await expect(resident.getByText('Buren in de Lindenbuurt helpen elkaar.')).toBeVisible();
	await expect(resident.getByRole('link', { name: 'Bel 020 123 4567' })).toBeVisible();
	await expect(resident.getByRole('link', { name: 'Ik zoek hulp' })).toBeVisible();
	await expect(resident.getByText('Het nieuws wordt geladen…')).toBeVisible();
	await expect(resident.getByText('1 buur doet mee')).toBeVisible();

	// The documents arrive: the same screen, now from them, with Bert's own profile in the list.
	line.release();
	await expect(resident.getByText('2 buren doen mee')).toBeVisible();
	await expect(resident.getByText('Het nieuws wordt geladen…')).toHaveCount(0);
	await expect(resident.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await manager.context().close();
	await resident.context().close();
});
