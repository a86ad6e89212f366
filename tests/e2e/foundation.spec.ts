import type { Page, Route } from '@playwright/test';
import { expect, test } from './policy.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { device, joinAs, makeInvitation, waitForOfflineReady } from './flows.ts';
import { watchPolicy } from './policy.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

async function createNeighbourhood(page: Page) {
	expect(relay.setupLink, relay.output()).toBeTruthy();
	await page.goto(relay.setupLink!);
	await expect(page.getByRole('heading', { name: 'Een buurt starten' })).toBeVisible();
	await page.getByRole('button', { name: 'Buurt aanmaken' }).click();
	await expect(page.getByText('Er klopt iets niet')).toBeVisible();
	await expect(page.getByText('Vul dit in.').first()).toBeVisible();

	await page.getByLabel('Naam van de buurt').fill('Lindenbuurt');
	await page.getByLabel('Korte beschrijving').fill('Buren in de Lindenbuurt helpen elkaar.');
	await page.getByLabel('Gebied').fill('Lindenlaan en Beukenstraat');
	await page.getByLabel('Naam van de wijkverbinder').fill('Fatima de Vries');
	await page.getByLabel('Telefoonnummer van de hulplijn').fill('020 123 4567');
	await page.getByLabel('Wanneer is de hulplijn bereikbaar?').fill('maandag tot vrijdag, 9 tot 12 uur');
	await page.getByLabel('Uw naam').fill('Fatima');
	await page.getByRole('button', { name: 'Buurt aanmaken' }).click();

	await expect(page.getByRole('heading', { name: 'Buren uitnodigen' })).toBeVisible();
	const invite = await makeInvitation(page);
	await expect(page.getByRole('img', { name: /Richt de camera/ })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Doe mee met Lindenbuurt' })).toBeVisible();
	// A ticket to join, in the fragment: it reaches no server's log, and opens no document by itself.
	expect(invite).toMatch(/^http:\/\/localhost:\d+\/join#r=ws%3A%2F%2Flocalhost%3A\d+%2Fsync&d=automerge:\w+&t=[\w-]+\.[\w-]+$/);
	return invite;
}

test('a manager creates a neighbourhood and a resident joins, edits offline and syncs back', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager);

	const resident = await device(browser, { goesOffline: true });
	await joinAs(resident, invite, 'Bert', ['Boodschappen']);
	// The home page: name, contact person, the helpdesk as a tap-to-call link, the modules.
	await expect(resident.getByText('Fatima de Vries')).toBeVisible();
	await expect(resident.getByRole('link', { name: 'Bel 020 123 4567' }).first()).toHaveAttribute('href', 'tel:0201234567');
	await expect(resident.getByRole('heading', { name: 'Hulp vragen en bieden' })).toBeVisible();

	await resident.getByRole('link', { name: 'Buren', exact: true }).click();
	const residentList = resident.getByTestId('member-list');
	await expect(residentList.getByRole('heading', { name: /Fatima/ })).toBeVisible();
	await expect(residentList.getByRole('heading', { name: /Bert/ })).toBeVisible();

	await manager.getByRole('link', { name: 'Buren', exact: true }).click();
	const managerList = manager.getByTestId('member-list');
	await expect(managerList.getByRole('heading', { name: /Bert/ })).toBeVisible();
	await expect(managerList.getByText('Helpt met: Boodschappen')).toBeVisible();

	await expect(resident.getByRole('status').filter({ hasText: 'Bijgewerkt met de buurt' })).toBeVisible();
	await waitForOfflineReady(resident);

	// Offline: the edit stays on the device, survives a reload served by the service worker.
	await resident.context().setOffline(true);
	await resident.getByRole('link', { name: 'Mijn gegevens' }).click();
	await resident.getByLabel('Straat of buurt').fill('Beukenstraat');
	await resident.getByRole('button', { name: 'Opslaan' }).first().click();
	await expect(resident.getByText('Uw gegevens zijn opgeslagen.')).toBeVisible();
	await expect(resident.getByText('Opgeslagen op dit apparaat')).toBeVisible();

	await resident.reload();
	await expect(resident.getByLabel('Straat of buurt')).toHaveValue('Beukenstraat');
	await expect(resident.getByText('Opgeslagen op dit apparaat')).toBeVisible();
	await expect(managerList.getByText('Beukenstraat')).toHaveCount(0);

	// Back online: the manager sees the edit without reloading.
	await resident.context().setOffline(false);
	await expect(managerList.getByText('Beukenstraat')).toBeVisible({ timeout: 20_000 });
	await expect(resident.getByText('Bijgewerkt met de buurt')).toBeVisible();
});

test("a member's next start shows the home screen as it was at once, and what changed once the documents are open", async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager);
	// No service worker: the browser's own routing then sees every request of the page.
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await watchPolicy(context);
	const resident = await context.newPage();
	await joinAs(resident, invite, 'Bert');
	await expect(resident.getByRole('link', { name: '2 buren doen mee' })).toBeVisible();
	await resident.close();

	await manager.getByRole('link', { name: 'Start' }).click();
	await manager.getByRole('link', { name: 'Buurt aanpassen' }).click();
	await manager.getByLabel('Korte beschrijving').fill('Koffie op woensdag in het buurthuis.');
	await manager.getByRole('button', { name: 'Opslaan' }).click();
	await expect(manager.getByText('De gegevens van de buurt zijn opgeslagen.')).toBeVisible();

	// Automerge cannot start while its wasm is held back: what shows comes from the last start.
	const held: Route[] = [];
	await context.route('**/*.wasm', (route) => void held.push(route));
	const again = await context.newPage();
	await again.goto(relay.origin);
	await expect.poll(() => held.length).toBeGreaterThan(0);
	await expect(again.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(again.getByText('Het nieuws wordt geladen…')).toBeVisible();
	await expect(again.getByText('Buren in de Lindenbuurt helpen elkaar.')).toBeVisible();
	await expect(again.getByRole('link', { name: 'Bel 020 123 4567' }).first()).toBeVisible();
	await expect(again.getByRole('link', { name: '2 buren doen mee' })).toBeVisible();
	await expect(again.getByRole('link', { name: 'Ik zoek hulp' })).toBeVisible();
	// The header is already as it will be: the menu, and the helpdesk's number above the page.
	const menu = again.getByRole('navigation', { name: 'Noaber' });
	await expect(menu.getByRole('link', { name: 'Agenda', exact: true })).toBeVisible();
	await expect(again.locator('header').getByRole('link', { name: 'Bel de wijkverbinder: 020 123 4567' })).toBeVisible();
	// So is the agenda, opened in another tab meanwhile: its page, saying the agenda is opening.
	const agenda = await context.newPage();
	await agenda.goto(`${relay.origin}/agenda`);
	await expect(agenda.getByRole('heading', { name: 'Wat is er te doen?', level: 1 })).toBeVisible();
	await expect(agenda.getByRole('navigation', { name: 'Weergave' }).getByRole('link', { name: 'Deze week' })).toBeVisible();
	await expect(agenda.getByText('De agenda wordt geopend…')).toBeVisible();
	await expect(agenda.getByText('De buurt wordt geladen…')).toHaveCount(0);
	await expect(agenda.getByText('Er staat in deze periode niets in de agenda.')).toHaveCount(0);
	// The social map too.
	await agenda.goto(`${relay.origin}/kaart`);
	await expect(agenda.getByRole('heading', { name: 'Waar kan ik terecht?', level: 1 })).toBeVisible();
	await expect(agenda.getByText('De sociale kaart wordt geopend…')).toBeVisible();
	await expect(agenda.getByText('De buurt wordt geladen…')).toHaveCount(0);
	await agenda.close();
	// And the help board: its page, the buttons to ask and offer, and that the board is opening.
	const board = await context.newPage();
	await board.goto(`${relay.origin}/hulp`);
	await expect(board.getByRole('heading', { name: 'Hulp vragen en bieden', level: 1 })).toBeVisible();
	await expect(board.getByRole('link', { name: 'Ik zoek hulp' })).toBeVisible();
	await expect(board.getByText('Het prikbord wordt geopend…')).toBeVisible();
	await expect(board.getByText('De buurt wordt geladen…')).toHaveCount(0);
	await again.getByRole('link', { name: 'Ik zoek hulp' }).focus();

	for (const route of held.splice(0)) await route.continue();
	await context.unroute('**/*.wasm');
	await expect(again.getByText('Koffie op woensdag in het buurthuis.')).toBeVisible();
	// The home screen was brought up to date in place: the keyboard is where it was.
	await expect(again.getByRole('link', { name: 'Ik zoek hulp' })).toBeFocused();
	await expect(again.getByText('Buren in de Lindenbuurt helpen elkaar.')).toHaveCount(0);
	await expect(again.getByText('Het nieuws wordt geladen…')).toHaveCount(0);
	await expect(again.getByTestId('news')).toBeVisible();
	// The board filled in in place: its count, the search, no longer "wordt geopend".
	await expect(board.getByTestId('help-count')).toBeVisible();
	await expect(board.getByRole('searchbox', { name: 'Zoeken' })).toBeVisible();
	await expect(board.getByText('Het prikbord wordt geopend…')).toHaveCount(0);
	await context.close();
});

test('an invitation that is no longer valid tells the resident so', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager);
	const resident = await device(browser);
	await resident.goto(invite.replace(/t=[\w-]+\.[\w-]+$/, 't=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA'));
	await expect(resident.getByText('Deze uitnodiging is niet (meer) geldig')).toBeVisible();
	await resident.goto(invite.replace(/&d=.*$/, ''));
	await expect(resident.getByText('Deze link is geen volledige uitnodiging')).toBeVisible();
});

test('an operator creates a neighbourhood from the shell; its first member runs it', async ({ browser }) => {
	const { stdout } = await promisify(execFile)(process.execPath, ['bin/noaber.js', 'create', 'Lindenbuurt', '--json'], {
		env: { ...process.env, NOABER_DATA: relay.data, NOABER_PUBLIC_URL: relay.origin }
	});
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as { invite: string };
	const first = await device(browser);
	await first.goto(created.invite);
	await first.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await expect(first.getByText('Met deze uitnodiging wordt u de wijkverbinder')).toBeVisible();
	await first.getByLabel('Uw naam').fill('Henk');
	await first.getByRole('button', { name: 'Klaar' }).click();
	await expect(first.getByRole('link', { name: 'Buurt aanpassen' })).toBeVisible();
	await first.getByRole('link', { name: 'Buurt aanpassen' }).click();
	await first.getByLabel('Telefoonnummer van de hulplijn').fill('06 12');
	await first.getByRole('button', { name: 'Opslaan' }).click();
	await expect(first.getByText('Dit lijkt geen telefoonnummer')).toBeVisible();
	await first.getByLabel('Telefoonnummer van de hulplijn').fill('06 1234 5678');
	await first.getByRole('button', { name: 'Opslaan' }).click();
	await expect(first.getByText('De gegevens van de buurt zijn opgeslagen.')).toBeVisible();

	// A second device of the same person, linked through the profile page.
	await first.getByRole('link', { name: 'Mijn gegevens' }).click();
	await first.getByRole('link', { name: 'Een ander apparaat koppelen' }).click();
	await first.getByRole('button', { name: 'Code maken' }).click();
	const link = await first.getByTestId('device-link').inputValue();
	const tablet = await device(browser);
	await tablet.goto(link);
	await tablet.getByRole('button', { name: 'Ja, koppel dit apparaat' }).click();
	await tablet.getByRole('link', { name: 'Mijn gegevens' }).click();
	await expect(tablet.getByLabel('Uw naam')).toHaveValue('Henk');
	await expect(tablet.getByRole('link', { name: 'Bel de wijkverbinder: 06 1234 5678' })).toBeVisible();
});

test('a resident in two neighbourhoods switches between them and leaves one', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager);
	const { stdout } = await promisify(execFile)(process.execPath, ['bin/noaber.js', 'create', 'Beukenbuurt', '--json'], {
		env: { ...process.env, NOABER_DATA: relay.data, NOABER_PUBLIC_URL: relay.origin }
	});
	const second = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { invite: string }).invite;

	const resident = await device(browser);
	await joinAs(resident, invite, 'Bert');
	// Home shows before the documents are here (the relay sends it with the credential): Bert opens the
	// second invitation at once, while his profile is still being written in the first neighbourhood.
	await resident.goto(second);
	await resident.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await resident.getByLabel('Uw naam').fill('Bert');
	await resident.getByRole('button', { name: 'Klaar' }).click();
	await expect(resident.getByRole('heading', { name: 'Beukenbuurt', level: 1 })).toBeVisible();

	await resident.getByRole('link', { name: 'Andere buurt' }).click();
	await resident.getByRole('button', { name: 'Openen Lindenbuurt' }).click();
	await expect(resident.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(resident.getByText('Fatima de Vries')).toBeVisible();

	// Leaving asks once more, then the other neighbourhood is what remains; "Ongedaan maken" brings
	// the resident back, profile and all.
	const leave = async () => {
		await resident.getByRole('link', { name: 'Mijn gegevens' }).click();
		await resident.getByRole('button', { name: 'Stoppen met Lindenbuurt' }).click();
		await resident.getByRole('button', { name: 'Ja, ik stop' }).click();
		await expect(resident.getByRole('heading', { name: 'Beukenbuurt', level: 1 })).toBeVisible();
	};
	await leave();
	await manager.getByRole('link', { name: 'Buren', exact: true }).click();
	await expect(manager.getByTestId('member-list').getByRole('heading', { name: /Bert/ })).toHaveCount(0);
	await expect(resident.getByTestId('undo')).toContainText('U doet niet meer mee met Lindenbuurt.');
	await expect(resident.getByTestId('undo')).toBeFocused();
	await resident.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(resident.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(resident.getByText('Het is ongedaan gemaakt.')).toBeVisible();
	await expect(manager.getByTestId('member-list').getByRole('heading', { name: /Bert/ })).toBeVisible();

	await leave();
	await expect(manager.getByTestId('member-list').getByRole('heading', { name: /Fatima/ })).toBeVisible();
	await expect(manager.getByTestId('member-list').getByRole('heading', { name: /Bert/ })).toHaveCount(0);
});
