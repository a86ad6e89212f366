import type { Page, Route } from '@playwright/test';
import { expect, test, watchPolicy } from './policy.ts';
import { createNeighbourhood, device, joinAs, keptForNextStart, waitForOfflineReady } from './flows.ts';
import { REMEMBERED_MAP } from '../../src/lib/device/remembered-map.ts';
import { startHeldRelay } from './held-line.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** From anywhere: the service form, with its name and a new organisation filled in. */
async function newService(page: Page, name: string, organisation: string) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Sociale kaart' }).click();
	await page.getByRole('link', { name: 'Dienst toevoegen' }).click();
	await page.getByLabel('Naam van de dienst').fill(name);
	await page.getByLabel('Naam van de nieuwe organisatie').fill(organisation);
}

test('a manager adds a service on one device and a resident finds it by search on another', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	await newService(fatima, 'Spreekuur ouderenadviseur', 'Welzijn Lindenbuurt');
	await fatima.getByLabel('Wat biedt het?').fill('Hulp bij aanvragen voor zorg en geldzaken.');
	await fatima.getByLabel('Geldzaken', { exact: true }).check();
	await fatima.getByLabel('Telefoonnummer').fill('020 765 4321');
	await fatima.getByRole('button', { name: 'Tijden per week toevoegen' }).click();
	await fatima.getByLabel('Nieuwe plek').check();
	await fatima.getByLabel('Naam van de plek').fill('Buurthuis De Linde');
	await fatima.getByLabel('Straat en huisnummer').fill('Lindelaan 4');
	await fatima.getByLabel('Postcode').fill('1234ab');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByRole('heading', { name: 'Spreekuur ouderenadviseur', level: 1 })).toBeVisible();
	await expect(fatima.getByText('ma t/m vr 9.00–12.00')).toBeVisible();
	await expect(fatima.getByRole('link', { name: 'Bel 020 765 4321' })).toBeVisible();
	await expect(fatima.getByText('1234 AB')).toBeVisible();
	// Places and organisations are edited on their own, for every service there.
	await fatima.getByRole('link', { name: 'Plek aanpassen' }).click();
	await fatima.getByLabel('Naam van de plek').fill('Buurthuis De Linde (zaal 2)');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByText('Bewaard.')).toBeVisible();
	await fatima.goBack();
	await expect(fatima.getByText('Buurthuis De Linde (zaal 2)')).toBeVisible();

	// The manager points the map at a tile server and sets the neighbourhood's centre.
	await fatima.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await fatima.getByRole('link', { name: 'Kaart instellen' }).click();
	await fatima.getByLabel('Adres van de kaartserver').fill('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
	await fatima.getByLabel('breedtegraad').fill('52.09');
	await fatima.getByLabel('lengtegraad').fill('5.12');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByText('Bewaard.')).toBeVisible();

	const bert = await device(browser, { goesOffline: true });
	await joinAs(bert, invite, 'Bert');
	await bert.getByRole('link', { name: 'Waar kan ik terecht?' }).click();
	await bert.getByLabel('Zoeken').fill('GELDZAKEN');
	await expect(bert.getByText('1 dienst')).toBeVisible();
	await bert.getByRole('link', { name: 'Spreekuur ouderenadviseur' }).click();
	await expect(bert.getByText('Welzijn Lindenbuurt')).toBeVisible();
	await expect(bert.getByText(/Laatst gecontroleerd op .* door Fatima/)).toBeVisible();
	// Residents read; only the manager and map volunteers change it.
	await expect(bert.getByRole('link', { name: 'Aanpassen' })).toHaveCount(0);

	// Without a network the map gives way to the list, with a word of explanation.
	await bert.context().setOffline(true);
	await bert.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await bert.getByLabel('Kaart', { exact: true }).check();
	await expect(bert.getByTestId('map-fallback')).toHaveText(
		'Zonder internet kan de kaart niet worden getoond. Hieronder staat alles op afstand, het dichtstbij eerst.'
	);
	await expect(bert.getByTestId('by-distance')).toContainText('Spreekuur ouderenadviseur');
	await bert.context().setOffline(false);
});

test('a map volunteer reads a spreadsheet: good rows are added, bad rows are reported by row, and the map goes out as HSDS', async ({ browser }) => {
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay, 'Fatima');
	await fatima.goto(`${relay.origin}/kaart/uitwisselen`);
	const sheet = [
		'Naam;Organisatie;Omschrijving;Thema;Telefoon;Adres;Postcode;Plaats;Openingstijden',
		'Voedselbank;Stichting Voedselbank;Pakketten voor wie het krap heeft.;geldzaken;020 111 2222;Markt 3;1234 CD;Lindendorp;ma-vr 9:00-12:00',
		';Bibliotheek Lindendorp;Zonder naam;;;;;;',
		'Digicafé;Bibliotheek Lindendorp;Hulp met de telefoon.;digitale-hulp;bel maar;;;;'
	].join('\n');
	await fatima.getByLabel('Bestand om in te lezen (.json of .csv)').setInputFiles({ name: 'kaart.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
	await expect(fatima.getByTestId('exchange-add')).toContainText('Dienst Voedselbank (regel 2)');
	await expect(fatima.getByTestId('exchange-refused')).toContainText('(regel 3): De naam ontbreekt.');
	await expect(fatima.getByTestId('exchange-refused')).toContainText('Dienst Digicafé (regel 4): Het telefoonnummer klopt niet.');
	await fatima.getByRole('button', { name: 'Wijzigingen doorvoeren' }).click();
	await expect(fatima.getByText(/toegevoegd, 0 bijgewerkt\./)).toBeVisible();

	const saved = fatima.waitForEvent('download');
	await fatima.getByRole('button', { name: 'Hele kaart downloaden (HSDS, .json)' }).click();
	const { readFile } = await import('node:fs/promises');
	const hsds = JSON.parse(await readFile((await (await saved).path())!, 'utf8')) as { services: { name: string; schedules: { byday: string }[] }[] };
	expect(hsds.services.map((s) => s.name)).toEqual(['Voedselbank']);
	expect(hsds.services[0].schedules[0].byday).toBe('MO,TU,WE,TH,FR');

	await fatima.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await fatima.getByLabel('Zoeken').fill('voedsel');
	await fatima.getByRole('link', { name: 'Voedselbank' }).click();
	await expect(fatima.getByText('ma t/m vr 9.00–12.00')).toBeVisible();
});

test('a neighbour who joins on a slow line reads that the map is opening, not that nothing is found; offline, that it is not here yet', async ({ browser }) => {
	// Behind a line that can hold what the relay sends this neighbour, on every socket of the device.
	const held = await startHeldRelay();
	await relay.stop();
	relay = held;
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	await newService(fatima, 'Spreekuur ouderenadviseur', 'Welzijn Lindenbuurt');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByRole('heading', { name: 'Spreekuur ouderenadviseur', level: 1 })).toBeVisible();

	const bert = await device(browser, { goesOffline: true });
	const line = held.hold();
	await joinAs(bert, invite, 'Bert');
	await waitForOfflineReady(bert);
	await expect.poll(() => line.held).toBeGreaterThan(0);
	await bert.getByRole('link', { name: 'Waar kan ik terecht?' }).click();
	await expect(bert.getByText('De sociale kaart wordt geopend…')).toBeVisible();
	await expect(bert.getByText('Niets gevonden.', { exact: false })).toHaveCount(0);

	// Bert closes the app before the map came and opens it without a network.
	const context = bert.context();
	await bert.close();
	await context.setOffline(true);
	const away = await context.newPage();
	await away.goto(`${relay.origin}/kaart`);
	await expect(away.getByText('De sociale kaart staat nog niet op dit apparaat.', { exact: false })).toBeVisible();
	await expect(away.getByText('Niets gevonden.', { exact: false })).toHaveCount(0);

	// Back online, on a line that holds nothing back any more, the service comes.
	line.release();
	await context.setOffline(false);
	await expect(away.getByRole('link', { name: 'Spreekuur ouderenadviseur' })).toBeVisible();
	await expect(away.getByText('De sociale kaart staat nog niet op dit apparaat.', { exact: false })).toHaveCount(0);
});

test('a manager keeps a service up to date: edits it and its organisation, takes it off the map and back, and a topic goes and comes back', async ({ browser }) => {
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay, 'Fatima');
	await newService(fatima, 'Spreekuur ouderenadviseur', 'Welzijn Lindenbuurt');
	await fatima.getByLabel('Wat biedt het?').fill('Hulp bij aanvragen voor zorg.');
	// A second tap while the map saves adds nothing twice.
	await fatima.getByRole('button', { name: 'Bewaren' }).dblclick();
	await expect(fatima.getByRole('heading', { name: 'Spreekuur ouderenadviseur', level: 1 })).toBeVisible();

	await fatima.getByRole('link', { name: 'Aanpassen', exact: true }).click();
	await fatima.getByLabel('Wat biedt het?').fill('Hulp bij aanvragen voor zorg en geldzaken.');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByText('Hulp bij aanvragen voor zorg en geldzaken.')).toBeVisible();

	await fatima.getByRole('link', { name: 'Organisatie aanpassen' }).click();
	await fatima.getByLabel('Naam van de organisatie').fill('Welzijn Lindenbuurt en Eikenbuurt');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByText('Bewaard.')).toBeVisible();
	await fatima.goBack();
	await expect(fatima.getByText('Welzijn Lindenbuurt en Eikenbuurt')).toBeVisible();

	await fatima.getByRole('button', { name: 'Van de kaart halen' }).click();
	await fatima.getByLabel('Waarom?').fill('Verhuisd naar het gezondheidscentrum');
	await fatima.getByRole('button', { name: 'Ja, van de kaart halen' }).click();
	await expect(fatima.getByText(/Van de kaart gehaald door Fatima .*: Verhuisd naar het gezondheidscentrum/)).toBeVisible();
	await fatima.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(fatima.getByText(/Van de kaart gehaald door/)).toHaveCount(0);
	await expect(fatima.getByRole('button', { name: 'Van de kaart halen' })).toBeVisible();

	await fatima.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await expect(fatima.getByText('1 dienst', { exact: true })).toBeVisible();
	await fatima.getByRole('link', { name: 'Kaart instellen' }).click();
	// A topic the map does not have yet (Mantelzorg and the others come with every map).
	const topic = fatima.getByRole('listitem').filter({ hasText: 'Klussen in huis' });
	await expect(topic).toHaveCount(0);
	await fatima.getByLabel('Nieuw onderwerp').fill('Klussen in huis');
	await fatima.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(topic).toBeVisible();
	await topic.getByRole('button', { name: 'Klussen in huis weghalen' }).click();
	await fatima.getByRole('button', { name: 'Ja, weghalen' }).click();
	await expect(topic).toHaveCount(0);
	await fatima.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(topic).toBeVisible();
});

test("a resident's next start shows the map's first services as they were at once, and the map takes over in place", async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	await newService(fatima, 'Spreekuur ouderenadviseur', 'Welzijn Lindenbuurt');
	await fatima.getByLabel('Wat biedt het?').fill('Hulp bij aanvragen voor zorg en geldzaken.');
	await fatima.getByLabel('Geldzaken', { exact: true }).check();
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByRole('heading', { name: 'Spreekuur ouderenadviseur', level: 1 })).toBeVisible();
	// No service worker: the browser's own routing then sees every request of the page.
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await watchPolicy(context);
	const bert = await context.newPage();
	await joinAs(bert, invite, 'Bert');
	await bert.getByRole('link', { name: 'Waar kan ik terecht?' }).click();
	await expect(bert.getByRole('link', { name: 'Spreekuur ouderenadviseur' })).toBeVisible();
	// The page keeps it once the map is read and it has nothing else to do.
	await keptForNextStart(bert, REMEMBERED_MAP, 'Spreekuur ouderenadviseur');
	await bert.close();

	// Automerge cannot start while its wasm is held back: what shows comes from the last start.
	const held: Route[] = [];
	await context.route('**/*.wasm', (route) => void held.push(route));
	const again = await context.newPage();
	await again.goto(`${relay.origin}/kaart`);
	await expect.poll(() => held.length).toBeGreaterThan(0);
	await expect(again.getByText('De sociale kaart wordt geopend…')).toBeVisible();
	await expect(again.getByRole('heading', { name: 'Geldzaken', level: 2 })).toBeVisible();
	await expect(again.getByRole('link', { name: 'Spreekuur ouderenadviseur' })).toBeVisible();
	await expect(again.getByText('Hulp bij aanvragen voor zorg en geldzaken.')).toBeVisible();
	await again.getByRole('link', { name: 'Spreekuur ouderenadviseur' }).focus();

	for (const route of held.splice(0)) await route.continue();
	await context.unroute('**/*.wasm');
	await expect(again.getByText('1 dienst', { exact: true })).toBeVisible();
	await expect(again.getByText('De sociale kaart wordt geopend…')).toHaveCount(0);
	// The map took over in place: the keyboard is where it was.
	await expect(again.getByRole('link', { name: 'Spreekuur ouderenadviseur' })).toBeFocused();
	await context.close();
});
