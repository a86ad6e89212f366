// The manager's side of "Buren": letting people in under "Aanmeldingen", removing one lost device
// while everyone else carries on, and giving a member a task the relay knows.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { askForHelp, createNeighbourhood, device, joinAs, makeInvitation } from './flows.ts';
import { appoint, openBuren, openMemberAccess } from './access-flows.ts';
import { startHeldRelay } from './held-line.ts';
import { startRelay, type RunningRelay } from './relay.ts';

const nl = JSON.parse(readFileSync('messages/nl.json', 'utf8')) as Record<string, string>;
let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** The id of this device's own credential, as its membership keeps it. */
const deviceIdOn = (page: Page) =>
	page.evaluate(() => {
		const state = JSON.parse(localStorage.getItem('noaber.memberships') ?? '{}') as { list?: Array<{ credential?: string }> };
		return state.list?.[0]?.credential?.split('.')[0] ?? '';
	});

test('with approval on, a new neighbour waits until the manager lets them in, and their device gets in by itself', async ({ browser }) => {
	// Behind a line that can hold what the relay sends this neighbour, on every socket of the device.
	const held = await startHeldRelay();
	await relay.stop();
	relay = held;
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay);

	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Nieuwe buren' }).click();
	await fatima.getByLabel('Met toestemming: nieuwe buren wachten tot u hen binnenlaat').check();
	await fatima.getByRole('button', { name: 'Opslaan', exact: true }).click();
	await expect(fatima.getByText('Opgeslagen.')).toBeVisible();
	await fatima.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Uitnodigen' }).click();
	const invite = await makeInvitation(fatima);

	const wim = await device(browser);
	// Wim's clock runs as usual, and can be moved on: his device asks again every 15 s.
	await wim.clock.install();
	// Once let in, his line brings no document for a while: home comes from what the relay says.
	const line = held.hold({ answered: 0 });
	await wim.goto(invite);
	await expect(wim.getByText('Doe mee met Lindenbuurt.')).toBeVisible();
	await wim.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await wim.getByLabel('Uw naam').fill('Wim');
	await wim.getByLabel('Straat of buurt').fill('Lindenlaan');
	await wim.getByRole('button', { name: 'Klaar' }).click();
	await expect(wim.getByText(nl['access.waiting'])).toBeVisible();
	await expect(wim.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toHaveCount(0);

	// The manager notices on "Buren" that someone waits, and lets Wim in.
	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Aanmeldingen (1)' }).click();
	const request = fatima.getByTestId('waiting-list').getByRole('listitem').filter({ hasText: 'Wim' });
	await expect(request.getByText(/^Aangemeld op /)).toBeVisible();
	await request.getByRole('button', { name: 'Binnenlaten' }).click();
	await expect(fatima.getByText('Wim is binnengelaten.', { exact: false })).toBeVisible();
	await expect(fatima.getByText('Er wacht nu niemand.')).toBeVisible();

	// Wim does nothing: a little later his device asks again by itself and comes in.
	await expect(wim.getByText(nl['access.waiting'])).toBeVisible();
	await wim.clock.fastForward(15_000);
	await expect(wim.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(wim.getByRole('link', { name: 'Bel 020 123 4567' })).toBeVisible();
	await expect(wim.getByText('Het nieuws wordt geladen…')).toBeVisible();
	await expect.poll(() => line.held).toBeGreaterThan(0);
	line.release();
	// The profile Wim filled in while waiting is in the neighbourhood now.
	await openBuren(wim);
	await expect(wim.getByTestId('member-list').getByRole('heading', { name: 'Wim (u)' })).toBeVisible();
	await openBuren(fatima);
	await expect(fatima.getByTestId('member-list').getByRole('heading', { name: 'Wim' })).toBeVisible();
});

test('a manager removes one lost device of a member; that device says so calmly and the others carry on', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay);
	const jan = await device(browser);
	await joinAs(jan, invite, 'Jan');
	await askForHelp(fatima, 'Wie helpt met de heg?');

	// Jan links his tablet with a code made on his phone.
	await jan.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Mijn gegevens' }).click();
	await jan.getByRole('link', { name: 'Een ander apparaat koppelen' }).click();
	await jan.getByRole('button', { name: 'Code maken' }).click();
	const link = await jan.getByTestId('device-link').inputValue();
	const tablet = await device(browser);
	await tablet.goto(link);
	await tablet.getByRole('button', { name: 'Ja, koppel dit apparaat' }).click();
	await expect(tablet.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await tablet.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(tablet.getByRole('link', { name: 'Wie helpt met de heg?' })).toBeVisible();
	const tabletId = await deviceIdOn(tablet);

	// The tablet is lost: Fatima removes that one device, after being asked.
	await openMemberAccess(fatima, 'Jan');
	const devices = fatima.getByTestId('device-list').getByRole('listitem');
	await expect(devices).toHaveCount(2);
	const lost = fatima.locator(`[data-device="${tabletId}"]`);
	await lost.getByRole('button', { name: 'Apparaat verwijderen' }).click();
	await expect(lost.getByText('Wat Jan schreef, blijft staan.', { exact: false })).toBeVisible();
	await lost.getByRole('button', { name: 'Ja, verwijder dit apparaat' }).click();
	await expect(fatima.getByText('Het apparaat is verwijderd.', { exact: false })).toBeVisible();
	await expect(devices).toHaveCount(1);
	await expect(fatima.locator(`[data-device="${tabletId}"]`)).toHaveCount(0);

	// The tablet says so calmly and still shows what it holds.
	await expect(tablet.getByText(nl['access.removed'])).toBeVisible({ timeout: 10_000 });
	await expect(tablet.getByRole('link', { name: 'Wie helpt met de heg?' })).toBeVisible();

	// Jan's phone and Fatima notice nothing: Jan asks for help, Fatima sees it.
	await askForHelp(jan, 'Wie brengt mij naar de markt?');
	await expect(jan.getByText(nl['access.removed'])).toHaveCount(0);
	await fatima.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(fatima.getByRole('link', { name: 'Wie brengt mij naar de markt?' })).toBeVisible();
	await expect(fatima.getByText(nl['access.removed'])).toHaveCount(0);
});

test('a manager makes a member agenda editor, and their open device offers the agenda tools at once', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay);
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await bert.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await expect(bert.getByRole('heading', { name: 'Wat is er te doen?', level: 1 })).toBeVisible();
	await expect(bert.getByRole('link', { name: 'Activiteiten inlezen' })).toHaveCount(0);
	// A member without a task sees none of the manager's controls on "Buren".
	await openBuren(bert);
	await expect(bert.getByTestId('member-list').getByRole('heading', { name: 'Fatima' })).toBeVisible();
	await expect(bert.getByRole('region', { name: 'Toegang tot de buurt' })).toHaveCount(0);
	await expect(bert.getByRole('link', { name: 'Taken en apparaten' })).toHaveCount(0);
	await bert.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();

	await appoint(fatima, 'Bert', 'Mag de hele agenda bijwerken');

	// Bert's open page hears from the relay that his tasks changed: no reload needed.
	await expect(bert.getByRole('link', { name: 'Activiteiten inlezen' })).toBeVisible();

	// Fatima cannot give away the last manager's task: she is told to hand it over first.
	await openMemberAccess(fatima, 'Fatima');
	await fatima.getByLabel('Wijkverbinder: beheert de buurt en de buren').uncheck();
	await fatima.getByRole('button', { name: 'Taken opslaan' }).click();
	await expect(fatima.getByText('Er moet altijd één wijkverbinder zijn.', { exact: false })).toBeVisible();
	// Her own device has no "remove" for itself.
	await expect(fatima.getByTestId('device-list').getByText('dit apparaat')).toBeVisible();
	await expect(fatima.getByTestId('device-list').getByRole('button', { name: 'Apparaat verwijderen' })).toHaveCount(0);
});

test("the manager's pages have no WCAG A/AA violations, and each has its own heading", async ({ browser }) => {
	const fatima = await device(browser);
	await createNeighbourhood(fatima, relay);
	await fatima.getByLabel('Naam van één persoon die u uitnodigt').fill('Mien');
	await fatima.getByRole('button', { name: 'Persoonlijke uitnodiging maken' }).click();
	await expect(fatima.getByRole('heading', { name: 'Persoonlijke uitnodiging voor Mien' })).toBeVisible();

	await openBuren(fatima);
	await expectNoViolations(fatima, '/leden');
	for (const [link, heading] of [
		['Aanmeldingen', 'Aanmeldingen'],
		['Uitnodigingen', 'Uitnodigingen'],
		['Nieuwe buren', 'Nieuwe buren']
	] as const) {
		await openBuren(fatima);
		await fatima.getByRole('link', { name: link, exact: true }).click();
		await expect(fatima.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		await expect(fatima.getByText('De lijst wordt opgehaald…')).toHaveCount(0);
		await expectNoViolations(fatima, link);
	}
	// The invitations made on "Uitnodigen" are listed, the personal one with its name.
	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Uitnodigingen', exact: true }).click();
	await expect(fatima.getByTestId('ticket-list').getByRole('listitem')).toHaveCount(2);
	const personal = fatima.getByTestId('ticket-list').getByRole('listitem').filter({ hasText: 'Persoonlijk, voor Mien' });
	await personal.getByRole('button', { name: 'Intrekken' }).click();
	await personal.getByRole('button', { name: 'Ja, intrekken' }).click();
	await expect(personal.getByText(/^Ingetrokken op /)).toBeVisible();

	await openMemberAccess(fatima, 'Fatima');
	await expectNoViolations(fatima, '/leden/toegang');
});
