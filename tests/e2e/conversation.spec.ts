import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs, openPost } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { browserStored, relayStored } from './stored-text.ts';
import { openMemberAccess } from './access-flows.ts';
import { currentKey, type KeyRing } from '../../src/lib/crypto/keys.ts';
import type { Page } from '@playwright/test';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

test('two neighbours talk about a request, one of them offline; nobody else, and not the relay, can read it', async ({ browser }) => {
	// Three devices join one after another before the walk starts.
	test.setTimeout(120_000);
	const anna = await device(browser, { goesOffline: true });
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	const cor = await device(browser);
	await joinAs(cor, invite, 'Cor');

	await askForHelp(anna, 'Heg knippen');
	await openPost(bert, 'Heg knippen');
	await bert.getByLabel('Bericht').fill('Ik kom zaterdag met mijn heggenschaar.');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('Uw reactie is verstuurd.')).toBeVisible();
	await expect(bert.getByText('Uw bericht: Ik kom zaterdag met mijn heggenschaar.')).toBeVisible();
	await expect(anna.getByTestId('responses')).toContainText('Bert: Ik kom zaterdag met mijn heggenschaar.');

	// Anna answers without a connection; Bert writes meanwhile.
	await anna.context().setOffline(true);
	await anna.getByLabel('Uw bericht').fill('Prima, de poort is open.');
	await anna.getByRole('button', { name: 'Bericht sturen' }).click();
	await expect(anna.getByTestId('conversation')).toContainText('Prima, de poort is open.');
	await bert.getByLabel('Uw bericht').fill('Tot zaterdag!');
	await bert.getByRole('button', { name: 'Bericht sturen' }).click();
	await expect(bert.getByTestId('conversation')).toContainText('Tot zaterdag!');
	await anna.context().setOffline(false);
	await expect(anna.getByTestId('conversation')).toContainText('Tot zaterdag!');
	await expect(bert.getByTestId('conversation')).toContainText('Prima, de poort is open.');

	// Cor sees that Bert responded, and nothing of what they wrote.
	await openPost(cor, 'Heg knippen');
	await expect(cor.getByText('1 buur reageerde')).toBeVisible();
	await expect(cor.getByTestId('conversation')).toHaveCount(0);

	const secrets = ['heggenschaar', 'poort is open', 'Tot zaterdag'];
	const onRelay = await relayStored(relay.data);
	const onCor = await browserStored(cor);
	// What is meant for everyone is stored readable: the search would find a secret too.
	expect(onRelay.history).toContain('Heg knippen');
	expect(onCor.history).toContain('Heg knippen');
	for (const secret of secrets) {
		expect(onRelay.raw).not.toContain(secret);
		expect(onRelay.history).not.toContain(secret);
		expect(onCor.raw).not.toContain(secret);
		expect(onCor.history).not.toContain(secret);
	}
});

/** The key ring a device keeps for its member (in its membership record). */
async function ringOf(page: Page): Promise<KeyRing> {
	const stored = await page.evaluate(() => localStorage.getItem('noaber.memberships'));
	const list = (JSON.parse(stored ?? '{}') as { list?: { ring?: KeyRing }[] }).list ?? [];
	return list[0]!.ring!;
}

test("a device linked later reads the older messages; a removed device cannot open what is sent after", async ({ browser }) => {
	test.setTimeout(120_000);
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await askForHelp(anna, 'Lamp ophangen');
	await openPost(bert, 'Lamp ophangen');
	await bert.getByLabel('Bericht').fill('Ik heb een trapje.');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(anna.getByTestId('responses')).toContainText('Bert: Ik heb een trapje.');

	// Bert links his tablet; it reads what was written before.
	await bert.goto(`${relay.origin}/apparaat-koppelen`);
	await bert.getByRole('button', { name: 'Code maken' }).click();
	const link = await bert.getByTestId('device-link').inputValue();
	const tablet = await device(browser);
	await tablet.goto(link);
	await tablet.getByRole('button', { name: 'Ja, koppel dit apparaat' }).click();
	await openPost(tablet, 'Lamp ophangen');
	await expect(tablet.getByText('Uw bericht: Ik heb een trapje.')).toBeVisible();
	const tabletRing = await ringOf(tablet);

	// The tablet is lost: the manager removes it. Bert's phone makes a new key, out of the tablet's reach.
	await openMemberAccess(anna, 'Bert');
	const tabletCard = anna.getByTestId('device-list').getByRole('listitem').nth(1);
	await tabletCard.getByRole('button', { name: 'Apparaat verwijderen' }).click();
	await anna.getByRole('button', { name: 'Ja, verwijder dit apparaat' }).click();
	await expect(anna.getByTestId('device-list').getByRole('listitem')).toHaveCount(1);
	await expect.poll(async () => currentKey(await ringOf(bert)).n, { timeout: 20_000 }).toBe(2);

	await openPost(anna, 'Lamp ophangen');
	await expect(anna.getByTestId('responses')).toContainText('Bert: Ik heb een trapje.');
	await anna.getByLabel('Uw bericht').fill('Kom maar om 3 uur.');
	await anna.getByRole('button', { name: 'Bericht sturen' }).click();
	await openPost(bert, 'Lamp ophangen');
	await expect(bert.getByTestId('conversation')).toContainText('Kom maar om 3 uur.');

	// The relay stored that message sealed to Bert's new key only, which the tablet never had.
	const bertRing = await ringOf(bert);
	const sealedValues = (await relayStored(relay.data)).values.flatMap((value) => {
		try {
			const parsed = JSON.parse(value) as { sealed?: string; to?: unknown };
			return [JSON.parse(parsed.sealed ?? value) as { to: { m: string; n: number }[] }].filter((v) => Array.isArray(v.to));
		} catch {
			return [];
		}
	});
	const toBert = sealedValues.map((v) => v.to.find((r) => r.m === bertRing.member)?.n);
	expect(toBert).toContain(1);
	expect(toBert.at(-1)).toBe(2);
	expect(tabletRing.keys.map((k) => k.n)).toEqual([1]);
});
