import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { askForHelp, createNeighbourhood, dayAhead, device, joinAs } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { ROUTES } from './routes.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

test('the pages a resident uses have no WCAG A/AA violations', async ({ browser }) => {
	const welcome = await device(browser);
	await welcome.goto(relay.origin);
	await expect(welcome.getByRole('heading', { name: 'Welkom bij Noaber' })).toBeVisible();
	await expectNoViolations(welcome, 'welcome');

	const manager = await device(browser);
	await manager.goto(relay.setupLink!);
	await expect(manager.getByRole('heading', { name: 'Een buurt starten' })).toBeVisible();
	await expectNoViolations(manager, 'setup');
	const invite = await createNeighbourhood(manager, relay, 'Anna');
	await expectNoViolations(manager, 'invite');

	const resident = await device(browser);
	await resident.goto(invite);
	await expect(resident.getByRole('button', { name: 'Ja, ik doe mee' })).toBeVisible();
	await expectNoViolations(resident, 'join: invitation');
	await joinAs(resident, invite, 'Bert', ['Boodschappen']);
	await expectNoViolations(resident, 'home');

	await askForHelp(manager, 'Boodschappen op donderdag');
	await expectNoViolations(manager, 'post page');
	for (const [link, where] of [
		['Hulp', 'help board'],
		['Buren', 'members'],
		['Mijn gegevens', 'profile']
	] as const) {
		await manager.getByRole('link', { name: link, exact: true }).click();
		await expect(manager.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoViolations(manager, where);
	}
	await manager.getByRole('link', { name: 'Start' }).click();
	await manager.getByRole('link', { name: 'Ik zoek hulp' }).click();
	await expectNoViolations(manager, 'new post');
});

test('the agenda pages have no WCAG A/AA violations', async ({ browser }) => {
	const manager = await device(browser);
	await createNeighbourhood(manager, relay, 'Anna');
	const day = dayAhead(2);
	await manager.goto(`${relay.origin}/agenda/nieuw?dag=${day}`);
	await expect(manager.getByRole('heading', { name: 'Nieuwe activiteit' })).toBeVisible();
	await manager.getByLabel('Elke week of om de paar weken').check();
	await manager.getByLabel('Tot en met een datum').check();
	await expectNoViolations(manager, 'new event');
	await manager.getByLabel('Naam van de activiteit').fill('Wandelgroep');
	await manager.getByLabel('Aantal plaatsen').fill('12');
	await manager.getByLabel('Laatste datum').fill(dayAhead(90));
	await manager.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(manager.getByRole('heading', { name: 'Wandelgroep', level: 1 })).toBeVisible();
	await expectNoViolations(manager, 'event page');
	await manager.getByRole('link', { name: 'Activiteit aanpassen' }).first().click();
	await expect(manager.getByLabel('Wat gaan we doen?')).toBeVisible();
	await expectNoViolations(manager, 'edit event');
	for (const view of ['vandaag', 'week', 'maand', 'lijst', 'mijn']) {
		await manager.goto(`${relay.origin}/agenda?weergave=${view}&dag=${day}`);
		await expect(manager.getByRole('heading', { name: 'Wat is er te doen?' })).toBeVisible();
		await expectNoViolations(manager, `agenda: ${view}`);
	}
	await manager.goto(`${relay.origin}/agenda/afdrukken?dag=${day}`);
	await expect(manager.getByRole('heading', { name: 'Agenda Lindenbuurt' })).toBeVisible();
	await expectNoViolations(manager, 'print week');
});

test('the social map pages have no WCAG A/AA violations', async ({ browser }) => {
	const manager = await device(browser);
	await createNeighbourhood(manager, relay, 'Anna');
	await manager.goto(`${relay.origin}/kaart/nieuw`);
	await expect(manager.getByRole('heading', { name: 'Dienst toevoegen' })).toBeVisible();
	await manager.getByRole('button', { name: 'Tijden per week toevoegen' }).click();
	await manager.getByRole('button', { name: 'Tijden per maand toevoegen (bijvoorbeeld elke tweede dinsdag)' }).click();
	await manager.getByLabel('Nieuwe plek').check();
	await expectNoViolations(manager, 'new service');
	await manager.getByLabel('Naam van de dienst').fill('Formulierenhulp');
	await manager.getByLabel('Naam van de nieuwe organisatie').fill('Bibliotheek');
	await manager.getByLabel('Naam van de plek').fill('Bibliotheek Lindendorp');
	await manager.getByRole('button', { name: 'Bewaren' }).click();
	await expect(manager.getByRole('heading', { name: 'Formulierenhulp', level: 1 })).toBeVisible();
	await expectNoViolations(manager, 'service page');
	for (const [path, heading] of [
		['/kaart', 'Waar kan ik terecht?'],
		['/kaart/controleren', 'Controleren'],
		['/kaart/instellingen', 'Kaart instellen']
	] as const) {
		await manager.goto(`${relay.origin}${path}`);
		await expect(manager.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		await expectNoViolations(manager, path);
	}
	await manager.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await manager.getByLabel('Kaart', { exact: true }).check();
	await expect(manager.getByTestId('map-fallback')).toBeVisible();
	await expectNoViolations(manager, 'map fallback');
});

test('with bigger letters and stronger colours chosen on this device, pages stay free of violations', async ({ browser }) => {
	const manager = await device(browser);
	await createNeighbourhood(manager, relay, 'Anna');
	await manager.getByRole('link', { name: 'Tekst en kleuren' }).click();
	await manager.getByLabel('Grotere letters').check();
	await manager.getByLabel('Sterkere kleuren (zwart op wit)').check();
	await expectNoViolations(manager, 'display settings');
	const size = () => manager.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	expect(await size()).toBe(25);
	// The choice stays after a reload, before anything is painted.
	await manager.reload();
	await expect(manager.locator('html')).toHaveAttribute('data-contrast', 'high');
	expect(await size()).toBe(25);
	for (const path of ['/', '/hulp', '/agenda', '/kaart', '/leden', '/profiel']) {
		await manager.goto(`${relay.origin}${path}`);
		await expect(manager.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoViolations(manager, `large, high contrast: ${path}`);
	}
});

test('on a phone, with the menu closed and open, in both colour settings, the home page has no violations', async ({ browser }) => {
	const resident = await device(browser);
	await createNeighbourhood(resident, relay, 'Anna');
	await resident.setViewportSize({ width: 390, height: 844 });
	for (const contrast of [false, true]) {
		await resident.evaluate((c) => localStorage.setItem('noaber.display', JSON.stringify({ large: c, contrast: c })), contrast);
		await resident.goto(`${relay.origin}/`);
		await expect(resident.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoViolations(resident, `phone, menu closed${contrast ? ', large and high contrast' : ''}`);
		await resident.getByRole('button', { name: 'Menu' }).click();
		await expect(resident.locator('header nav')).toBeVisible();
		await expectNoViolations(resident, `phone, menu open${contrast ? ', large and high contrast' : ''}`);
	}
});

test('the help page and the install guide are readable before and after joining', async ({ browser }) => {
	const newcomer = await device(browser);
	await newcomer.goto(relay.origin);
	await newcomer.getByRole('link', { name: 'Hulp bij Noaber' }).click();
	await expect(newcomer.getByRole('heading', { name: 'Noaber op uw beginscherm' })).toBeVisible();
	await expect(newcomer.getByText('Vraag de buur die u heeft uitgenodigd')).toBeVisible();
	await expectNoViolations(newcomer, 'guide without a neighbourhood');

	const manager = await device(browser);
	await createNeighbourhood(manager, relay, 'Anna');
	await manager.getByRole('link', { name: 'Hulp bij Noaber' }).click();
	await expect(manager.getByRole('heading', { name: 'Bel de wijkverbinder' })).toBeVisible();
	await expect(manager.getByText('Fatima de Vries')).toBeVisible();
	await expectNoViolations(manager, 'guide');
});

// One walk per language, display setting and half of the routes: each stays well inside its
// timeout on a busy machine.
const half = Math.ceil(ROUTES.length / 2);
for (const [language, display, label, routes, part] of [
	['nl', {}, 'in Dutch', ROUTES.slice(0, half), 'first half'],
	['nl', {}, 'in Dutch', ROUTES.slice(half), 'second half'],
	['en', {}, 'in English', ROUTES.slice(0, half), 'first half'],
	['en', {}, 'in English', ROUTES.slice(half), 'second half'],
	['nl', { large: true, contrast: true }, 'in Dutch with bigger letters and stronger colours', ROUTES.slice(0, half), 'first half'],
	['nl', { large: true, contrast: true }, 'in Dutch with bigger letters and stronger colours', ROUTES.slice(half), 'second half'],
	['en', { large: true, contrast: true }, 'in English with bigger letters and stronger colours', ROUTES.slice(0, half), 'first half'],
	['en', { large: true, contrast: true }, 'in English with bigger letters and stronger colours', ROUTES.slice(half), 'second half']
] as const) {
	test(`every route ${label} has no violations (${part})`, async ({ browser }) => {
		test.setTimeout(120_000);
		const manager = await device(browser);
		await createNeighbourhood(manager, relay, 'Anna');
		await manager.evaluate(
			([lang, settings]) => {
				localStorage.setItem('noaber.language', lang);
				localStorage.setItem('noaber.display', JSON.stringify(settings));
			},
			[language, display] as const
		);
		for (const route of routes) {
			await manager.goto(`${relay.origin}${route}`);
			await expect(manager.getByRole('heading', { level: 1 }).first()).toBeVisible();
			await expect(manager.locator('html')).toHaveAttribute('lang', language);
			await expectNoViolations(manager, `${route} (${language}${'large' in display ? ', large, high contrast' : ''})`);
		}
	});
}
