// Paper without access: the QR code on the buurtblad leads to the neighbourhood's public page,
// which someone with no membership can read, and which the neighbourhood can switch off.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { createNeighbourhood, device } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** Today in Amsterdam, as a date field wants it: always in this week's public page. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());

/** The link behind the printed QR code. */
async function printedLink(page: Page): Promise<string> {
	await page.getByRole('link', { name: 'Start' }).click();
	await page.getByRole('link', { name: 'Buurtblad afdrukken' }).click();
	await expect(page.getByRole('heading', { name: 'Buurtblad Lindenbuurt' })).toBeVisible();
	await expect(page.getByRole('img', { name: 'Scan de code voor de openbare pagina van de buurt.' })).toBeVisible();
	return (await page.locator('.qr[data-link]').getAttribute('data-link')) ?? '';
}

test("the buurtblad's QR code opens a public page with the public activities and the helpline, for anyone", async ({ browser }) => {
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay, 'Fatima');
	await fatima.goto(`${relay.origin}/agenda/nieuw`);
	await fatima.getByLabel('Naam van de activiteit').fill('Koffieochtend');
	await fatima.getByLabel('Datum', { exact: true }).fill(today());
	await fatima.getByLabel('Begintijd').fill('10:00');
	await fatima.getByLabel('Eindtijd').fill('11:30');
	await fatima.getByLabel('Plek', { exact: true }).fill('Buurthuis De Linde');
	await fatima.getByLabel('Op de openbare pagina tonen').check();
	await fatima.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(fatima.getByRole('heading', { name: 'Koffieochtend', level: 1 })).toBeVisible();
	// The public page reads what the relay has: Fatima prints once her device says it is shared.
	await expect(fatima.getByRole('status').filter({ hasText: 'Bijgewerkt met de buurt' })).toBeVisible();

	const link = await printedLink(fatima);
	expect(link).toMatch(new RegExp(`^${relay.origin}/openbaar#r=ws%3A%2F%2Flocalhost%3A\\d+%2Fsync&d=automerge:\\w+$`));

	// Someone who scans the poster: a browser that has never been in the neighbourhood.
	const visitor = await device(browser);
	await visitor.goto(link);
	await expect(visitor.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(visitor).toHaveTitle('Lindenbuurt · Noaber');
	await expect(visitor.getByTestId('public-activities')).toHaveText('10.00–11.30 Koffieochtend, Buurthuis De Linde');
	await expect(visitor.getByRole('link', { name: 'Bel 020 123 4567' })).toHaveAttribute('href', 'tel:0201234567');
	const join = visitor.getByRole('link', { name: 'Meedoen met de buurt' });
	expect(await join.getAttribute('href')).toBe(link.replace('/openbaar#', '/join#'));
	await expect(visitor.getByRole('main')).not.toContainText('Fatima');
	// Large enough to read and to tap, like every page of the app.
	expect(await visitor.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(18);
	const box = await join.boundingBox();
	expect(box!.height).toBeGreaterThanOrEqual(44);
	const axe = await new AxeBuilder({ page: visitor }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(axe.violations.map((v) => v.id)).toEqual([]);
	// Reading the page made the visitor no member: the app still welcomes a newcomer.
	await visitor.goto(relay.origin);
	await expect(visitor.getByRole('heading', { name: 'Welkom bij Noaber' })).toBeVisible();

	// The neighbourhood switches the page off: paper goes without a code and names the helpline.
	await fatima.goto(`${relay.origin}/buurt`);
	await fatima.getByLabel('Openbare pagina aan').uncheck();
	await fatima.getByRole('link', { name: 'Start' }).click();
	await fatima.getByRole('link', { name: 'Buurtblad afdrukken' }).click();
	await expect(fatima.getByText('Meedoen met de buurt? Bel de hulplijn: 020 123 4567')).toBeVisible();
	await expect(fatima.getByRole('img', { name: 'Scan de code voor de openbare pagina van de buurt.' })).toHaveCount(0);

	const api = `${relay.origin}/api/public?d=${encodeURIComponent(link.split('&d=')[1])}`;
	await expect.poll(async () => (await visitor.request.get(api)).status()).toBe(404);
	// A relay that cannot be reached is not the same as a page switched off.
	const later = await device(browser);
	await later.goto(link.replace(/#r=[^&]+/, `#r=${encodeURIComponent('ws://127.0.0.1:9/sync')}`));
	await expect(later.getByText('Er is nu geen verbinding met de buurt.', { exact: false })).toBeVisible();
	await later.evaluate((hash) => (location.hash = hash), new URL(link).hash);
	await expect(later.getByText('Deze pagina is niet (meer) beschikbaar.')).toBeVisible();
	await expect(later.getByText('Bel de hulplijn die op het papier staat')).toBeVisible();
	await expect(later.getByText('Koffieochtend')).toHaveCount(0);
});
