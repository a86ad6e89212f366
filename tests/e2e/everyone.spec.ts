// Issue #6 checks that cut across pages: small screens and zoom, keyboard only, and how few taps
// a first-time resident needs.
import type { Page } from '@playwright/test';
import { expect, test, watchPolicy } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { ROUTES } from './routes.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** Presses Tab until the focused element has this accessible name (or label text); fails after 80. */
async function tabTo(page: Page, name: RegExp) {
	for (let i = 0; i < 80; i += 1) {
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			if (!el) return '';
			const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : el.closest('label')?.textContent;
			return `${el.getAttribute('aria-label') ?? ''} ${label ?? ''} ${el.textContent ?? ''} ${(el as HTMLInputElement).value ?? ''}`;
		});
		if (name.test(focused)) return;
	}
	throw new Error(`Could not reach ${name} with Tab`);
}

test('a first-time resident joins and asks for help with the keyboard only, in a handful of taps', async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay, 'Anna');

	// The invitation as the QR code on a poster carries it. Joining takes three screens: the
	// invitation, the name, and the neighbourhood's home; each step below must land on the next.
	const resident = await device(browser);
	const screens: string[] = [];
	const screen = async () => screens.push(`${new URL(resident.url()).pathname} ${await resident.getByRole('heading', { level: 1 }).first().innerText()}`);
	await resident.goto(invite);
	// Tabbing starts once the page shows what to tab to.
	await expect(resident.getByRole('button', { name: 'Ja, ik doe mee' })).toBeVisible();
	await screen();
	await tabTo(resident, /Ja, ik doe mee/);
	await resident.keyboard.press('Enter');
	await expect(resident.getByLabel('Uw naam')).toBeVisible();
	await screen();
	await tabTo(resident, /Uw naam/);
	await resident.keyboard.type('Gerrit');
	await tabTo(resident, /Klaar/);
	await resident.keyboard.press('Enter');
	await expect(resident).toHaveURL(`${relay.origin}/`);
	await expect(resident.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await screen();
	expect(screens).toEqual(['/join U bent uitgenodigd', '/join Wie bent u?', '/ Lindenbuurt']);
	// A person reads the home screen before tabbing; on a slow machine the page may still settle.
	await expect(resident.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	// From the home screen to a posted grocery request: count every tap (Enter or Space).
	let taps = 0;
	const tap = async (key: 'Enter' | 'Space') => {
		taps += 1;
		await resident.keyboard.press(key);
	};
	await tabTo(resident, /Ik zoek hulp/);
	await tap('Enter');
	await expect(resident).toHaveURL(/\/hulp\/nieuw/);
	await expect(resident.getByLabel('Boodschappen', { exact: true })).toBeVisible();
	await tabTo(resident, /Boodschappen/);
	await tap('Space');
	await tabTo(resident, /Korte titel/);
	await resident.keyboard.type('Boodschappen doen');
	await tabTo(resident, /Plaatsen/);
	await tap('Enter');
	await expect(resident.getByRole('heading', { name: 'Boodschappen doen', level: 1 })).toBeVisible();
	expect(taps).toBeLessThanOrEqual(5);

	// A link in the header stays on the page, yet after it the keyboard starts again at the top,
	// as after a page load: the first Tab is the skip link.
	await tabTo(resident, /^\s*Agenda\s*$/);
	await resident.keyboard.press('Enter');
	await expect(resident.getByRole('heading', { name: 'Wat is er te doen?', level: 1 })).toBeVisible();
	await expect.poll(() => resident.evaluate(() => document.activeElement === document.body)).toBe(true);
	await resident.keyboard.press('Tab');
	await expect(resident.getByRole('link', { name: 'Naar de inhoud' })).toBeFocused();
	// The manager sees it on the board.
	await manager.getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(manager.getByRole('link', { name: 'Boodschappen doen' })).toBeVisible();
});

test('on a phone the home screen opens with its big choices on the first screen, and the page links fold into a menu', async ({ browser }) => {
	const resident = await device(browser);
	await createNeighbourhood(resident, relay, 'Anna');
	// A common phone, held upright. Before, the header and the contact card pushed every choice
	// below the fold.
	await resident.setViewportSize({ width: 390, height: 844 });
	await resident.goto(`${relay.origin}/`);
	for (const name of ['Ik zoek hulp', 'Ik wil helpen', 'Wat is er te doen?']) {
		const box = await resident.getByRole('link', { name, exact: true }).boundingBox();
		expect(box, name).not.toBeNull();
		expect(box!.y + box!.height, `${name} is below the first screen`).toBeLessThanOrEqual(844);
		expect(box!.height, `${name} is a big choice`).toBeGreaterThanOrEqual(64);
	}

	// The page links and the tools fold into "Menu" there; it opens to every page and closes again
	// once one is chosen.
	const menu = resident.getByRole('button', { name: 'Menu' });
	const links = resident.locator('header nav');
	await expect(menu).toHaveAttribute('aria-expanded', 'false');
	await expect(links).toBeHidden();
	// Escape closes it again and leaves the keyboard on "Menu".
	await menu.click();
	await expect(links).toBeVisible();
	await resident.keyboard.press('Escape');
	await expect(links).toBeHidden();
	await expect(menu).toBeFocused();
	await menu.click();
	await expect(menu).toHaveAttribute('aria-expanded', 'true');
	await expect(links.getByRole('link', { name: 'Tekst en kleuren' })).toBeVisible();
	await links.getByRole('link', { name: 'Agenda', exact: true }).click();
	await expect(resident.getByRole('heading', { name: 'Wat is er te doen?', level: 1 })).toBeVisible();
	await expect(menu).toHaveAttribute('aria-expanded', 'false');
	await expect(links).toBeHidden();
	// On a wider screen the links are simply there.
	await resident.setViewportSize({ width: 1024, height: 768 });
	await expect(links.getByRole('link', { name: 'Sociale kaart', exact: true })).toBeVisible();
	await expect(resident.getByRole('button', { name: 'Menu' })).toHaveCount(0);
});

// 320 CSS px wide, and a 1280 px screen at 200 % zoom (640 CSS px); with the normal letters and
// with "Grotere letters", which is what many of our readers choose. One walk per width and letter
// size, so each stays well inside its timeout on a busy machine.
for (const large of [false, true]) {
	for (const width of [320, 640]) {
		test(`no page scrolls sideways ${width === 320 ? 'on a 320 px screen' : 'at 200 % zoom'}${large ? ', with larger letters' : ''}`, async ({ browser }) => {
			const manager = await device(browser);
			await createNeighbourhood(manager, relay, 'Anna');
			const wide: string[] = [];
			await manager.evaluate((l) => localStorage.setItem('noaber.display', JSON.stringify({ large: l })), large);
			await manager.setViewportSize({ width, height: 800 });
			for (const route of ROUTES) {
				await manager.goto(`${relay.origin}${route}`);
				await expect(manager.getByRole('heading', { level: 1 }).first()).toBeVisible();
				const overflow = await manager.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				if (overflow > 0) wide.push(`${route} at ${width} px${large ? ' with larger letters' : ''}: ${overflow} px too wide`);
			}
			expect(wide).toEqual([]);
		});
	}
}

test('on every page the title names it, the text is at least 18 px, every control at least 44 × 44 px, and keyboard focus is visible', async ({ browser }) => {
	test.setTimeout(180_000);
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	// Something on the lists, so their links and buttons are measured too.
	await askForHelp(anna, 'Brood halen');
	await anna.goto(`${relay.origin}/agenda/nieuw`);
	await anna.getByLabel('Naam van de activiteit').fill('Koffieochtend');
	await anna.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(anna.getByRole('heading', { name: 'Koffieochtend', level: 1 })).toBeVisible();

	const everywhere: string[] = [];
	for (const route of ROUTES) {
		await anna.goto(`${relay.origin}${route}`);
		await expect(anna.getByRole('heading', { level: 1 }).first()).toBeVisible();
		const problems = await anna.evaluate(() => {
			const found: string[] = [];
			const base = parseFloat(getComputedStyle(document.body).fontSize);
			if (base < 18) found.push(`body text ${base} px`);
			// The tab's title names the page, as its heading does (WCAG 2.4.2).
			const heading = document.querySelector('h1')?.textContent?.trim();
			if (document.title !== `${heading} · Noaber`) found.push(`title "${document.title}" for heading "${heading}"`);
			const describe = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
			for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
				const style = getComputedStyle(el);
				if (style.visibility === 'hidden' || (el as HTMLElement).offsetParent === null) continue;
				// The skip link waits off-screen until focused; map markers have the list beside them.
				if (el.classList.contains('skip') || el.closest('.leaflet-marker-pane')) continue;
				// A link inside a sentence may be as tall as the sentence (WCAG 2.5.8's inline exception).
				if (el.tagName === 'A' && style.display === 'inline') continue;
				// A checkbox or radio is tapped through its label, which holds it.
				const target = (el as HTMLInputElement).type === 'checkbox' || (el as HTMLInputElement).type === 'radio' ? (el.closest('label') ?? el) : el;
				const box = target.getBoundingClientRect();
				if (box.width < 44 || box.height < 44) found.push(`${describe(target)} is ${Math.round(box.width)} × ${Math.round(box.height)} px`);
			}
			return found;
		});
		everywhere.push(...problems.map((problem) => `${route}: ${problem}`));

		// The first controls reached with Tab show where the focus is.
		for (let i = 0; i < 6; i += 1) {
			await anna.keyboard.press('Tab');
			const focus = await anna.evaluate(() => {
				const el = document.activeElement;
				if (!el || el === document.body) return 'none';
				const style = getComputedStyle(el);
				return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? 'visible' : `hidden on ${el.tagName} ${el.textContent?.trim().slice(0, 30)}`;
			});
			if (focus.startsWith('hidden')) everywhere.push(`${route}, Tab ${i + 1}: focus ${focus}`);
		}
	}
	expect(everywhere).toEqual([]);
});

test('a volunteer sees and acts for the residents she helps from one overview', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await askForHelp(bert, 'Wie wandelt mee?', { category: 'Gezelschap' });
	// An activity to sign up for.
	await anna.goto(`${relay.origin}/agenda/nieuw`);
	await anna.getByLabel('Naam van de activiteit').fill('Koffieochtend');
	await anna.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(anna.getByRole('heading', { name: 'Koffieochtend', level: 1 })).toBeVisible();

	await anna.getByRole('link', { name: 'Buren', exact: true }).click();
	await anna.getByRole('link', { name: 'Iemand zonder telefoon of computer toevoegen' }).click();
	await anna.getByLabel('Uw naam').fill('Henk');
	await anna.getByLabel('Telefonisch').check();
	await anna.getByLabel('Deze persoon weet hiervan en is het ermee eens.').check();
	await anna.getByRole('button', { name: 'Profiel maken' }).click();
	await anna.getByRole('link', { name: 'Bewoners die ik help' }).click();
	await expect(anna.getByText(/Toestemming gegeven aan Anna op .* \(Telefonisch\)\./)).toBeVisible();

	await anna.getByRole('link', { name: 'Hulp vragen voor Henk' }).click();
	await expect(anna.getByLabel('Voor wie is dit?')).toHaveValue(/.+/);
	await anna.getByLabel('Boodschappen', { exact: true }).check();
	await anna.getByLabel('Korte titel').fill('Brood halen');
	await anna.getByRole('button', { name: 'Plaatsen' }).click();
	await expect(anna.getByText('Voor Henk, geplaatst door Anna')).toBeVisible();
	await expect(anna.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	// Henk answers Bert's request, through Anna; Bert sees who and through whom.
	await anna.getByRole('link', { name: 'Hulp', exact: true }).click();
	await anna.getByRole('link', { name: 'Wie wandelt mee?' }).click();
	await anna.getByLabel('Wie reageert?').selectOption({ label: 'Henk' });
	await anna.getByLabel('Bericht (mag leeg blijven)').fill('Henk loopt graag mee op dinsdag.');
	await anna.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(anna.getByText('Henk heeft gereageerd.')).toBeVisible();
	await expect(anna.getByLabel('Wie reageert?')).toHaveCount(0);
	await expect(bert.getByTestId('responses')).toContainText('Henk (via Anna): Henk loopt graag mee op dinsdag.');

	await anna.goto(`${relay.origin}/agenda?weergave=lijst`);
	await anna.getByRole('link', { name: 'Koffieochtend' }).click();
	await anna.getByLabel('Wie meldt u aan?').selectOption({ label: 'Henk' });
	await anna.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(anna.getByText('Henk is aangemeld.')).toBeVisible();
	// A full reload comes next: first let the change reach the relay.
	await expect(anna.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	await anna.goto(`${relay.origin}/bewoners`);
	await expect(anna.getByTestId('resident-posts')).toContainText('Brood halen — Open, Nog geen reacties');
	await expect(anna.getByTestId('resident-signups')).toContainText('Koffieochtend');
	await expect(anna.getByTestId('resident-signups')).toContainText('aangemeld');
	await expect(anna.getByTestId('resident-responses')).toContainText('Wie wandelt mee? — gereageerd');
});

test('a resident switches this device to English, dates follow, and the choice stays after a reload', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	await anna.goto(`${relay.origin}/agenda/nieuw`);
	await anna.getByLabel('Naam van de activiteit').fill('Koffieochtend');
	await anna.getByLabel('Datum', { exact: true }).fill('2030-03-05');
	await anna.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(anna.getByText(/dinsdag 5 maart 2030/)).toBeVisible();

	await anna.getByRole('button', { name: 'English' }).click();
	await expect(anna.locator('html')).toHaveAttribute('lang', 'en');
	await expect(anna.getByText(/Tuesday, 5 March 2030, 10:00/)).toBeVisible();
	await expect(anna.getByRole('link', { name: 'Help', exact: true })).toBeVisible();
	await expect(anna.getByText('Up to date with the neighbourhood.')).toBeVisible();

	await anna.goto(relay.origin);
	await expect(anna.getByRole('link', { name: 'I need help' })).toBeVisible();
	await anna.getByRole('button', { name: 'Nederlands' }).click();
	await expect(anna.getByRole('link', { name: 'Ik zoek hulp' })).toBeVisible();
});

test('withdrawing a request, cancelling a sign-up or removing a kind of help asks first and can be undone', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	await askForHelp(anna, 'Brood halen');

	// The question comes first; "no" changes nothing.
	await anna.getByRole('button', { name: 'Bericht intrekken' }).click();
	await expect(anna.getByRole('alert')).toContainText('Weet u het zeker?');
	await anna.getByRole('button', { name: 'Nee, terug' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Open');
	await expect(anna.getByRole('button', { name: 'Bericht intrekken' })).toBeFocused();

	await anna.getByRole('button', { name: 'Bericht intrekken' }).click();
	await anna.getByRole('button', { name: 'Ja, intrekken' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Ingetrokken');
	await expect(anna.getByTestId('undo')).toContainText('U heeft "Brood halen" ingetrokken.');
	await expect(anna.getByTestId('undo')).toBeFocused();
	await anna.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(anna.getByTestId('post-status')).toHaveText('Stand: Open');
	await expect(anna.getByText('Het is ongedaan gemaakt.')).toBeVisible();

	// A sign-up: cancelled after the question, then back in its place.
	await anna.goto(`${relay.origin}/agenda/nieuw`);
	await anna.getByLabel('Naam van de activiteit').fill('Koffieochtend');
	await anna.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await anna.getByRole('button', { name: 'Aanmelden' }).click();
	await anna.getByRole('button', { name: 'Afmelden' }).click();
	await anna.getByRole('button', { name: 'Ja, afmelden' }).click();
	await expect(anna.getByRole('button', { name: 'Aanmelden' })).toBeVisible();
	await anna.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(anna.getByRole('button', { name: 'Afmelden' })).toBeVisible();

	// A kind of help removed by the manager comes back; the offer goes away on another page.
	await anna.goto(`${relay.origin}/buurt`);
	await anna.getByRole('button', { name: 'Klussen weghalen' }).click();
	await anna.getByRole('button', { name: 'Ja, weghalen' }).click();
	await expect(anna.getByRole('button', { name: 'Klussen weghalen' })).toHaveCount(0);
	await anna.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(anna.getByRole('button', { name: 'Klussen weghalen' })).toBeVisible();
	await anna.getByRole('button', { name: 'Klussen weghalen' }).click();
	await anna.getByRole('button', { name: 'Ja, weghalen' }).click();
	await anna.getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(anna.getByTestId('undo')).toHaveCount(0);
});

test('a phone set to more contrast gets the stronger colours until the resident chooses otherwise here', async ({ browser }) => {
	const context = await browser.newContext({ contrast: 'more', locale: 'nl-NL' });
	await watchPolicy(context);
	const page = await context.newPage();
	await page.goto(`${relay.origin}/weergave`);
	await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
	await expect(page.getByLabel('Sterkere kleuren')).toBeChecked();
	await page.getByLabel('Sterkere kleuren').uncheck();
	await page.reload();
	await expect(page.getByLabel('Sterkere kleuren')).not.toBeChecked();
	await expect(page.locator('html')).not.toHaveAttribute('data-contrast', 'high');
	await context.close();
});
