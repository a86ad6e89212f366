import type { Route } from '@playwright/test';
import { expect, test, watchPolicy } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs, keptForNextStart, openPost, waitForOfflineReady } from './flows.ts';
import { REMEMBERED_BOARD } from '../../src/lib/device/remembered-board.ts';
import { appoint } from './access-flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { startHeldRelay } from './held-line.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

test('a resident asks for help, a neighbour who matches offers it, and it gets done', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert', ['Boodschappen']);

	await askForHelp(anna, 'Boodschappen op donderdag');
	await expect(anna.getByText('Buren die hierbij willen helpen: Bert')).toBeVisible();
	await expect(anna.getByText('Nog geen reacties')).toBeVisible();
	// Closing a request nobody answered asks first.
	await anna.getByRole('button', { name: 'Het is gedaan' }).click();
	await expect(anna.getByText('Er is nog niemand geaccepteerd')).toBeVisible();
	await anna.getByRole('button', { name: 'Nee, terug' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Open');

	await openPost(bert, 'Boodschappen op donderdag');
	await bert.getByLabel('Bericht').fill('Ik ga toch naar de Jumbo.');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('Uw reactie is verstuurd.')).toBeVisible();

	// Anna's page updates without reloading.
	await expect(anna.getByText('1 buur reageerde')).toBeVisible();
	await expect(anna.getByTestId('responses')).toContainText('Bert: Ik ga toch naar de Jumbo.');
	await anna.getByRole('button', { name: 'Bert accepteren' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Afgesproken');
	await anna.getByRole('button', { name: 'Het is gedaan' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Gedaan');
	await anna.getByLabel('Uw bedankje').fill('Dank je wel, Bert!');
	await anna.getByRole('button', { name: 'Bedankje sturen' }).click();

	await expect(bert.getByTestId('post-status')).toHaveText('Stand: Gedaan');
	await expect(bert.getByText('Anna bedankte: Dank je wel, Bert!')).toBeVisible();
	await bert.getByRole('link', { name: 'Terug naar alle berichten' }).click();
	await bert.getByLabel('Stand').selectOption({ label: 'Gedaan' });
	await expect(bert.getByRole('link', { name: 'Boodschappen op donderdag' })).toBeVisible();
});

test('a volunteer posts for a resident without a device and gets the responses', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const vera = await device(browser);
	await joinAs(vera, invite, 'Vera');
	// Only an intermediary (or a manager) may make a profile that someone else acts for.
	await appoint(anna, 'Vera', 'Tussenpersoon: laat nieuwe buren binnen en helpt buren zonder telefoon');

	await vera.getByRole('link', { name: 'Buren', exact: true }).click();
	await vera.getByRole('link', { name: 'Iemand zonder telefoon of computer toevoegen' }).click();
	await vera.getByLabel('Uw naam').fill('Henk');
	await vera.getByRole('button', { name: 'Profiel maken' }).click();
	await expect(vera.getByText('Vraag eerst toestemming')).toBeVisible();
	await vera.getByLabel('Telefonisch').check();
	await vera.getByLabel('Deze persoon weet hiervan en is het ermee eens.').check();
	await vera.getByRole('button', { name: 'Profiel maken' }).click();
	await expect(vera.getByText('Mensen voor wie ik dingen regel: Henk')).toBeVisible();

	await askForHelp(vera, 'Ritje naar het ziekenhuis', { category: 'Vervoer', forWhom: 'Henk' });
	await expect(vera.getByText('Voor Henk, geplaatst door Vera')).toBeVisible();

	await openPost(anna, 'Ritje naar het ziekenhuis');
	await expect(anna.getByText('Voor Henk, geplaatst door Vera')).toBeVisible();
	await anna.getByRole('button', { name: 'Ik kan helpen' }).click();

	await expect(vera.getByTestId('responses')).toContainText('Anna');
	await vera.getByRole('button', { name: 'Anna accepteren' }).click();
	await expect(vera.getByTestId('post-status')).toHaveText('Stand: Afgesproken');
	await vera.getByText('Geschiedenis').click();
	await expect(vera.getByText(/Henk – hulp geaccepteerd \(gedaan door Vera\)/)).toBeVisible();

	await vera.getByRole('link', { name: 'Terug naar alle berichten' }).click();
	await vera.getByRole('link', { name: 'Mijn hulp' }).click();
	await expect(vera.getByRole('link', { name: 'Ritje naar het ziekenhuis' })).toBeVisible();
});

test('two offline edits of the same post on two devices both survive', async ({ browser }) => {
	const manager = await device(browser, { goesOffline: true });
	const invite = await createNeighbourhood(manager, relay, 'Anna');
	await askForHelp(manager, 'Hulp in de tuin', { category: 'Tuin' });

	// Anna's second device, linked to her profile.
	await manager.getByRole('link', { name: 'Mijn gegevens' }).click();
	await manager.getByRole('link', { name: 'Een ander apparaat koppelen' }).click();
	await manager.getByRole('button', { name: 'Code maken' }).click();
	const link = await manager.getByTestId('device-link').inputValue();
	const tablet = await device(browser, { goesOffline: true });
	await tablet.goto(link);
	await tablet.getByRole('button', { name: 'Ja, koppel dit apparaat' }).click();
	await openPost(tablet, 'Hulp in de tuin');
	await openPost(manager, 'Hulp in de tuin');
	expect(invite).toContain('/join#');
	await waitForOfflineReady(manager);
	await waitForOfflineReady(tablet);

	await manager.context().setOffline(true);
	await tablet.context().setOffline(true);
	await manager.getByRole('link', { name: 'Aanpassen' }).click();
	await manager.getByLabel('Korte titel').fill('Hulp in de tuin: heg snoeien');
	await manager.getByRole('button', { name: 'Opslaan' }).click();
	await tablet.getByRole('link', { name: 'Aanpassen' }).click();
	await tablet.getByLabel('Waar ongeveer?').fill('Beukenstraat');
	await tablet.getByRole('button', { name: 'Opslaan' }).click();
	await expect(tablet.getByText('Opgeslagen op dit apparaat')).toBeVisible();

	await manager.context().setOffline(false);
	await tablet.context().setOffline(false);
	for (const page of [manager, tablet]) {
		await expect(page.getByRole('heading', { name: 'Hulp in de tuin: heg snoeien', level: 1 })).toBeVisible({ timeout: 20_000 });
		await expect(page.getByText('Beukenstraat')).toBeVisible();
	}
});

test('a manager hides a post with a reason and restores it', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay, 'Fatima');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');

	// The manager adapts the categories for this neighbourhood.
	await manager.getByRole('link', { name: 'Start' }).click();
	await manager.getByRole('link', { name: 'Buurt aanpassen' }).click();
	await manager.getByLabel('Nieuw onderwerp').fill('Huisdieren');
	await manager.getByRole('button', { name: 'Toevoegen' }).click();
	await manager.getByRole('button', { name: 'Tuin weghalen' }).click();
	await manager.getByRole('button', { name: 'Ja, weghalen' }).click();
	await bert.getByRole('link', { name: 'Ik zoek hulp' }).click();
	await expect(bert.getByLabel('Huisdieren', { exact: true })).toBeVisible();
	await expect(bert.getByLabel('Tuin', { exact: true })).toHaveCount(0);

	await askForHelp(bert, 'Wie verkoopt mijn fiets?', { category: 'Iets anders' });

	await openPost(manager, 'Wie verkoopt mijn fiets?');
	await manager.getByLabel('Waarom verbergen?').fill('Verkoop hoort niet op het hulpbord');
	await manager.getByRole('button', { name: 'Verbergen' }).click();
	await expect(manager.getByText(/Verborgen door Fatima op .*Reden: Verkoop hoort niet op het hulpbord/)).toBeVisible();

	await expect(bert.getByText(/Verborgen door Fatima/)).toBeVisible();
	await bert.getByRole('link', { name: 'Terug naar alle berichten' }).click();
	await expect(bert.getByTestId('help-count')).toHaveText('0 berichten');

	await manager.getByRole('button', { name: 'Terugzetten' }).click();
	await expect(bert.getByTestId('help-count')).toHaveText('1 bericht');
	await expect(bert.getByRole('link', { name: 'Wie verkoopt mijn fiets?' })).toBeVisible();
});

test('the helpdesk turns a phone call into a help request in one screen', async ({ browser }) => {
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay, 'Fatima');
	await fatima.getByRole('link', { name: 'Hulp', exact: true }).click();
	await fatima.getByRole('link', { name: 'Hulpvraag aan de telefoon' }).click();
	await fatima.getByLabel('Naam van de beller').fill('Henk');
	await fatima.getByLabel('Straat').fill('Lindenlaan');
	await fatima.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
	// Consent first: nothing is stored without it.
	await expect(fatima.getByText('Vraag eerst toestemming en vink dit aan.')).toBeVisible();
	await fatima.getByLabel('De beller vindt het goed dat we dit bewaren').check();
	await fatima.getByLabel('Boodschappen', { exact: true }).check();
	await fatima.getByLabel('Wat is er nodig?').fill('Boodschappen op vrijdag');
	await fatima.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
	await expect(fatima.getByRole('heading', { name: 'Boodschappen op vrijdag', level: 1 })).toBeVisible();
	await expect(fatima.getByText('Voor Henk, geplaatst door Fatima')).toBeVisible();
	await fatima.getByRole('link', { name: 'Buren', exact: true }).click();
	await expect(fatima.getByTestId('member-list')).toContainText('Henk');
});

test('a neighbour who joins on a slow line reads that the board is opening, not that nobody asks anything; offline, that it is not here yet', async ({ browser }) => {
	// Behind a line that can hold what the relay sends this neighbour, on every socket of the device.
	const held = await startHeldRelay();
	await relay.stop();
	relay = held;
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await askForHelp(anna, 'Boodschappen op donderdag');
	const bert = await device(browser, { goesOffline: true });
	const line = held.hold();
	await joinAs(bert, invite, 'Bert');
	await waitForOfflineReady(bert);
	await expect.poll(() => line.held).toBeGreaterThan(0);
	await bert.getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(bert.getByText('Het prikbord wordt geopend…')).toBeVisible();
	await expect(bert.getByText('Er zijn geen berichten die passen', { exact: false })).toHaveCount(0);

	// Bert closes the app before the board came and opens it without a network.
	const context = bert.context();
	await bert.close();
	await context.setOffline(true);
	const away = await context.newPage();
	await away.goto(`${relay.origin}/hulp`);
	await expect(away.getByText('De berichten van nu staan nog niet op dit apparaat.', { exact: false })).toBeVisible();
	await expect(away.getByText('Er zijn geen berichten die passen', { exact: false })).toHaveCount(0);

	// Back online, on a line that holds nothing back any more, Anna's request comes.
	line.release();
	await context.setOffline(false);
	await expect(away.getByRole('link', { name: 'Boodschappen op donderdag' })).toBeVisible();
	await expect(away.getByText('De berichten van nu staan nog niet op dit apparaat.', { exact: false })).toHaveCount(0);
});

test('half a year after a request was done, its quarter goes into the year archive, and its history still opens', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	await askForHelp(anna, 'Heg snoeien');
	const post = anna.url();
	await anna.getByRole('button', { name: 'Het is gedaan' }).click();
	await anna.getByRole('button', { name: 'Ja, het is gedaan' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Gedaan');
	await expect(anna.getByLabel('Uw bedankje')).toBeVisible();

	// Half a year on, Anna opens Noaber again: the quarter closed long ago, and the app archives it.
	// From then on nothing about the request changes: there is no thanking any more.
	await anna.clock.install({ time: Date.now() + 200 * 24 * 60 * 60 * 1000 });
	await anna.clock.resume();
	await anna.goto(post);
	await expect(anna.getByRole('heading', { name: 'Heg snoeien', level: 1 })).toBeVisible();
	await expect(anna.getByLabel('Uw bedankje')).toHaveCount(0);

	// Once the archive and the root that lists it are shared (closing before that may leave the
	// quarter for the next start to archive), the next time the board reads the year's archive.
	await expect(anna.getByRole('status').filter({ has: anna.locator('.dot') })).toHaveText('Bijgewerkt met de buurt.');
	await anna.reload();
	await expect(anna.getByText('Dit bericht is gearchiveerd: het is al lang afgerond.')).toBeVisible();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Gedaan');
	await expect(anna.getByText('Geschiedenis', { exact: true })).toHaveCount(0);

	// Its history is in the sealed quarter, opened on request.
	await anna.getByRole('button', { name: 'Geschiedenis ophalen' }).click();
	await anna.getByText('Geschiedenis', { exact: true }).click();
	await expect(anna.getByText('Anna – gedaan', { exact: false })).toBeVisible();

	// The board as it first shows has no use for a year closed long ago: it stays out of the page
	// until Anna looks for what was done.
	await anna.goto(new URL('/hulp', post).href);
	await expect(anna.getByTestId('help-count')).toHaveText('0 berichten');
	await anna.getByLabel('Stand').selectOption({ label: 'Gedaan' });
	await expect(anna.getByRole('link', { name: 'Heg snoeien' })).toBeVisible();
});

test("a resident's next start shows the board's first posts as they were at once, and the board takes over in place", async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await askForHelp(anna, 'Boodschappen op donderdag');
	// No service worker: the browser's own routing then sees every request of the page.
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await watchPolicy(context);
	const bert = await context.newPage();
	await joinAs(bert, invite, 'Bert');
	await bert.getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(bert.getByRole('link', { name: 'Boodschappen op donderdag' })).toBeVisible();
	// The page keeps it once every quarter is read and it has nothing else to do.
	await keptForNextStart(bert, REMEMBERED_BOARD, 'Boodschappen op donderdag');
	await bert.close();

	// Automerge cannot start while its wasm is held back: what shows comes from the last start.
	const held: Route[] = [];
	await context.route('**/*.wasm', (route) => void held.push(route));
	const again = await context.newPage();
	await again.goto(`${relay.origin}/hulp`);
	await expect.poll(() => held.length).toBeGreaterThan(0);
	await expect(again.getByText('Het prikbord wordt geopend…')).toBeVisible();
	await expect(again.getByRole('link', { name: 'Boodschappen op donderdag' })).toBeVisible();
	await expect(again.getByText('Van Anna · Nog geen reacties')).toBeVisible();
	await again.getByRole('link', { name: 'Boodschappen op donderdag' }).focus();

	for (const route of held.splice(0)) await route.continue();
	await context.unroute('**/*.wasm');
	await expect(again.getByTestId('help-count')).toHaveText('1 bericht');
	await expect(again.getByText('Het prikbord wordt geopend…')).toHaveCount(0);
	// The board took over in place: the keyboard is where it was.
	await expect(again.getByRole('link', { name: 'Boodschappen op donderdag' })).toBeFocused();
	await context.close();
});
