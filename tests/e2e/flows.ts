// What people do in the app, shared by the browser tests.
import { expect, type Browser, type Page } from '@playwright/test';
import { watchPolicy } from './policy.ts';
import type { RunningRelay } from './relay.ts';
import { addDays, dayOf } from '../../src/lib/agenda/time.ts';
import { todayWall } from '../../src/lib/agenda/window.ts';

/**
 * A date some days from today as the neighbourhood's date fields want it: today in the app's zone
 * (the agenda's `todayWall`), not in UTC. Between midnight in Amsterdam and midnight in UTC, a UTC
 * date was yesterday, and "today's" activity fell in last week.
 */
export const dayAhead = (days: number): string => dayOf(addDays(todayWall(), days));

/**
 * Waits until the page has kept what it shows for the next start (`prefix`: the key of the board's,
 * the agenda's or the map's, device/remembered-*.ts), holding `saying`. A page keeps it once it is
 * idle; a person does not close it within a frame of it showing, and a test that did so measured the
 * machine's load.
 */
export async function keptForNextStart(page: Page, prefix: string, saying: string): Promise<void> {
	await expect
		.poll(() => page.evaluate(([prefix, saying]) => Object.entries(localStorage).some(([key, value]) => key.startsWith(prefix) && value.includes(saying)), [prefix, saying] as const))
		.toBe(true);
}

/**
 * A resident's device. `goesOffline`: the test takes its network away. Such a device runs its
 * documents worker as a phone with Chrome on Android does (a worker per tab): the browser's offline
 * switch used in tests does not reach a shared worker, whose connection a real device loses with
 * its network.
 */
export async function device(browser: Browser, options: { goesOffline?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext();
	await watchPolicy(context);
	if (options.goesOffline) await context.addInitScript(() => Reflect.deleteProperty(globalThis, 'SharedWorker'));
	return context.newPage();
}

/** The service worker controls the page: from now on it loads without a network. */
export async function waitForOfflineReady(page: Page) {
	await page.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return navigator.serviceWorker.controller !== null;
	});
}

/** The community manager creates Lindenbuurt through the setup link; returns the invite link. */
export async function createNeighbourhood(page: Page, relay: RunningRelay, managerName = 'Fatima'): Promise<string> {
	expect(relay.setupLink, relay.output()).toBeTruthy();
	await page.goto(relay.setupLink!);
	await page.getByLabel('Naam van de buurt').fill('Lindenbuurt');
	await page.getByLabel('Korte beschrijving').fill('Buren in de Lindenbuurt helpen elkaar.');
	await page.getByLabel('Naam van de wijkverbinder').fill('Fatima de Vries');
	await page.getByLabel('Telefoonnummer van de hulplijn').fill('020 123 4567');
	await page.getByLabel('Uw naam').fill(managerName);
	await page.getByRole('button', { name: 'Buurt aanmaken' }).click();
	await expect(page.getByRole('heading', { name: 'Buren uitnodigen' })).toBeVisible();
	return makeInvitation(page);
}

/** On "Buren uitnodigen", a manager makes a new invitation for anyone; returns its link. */
export async function makeInvitation(page: Page): Promise<string> {
	// The page shows the last invitation made on this device until the new one is there.
	const link = page.getByTestId('invite-link');
	const shown = (await link.count()) > 0 ? await link.inputValue() : '';
	await page.getByRole('button', { name: 'Nieuwe uitnodiging voor iedereen' }).click();
	await expect(link).not.toHaveValue(shown);
	await expect(link).toHaveValue(/&t=/);
	return link.inputValue();
}

export async function joinAs(page: Page, invite: string, name: string, helpWith: string[] = []) {
	await page.goto(invite);
	await expect(page.getByText('Doe mee met Lindenbuurt.')).toBeVisible();
	await page.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await page.getByLabel('Uw naam').fill(name);
	await page.getByLabel('Straat of buurt').fill('Lindenlaan');
	for (const category of helpWith) await page.getByLabel(category, { exact: true }).check();
	await page.getByRole('button', { name: 'Klaar' }).click();
	await expect(page.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
}

/** From the home page: "Ik zoek hulp", a category, a title, post. Lands on the post's page. */
export async function askForHelp(page: Page, title: string, options: { category?: string; forWhom?: string } = {}) {
	await page.getByRole('link', { name: 'Start' }).click();
	await page.getByRole('link', { name: 'Ik zoek hulp' }).click();
	if (options.forWhom) await page.getByLabel('Voor wie is dit?').selectOption({ label: options.forWhom });
	await page.getByLabel(options.category ?? 'Boodschappen', { exact: true }).check();
	await page.getByLabel('Korte titel').fill(title);
	await page.getByRole('button', { name: 'Plaatsen' }).click();
	await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

export async function openPost(page: Page, title: string) {
	await page.getByRole('link', { name: 'Hulp', exact: true }).click();
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}
