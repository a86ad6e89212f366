// The relay is gone for good (issue #15): the manager's device brings the neighbourhood to a fresh
// relay from its own copy, with the one code the new relay's operator made; the resident's device
// follows a personal invitation there as the member it is, and nothing anyone wrote is lost.
// One story: the devices must stay open throughout (policy.ts closes every device when a test
// ends), so this one test has a longer limit; each step waits only for what a person sees.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs, openPost, waitForOfflineReady } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let first: RunningRelay | undefined;
let second: RunningRelay | undefined;
let manager: Page;
let anna: Page;

const MANAGERS_POST = 'Wie helpt met de kerstboom?';
const ANNAS_POST = 'Boodschappen op donderdag';

test.afterEach(async () => {
	await first?.stop();
	await second?.stop();
	first = second = undefined;
});

/** On "Buren uitnodigen": a personal invitation (one use) for one named neighbour. */
async function personalInvitation(page: Page, name: string): Promise<string> {
	await page.getByLabel('Naam van één persoon die u uitnodigt').fill(name);
	await page.getByRole('button', { name: 'Persoonlijke uitnodiging maken' }).click();
	// The page may still show the last invitation for everyone: wait for this person's own.
	await expect(page.getByRole('heading', { name: `Persoonlijke uitnodiging voor ${name}` })).toBeVisible();
	await expect(page.getByTestId('invite-link')).toHaveValue(/&t=/);
	return page.getByTestId('invite-link').inputValue();
}

/** Everything this device has is on its relay, as the status line says. */
const shared = (page: Page) => expect(page.getByRole('status').filter({ hasText: 'Bijgewerkt met de buurt.' })).toBeVisible();

test('the relay is gone for good: the manager re-seeds a fresh relay, the resident follows, nothing is lost, and both keep sharing', async ({ browser }) => {
	test.setTimeout(180_000);
	await test.step('a manager and a resident write on the first relay, which then goes for good', async () => {
		first = await startRelay();
		manager = await device(browser);
		await createNeighbourhood(manager, first);
		anna = await device(browser);
		await joinAs(anna, await personalInvitation(manager, 'Anna'), 'Anna');
		await askForHelp(anna, ANNAS_POST);
		await askForHelp(manager, MANAGERS_POST);
		await openPost(manager, ANNAS_POST);
		await openPost(anna, MANAGERS_POST);
		await shared(manager);
		await shared(anna);
		await waitForOfflineReady(manager);
		await waitForOfflineReady(anna);

		await first.stop();
		first = undefined;
		await expect(manager.getByText('Opgeslagen op dit apparaat.')).toBeVisible();
	});

	await test.step("the manager's device brings the neighbourhood to a fresh relay with the operator's code", async () => {
		second = await startRelay();
		// The new relay's operator, in a shell on that server.
		const made = JSON.parse(
			execFileSync(process.execPath, ['bin/noaber.js', 'adopt-code', '--json'], {
				env: { ...process.env, NOABER_DATA: second.data, NOABER_PUBLIC_URL: second.origin },
				encoding: 'utf8'
			})
		) as { address: string; code: string };
		expect(made.address).toBe(second.origin);

		await manager.getByRole('link', { name: 'Werkt de server van uw buurt niet meer?' }).click();
		await expect(manager.getByRole('heading', { name: 'Onze server werkt niet meer', level: 1 })).toBeVisible();
		await manager.getByLabel('Adres van de nieuwe server').fill(made.address);
		await manager.getByLabel('Code van de beheerder').fill(`${made.code.slice(0, -2)}xx`);
		await manager.getByRole('button', { name: 'Buurt verhuizen' }).click();
		await expect(manager.getByText('Deze code klopt niet.')).toBeVisible();
		await manager.getByLabel('Code van de beheerder').fill(made.code);
		await manager.getByRole('button', { name: 'Buurt verhuizen' }).click();
		const host = new URL(second.origin).host;
		await expect(manager.getByText(`Klaar. Uw buurt staat nu op ${host}.`)).toBeVisible();
		await shared(manager);
		// Everything this device held is on the new relay, and the neighbourhood lists it first.
		await openPost(manager, ANNAS_POST);
		await openPost(manager, MANAGERS_POST);
	});

	await test.step('the resident follows a personal invitation to the new relay as herself, and nothing is lost', async () => {
		await manager.getByRole('link', { name: 'Uitnodigen' }).first().click();
		const link = await personalInvitation(manager, 'Anna');
		// The invitation names the new relay.
		expect(link).toContain(encodeURIComponent(new URL(second!.origin).host));

		await anna.goto(link);
		await expect(anna.getByText(`Uw buurt is verhuisd naar ${new URL(second!.origin).host}.`)).toBeVisible();
		await anna.getByRole('button', { name: 'Ja, ik ga mee' }).click();
		await expect(anna.getByRole('link', { name: 'Ik zoek hulp' })).toBeVisible();
		await shared(anna);
		await openPost(anna, MANAGERS_POST);
		await openPost(anna, ANNAS_POST);
		// Still her own post: she can close it, as only its author may.
		await expect(anna.getByRole('button', { name: 'Het is gedaan' })).toBeVisible();
	});

	await test.step('both devices keep sharing through the new relay', async () => {
		await askForHelp(anna, 'Wie rijdt mee naar de markt?');
		await askForHelp(manager, 'Koffie in het buurthuis');
		await openPost(manager, 'Wie rijdt mee naar de markt?');
		await openPost(anna, 'Koffie in het buurthuis');
		await shared(anna);
		await shared(manager);
	});
});
