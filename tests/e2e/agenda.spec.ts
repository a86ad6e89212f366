import type { Page, Route } from '@playwright/test';
import { expect, test } from './policy.ts';
import { createNeighbourhood, dayAhead, device, joinAs, keptForNextStart, waitForOfflineReady } from './flows.ts';
import { REMEMBERED_WEEK } from '../../src/lib/device/remembered-week.ts';
import { appoint, openMemberAccess } from './access-flows.ts';
import { watchPolicy } from './policy.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { startHeldRelay } from './held-line.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

const statusOf = (page: Page) => page.getByRole('status').filter({ has: page.locator('.dot') });

async function addEvent(page: Page, title: string, options: { weekly?: boolean; capacity?: number; description?: string; day?: number } = {}) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await page.getByRole('link', { name: 'Nieuwe activiteit' }).click();
	await page.getByLabel('Naam van de activiteit').fill(title);
	await page.getByLabel('Datum', { exact: true }).fill(dayAhead(options.day ?? 3));
	await page.getByLabel('Begintijd').fill('10:00');
	await page.getByLabel('Eindtijd').fill('11:30');
	if (options.weekly) await page.getByLabel('Elke week of om de paar weken').check();
	if (options.capacity) await page.getByLabel('Aantal plaatsen').fill(String(options.capacity));
	if (options.description) await page.getByLabel('Wat gaan we doen?').fill(options.description);
	await page.getByLabel('Plek', { exact: true }).fill('Buurthuis De Linde');
	await page.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

async function openEvent(page: Page, title: string) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await page.getByRole('link', { name: 'Lijst' }).click();
	await page.getByRole('link', { name: title }).first().click();
	await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

test('two volunteers type into the same description at once, and both texts survive', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser, { goesOffline: true });
	await joinAs(bert, invite, 'Bert');

	// The manager lets Bert edit the whole agenda.
	await appoint(anna, 'Bert', 'Mag de hele agenda bijwerken');

	await addEvent(anna, 'Koffieochtend', { weekly: true, description: 'Koffie en thee.' });
	await expect(anna.getByText('Elke week op')).toBeVisible();
	await anna.getByRole('link', { name: 'Activiteit aanpassen' }).first().click();

	await openEvent(bert, 'Koffieochtend');
	await bert.getByRole('link', { name: 'Activiteit aanpassen' }).first().click();
	// Each sees that the other is editing too.
	await expect(anna.getByText('Ook bezig met deze activiteit: Bert')).toBeVisible({ timeout: 20_000 });
	await expect(bert.getByText('Ook bezig met deze activiteit: Anna')).toBeVisible({ timeout: 20_000 });

	const annaText = anna.getByLabel('Wat gaan we doen?');
	const bertText = bert.getByLabel('Wat gaan we doen?');
	await expect(bertText).toHaveValue('Koffie en thee.');
	await annaText.focus();
	await anna.keyboard.press('End');
	await bertText.focus();
	await bert.keyboard.press('Home');
	// Both type at the same time, key by key.
	await Promise.all([
		anna.keyboard.type(' Neem een vriend mee.', { delay: 40 }),
		bert.keyboard.type('Gratis! ', { delay: 40 })
	]);
	const both = 'Gratis! Koffie en thee. Neem een vriend mee.';
	await expect(annaText).toHaveValue(both);
	await expect(bertText).toHaveValue(both);

	// Offline too: Bert adds a line without a connection while Anna keeps typing.
	await bert.context().setOffline(true);
	await bert.keyboard.press('End');
	await bert.keyboard.type(' Tot dan!');
	await anna.keyboard.press('Home');
	await anna.keyboard.type('Elke week: ');
	await bert.context().setOffline(false);
	const all = 'Elke week: Gratis! Koffie en thee. Neem een vriend mee. Tot dan!';
	await expect(annaText).toHaveValue(all, { timeout: 20_000 });
	await expect(bertText).toHaveValue(all, { timeout: 20_000 });

	await anna.getByRole('link', { name: 'Terug' }).first().click();
	await expect(anna.getByText(all)).toBeVisible();
});

test("a member's next start on the agenda shows this week as it was at once, and what changed once the documents are open", async ({ browser }) => {
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	await addEvent(manager, 'Koffieochtend', { weekly: true, day: 0, capacity: 12 });
	// No service worker: the browser's own routing then sees every request of the page.
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await watchPolicy(context);
	const resident = await context.newPage();
	await joinAs(resident, invite, 'Bert');
	await resident.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await expect(resident.getByRole('link', { name: 'Koffieochtend' }).first()).toBeVisible();
	await expect(resident.getByText('De oudere agenda wordt nog geladen…')).toHaveCount(0);
	// The page keeps its week once it has nothing else to do.
	await keptForNextStart(resident, REMEMBERED_WEEK, 'Koffieochtend');
	await resident.close();
	await addEvent(manager, 'Wandelgroep', { day: 0 });

	// Automerge cannot start while its wasm is held back: what shows comes from the last start.
	const held: Route[] = [];
	await context.route('**/*.wasm', (route) => void held.push(route));
	const again = await context.newPage();
	await again.goto(`${relay.origin}/agenda`);
	await expect.poll(() => held.length).toBeGreaterThan(0);
	await expect(again.getByText('De agenda wordt geopend…')).toBeVisible();
	await expect(again.getByRole('link', { name: 'Koffieochtend' }).first()).toBeVisible();
	// The week and its days in the words they were shown in.
	await expect(again.getByText(/^Week van maandag \d{1,2} [a-z]+/)).toBeVisible();
	await expect(again.getByRole('heading', { level: 2 }).first()).toHaveText(/^[a-z]+dag \d{1,2} [a-z]+/);
	await expect(again.getByText('Buurthuis De Linde').first()).toBeVisible();
	await expect(again.getByText(/\S\s· Nog 12 plaatsen/).first()).toBeVisible();
	await expect(again.getByRole('link', { name: 'Wandelgroep' })).toHaveCount(0);
	await again.getByRole('link', { name: 'Koffieochtend' }).first().focus();

	for (const route of held.splice(0)) await route.continue();
	await context.unroute('**/*.wasm');
	await expect(again.getByRole('link', { name: 'Wandelgroep' })).toBeVisible();
	await expect(again.getByText('De agenda wordt geopend…')).toHaveCount(0);
	// The agenda was brought up to date in place: the keyboard is where it was.
	await expect(again.getByRole('link', { name: 'Koffieochtend' }).first()).toBeFocused();
	await again.getByRole('link', { name: 'Koffieochtend' }).first().click();
	await expect(again.getByRole('heading', { name: 'Koffieochtend', level: 1 })).toBeVisible();
	await context.close();
});

test('a neighbour who joins hears "Bijgewerkt" only once the agenda is on the device too, so it is there offline', async ({ browser }) => {
	// Behind a line that can hold what the relay sends this neighbour, on every socket of the device.
	const held = await startHeldRelay();
	await relay.stop();
	relay = held;
	const manager = await device(browser);
	const invite = await createNeighbourhood(manager, relay);
	await addEvent(manager, 'Koffieochtend', { day: 0 });
	const resident = await device(browser, { goesOffline: true });
	// Every text the status line shows, as it changes.
	await resident.addInitScript(() => {
		const seen: string[] = [];
		Object.assign(window, { statusSeen: seen });
		new MutationObserver(() => {
			const text = document.querySelector('[role=status] .dot')?.closest('[role=status]')?.textContent?.trim();
			if (text && seen.at(-1) !== text) seen.push(text);
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
	const line = held.hold();
	await joinAs(resident, invite, 'Bert');
	await waitForOfflineReady(resident);
	await expect.poll(() => line.held).toBeGreaterThan(0);
	// The news needs the agenda: it is still coming, not "niets nieuws".
	await expect(resident.getByText('Het nieuws wordt geladen…')).toBeVisible();
	await expect(resident.getByText('Er is niets nieuws voor u.')).toHaveCount(0);

	// An agenda still on its way is not an empty one, and the status line does not say it is done.
	await resident.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await expect(resident.getByText('De agenda wordt geopend…')).toBeVisible();
	await expect(resident.getByText('Er staat in deze periode niets in de agenda.')).toHaveCount(0);
	await expect(statusOf(resident)).toHaveText('Bezig met delen met de buurt…');
	// The agenda file waits for it too, and says it is the agenda that is opening.
	await resident.getByRole('link', { name: 'Agenda in mijn telefoon' }).click();
	await expect(resident.getByText('De agenda wordt geopend…')).toBeVisible();
	await expect(resident.getByRole('button', { name: 'Of download de hele agenda één keer (.ics)' })).toBeDisabled();
	await resident.getByRole('link', { name: 'Terug naar de agenda' }).click();

	// The line drops while the agenda is on its way. The app comes back by itself and asks again:
	// the agenda is still on its way, not missing.
	await line.drop();
	await expect.poll(() => line.lines).toBe(2);
	await expect.poll(() => line.held).toBeGreaterThan(0);
	await expect(statusOf(resident)).toHaveText('Bezig met delen met de buurt…');
	await expect(resident.getByText('De agenda wordt geopend…')).toBeVisible();
	const seen = await resident.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen.slice());
	expect(seen).not.toContain('Bijgewerkt met de buurt.');

	// Bert closes the app before it is done and opens it without a network: the agenda says it is
	// not on this device yet, not that nothing is on.
	const context = resident.context();
	await resident.close();
	await context.setOffline(true);
	const away = await context.newPage();
	await away.goto(`${relay.origin}/agenda`);
	await expect(away.getByText('Deze week staat nog niet op dit apparaat.', { exact: false })).toBeVisible();
	await expect(away.getByText('Er staat in deze periode niets in de agenda.')).toHaveCount(0);
	// Nor does the home screen say there is nothing new.
	const home = await context.newPage();
	await home.goto(relay.origin);
	await expect(home.getByText('Nog niet al het nieuws staat op dit apparaat.', { exact: false })).toBeVisible();
	await expect(home.getByText('Er is niets nieuws voor u.')).toHaveCount(0);
	await home.close();

	line.release();
	// Back online (nothing held back any more), the agenda comes. Bert closes the app at
	// "Bijgewerkt" and opens it again without a network: the agenda is there.
	await context.setOffline(false);
	await expect(away.getByRole('link', { name: 'Koffieochtend' }).first()).toBeVisible();
	await expect(away.getByText('Deze week staat nog niet op dit apparaat.', { exact: false })).toHaveCount(0);
	await expect(statusOf(away)).toHaveText('Bijgewerkt met de buurt.');
	await away.close();
	await context.setOffline(true);
	const offline = await context.newPage();
	await offline.goto(`${relay.origin}/agenda`);
	await expect(offline.getByRole('link', { name: 'Koffieochtend' }).first()).toBeVisible();
	await expect(statusOf(offline)).toHaveText(/Opgeslagen op dit apparaat/);
});

test('an activity in another year, read away from the page, can be signed up for and is there offline', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Koffieochtend');
	// More than a year ahead: never in the weeks around today, so its year opens after theirs.
	// Weeks ago: this year's document comes to a page first with only this month and on.
	await addEvent(anna, 'Voorjaarsmarkt', { day: -40 });
	await addEvent(anna, 'Zomerfeest', { day: 400, capacity: 20 });

	// Bert's phone has no shared workers (Chrome on Android, as every device that goes offline in
	// these tests): the app starts a worker of its own.
	const bert = await device(browser, { goesOffline: true });
	await joinAs(bert, invite, 'Bert');
	await waitForOfflineReady(bert);
	await bert.goto(`${relay.origin}/agenda?weergave=lijst&dag=${dayAhead(-40)}`);
	await expect(bert.getByRole('link', { name: 'Voorjaarsmarkt' })).toBeVisible();
	const thatMonth = `${relay.origin}/agenda?weergave=lijst&dag=${dayAhead(400)}`;
	await bert.goto(thatMonth);
	await bert.getByRole('link', { name: 'Zomerfeest' }).click();
	// That year was read by the app's documents worker, not on the page.
	await expect.poll(() => bert.workers().some((worker) => worker.url().includes('documents.worker'))).toBe(true);
	await expect(bert.getByText('Er zijn 20 plaatsen. Nog 20 vrij.')).toBeVisible();
	await bert.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(bert.getByText('Bert is aangemeld.')).toBeVisible();
	await expect(anna.getByTestId('participants')).toHaveText('Bert');
	await expect(statusOf(bert)).toHaveText('Bijgewerkt met de buurt.');

	// Anna starts the app again straight on the party's edit page: that year now opens in the
	// background, and the page opens it to be changed. Meanwhile it says so, never that the
	// activity does not exist.
	const editPage = anna.url().replace(/\/?$/, '/bewerken');
	await anna.addInitScript(() => {
		new MutationObserver(() => {
			if (document.body?.innerText.includes('bestaat niet (meer)')) Object.assign(window, { saidNotFound: true });
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
	await anna.goto(editPage);
	// Back to the activity, not to "all posts" of the help board.
	await expect(anna.getByRole('link', { name: 'Terug naar de activiteit' })).toBeVisible();
	await anna.getByLabel('Naam van de activiteit').fill('Zomerfeest in de tuin');
	await anna.getByRole('button', { name: 'Bewaren' }).click();
	await expect(anna.getByText('Bewaard.')).toBeVisible();
	expect(await anna.evaluate(() => (window as unknown as { saidNotFound?: boolean }).saidNotFound ?? false)).toBe(false);
	await expect(bert.getByRole('heading', { name: 'Zomerfeest in de tuin', level: 1 })).toBeVisible();

	// Without a network, on the next start, the activity and the sign-up are there.
	const context = bert.context();
	await bert.close();
	await context.setOffline(true);
	const offline = await context.newPage();
	await offline.goto(thatMonth);
	await offline.getByRole('link', { name: 'Zomerfeest in de tuin' }).click();
	await expect(offline.getByText('Bert is aangemeld.')).toBeVisible();
});

/** How many documents workers run for this page's device: a shared one is a target of its own. */
async function documentsWorkers(page: Page): Promise<number> {
	const session = await page.context().newCDPSession(page);
	const { targetInfo: own } = await session.send('Target.getTargetInfo');
	const { targetInfos } = await session.send('Target.getTargets');
	await session.detach();
	return targetInfos.filter((target) => target.browserContextId === own.browserContextId && target.url.includes('documents.worker')).length;
}

test('two tabs of one neighbourhood share one documents worker, and both show a change in another year at once', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Koffieochtend');
	// More than a year ahead: never in the weeks around today, so its year is read in the background.
	await addEvent(anna, 'Zomerfeest', { day: 400 });

	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	const thatMonth = `${relay.origin}/agenda?weergave=lijst&dag=${dayAhead(400)}`;
	await bert.goto(thatMonth);
	const second = await bert.context().newPage();
	await second.goto(thatMonth);
	// What shows at first is the agenda as it was at the last start; the older years come after.
	for (const tab of [bert, second]) {
		await expect(tab.getByRole('link', { name: 'Zomerfeest' })).toBeVisible();
		await expect(tab.getByText('De oudere agenda wordt nog geladen…')).toHaveCount(0);
	}
	// One worker read that year for both tabs: one copy in memory, one connection to the relay.
	expect(await documentsWorkers(bert)).toBe(1);

	await anna.getByRole('link', { name: 'Activiteit aanpassen' }).first().click();
	await anna.getByLabel('Naam van de activiteit').fill('Zomerfeest in de tuin');
	await anna.getByRole('button', { name: 'Bewaren' }).click();
	await expect(anna.getByText('Bewaard.')).toBeVisible();
	for (const tab of [bert, second]) await expect(tab.getByRole('link', { name: 'Zomerfeest in de tuin' })).toBeVisible();
});

test('a volunteer whose agenda task was taken away while offline skips a coffee morning: back online it is not passed on, and says so', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Koffieochtend', { weekly: true });
	// Bert's phone has a worker of its own, which holds the agenda: the offline switch reaches it.
	const bert = await device(browser, { goesOffline: true });
	await joinAs(bert, invite, 'Bert');
	await appoint(anna, 'Bert', 'Mag de hele agenda bijwerken');
	await openEvent(bert, 'Koffieochtend');
	await expect(bert.getByLabel('Waarom gaat het niet door?')).toBeVisible();

	await bert.context().setOffline(true);
	await openMemberAccess(anna, 'Bert');
	await anna.getByLabel('Mag de hele agenda bijwerken').uncheck();
	await anna.getByRole('button', { name: 'Taken opslaan' }).click();
	await expect(anna.getByText('De taken zijn opgeslagen.')).toBeVisible();

	// Offline, Bert's device still lets him: it shows at once, from the worker that holds the year.
	await bert.getByLabel('Waarom gaat het niet door?').fill('Koningsdag');
	await bert.getByRole('button', { name: 'Deze keer overslaan' }).click();
	await expect(bert.getByText('Deze keer gaat het niet door. Koningsdag')).toBeVisible();

	// Back online the relay refuses it: it is taken out of Bert's copy, and he reads why.
	await bert.context().setOffline(false);
	await expect(bert.getByRole('region', { name: 'Niet doorgegeven' })).toBeVisible();
	await expect(bert.getByText('alleen de organisator van deze activiteit of een agendabeheerder mag die wijzigen.')).toBeVisible();
	await expect(bert.getByText('Deze keer gaat het niet door. Koningsdag')).toHaveCount(0);
	await expect(statusOf(bert)).toHaveText('Bijgewerkt met de buurt.');
	await openEvent(anna, 'Koffieochtend');
	await expect(anna.getByText('Deze keer gaat het niet door.')).toHaveCount(0);
});

test('a resident signs up for a full event and moves up from the waiting list when someone cancels', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Bingo', { capacity: 1 });

	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await openEvent(bert, 'Bingo');
	await expect(bert.getByText('Er is 1 plaats, en die is nog vrij.')).toBeVisible();
	await bert.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(bert.getByText('Bert is aangemeld.')).toBeVisible();

	const carla = await device(browser);
	await joinAs(carla, invite, 'Carla');
	await openEvent(carla, 'Bingo');
	await expect(carla.getByText('Het is vol')).toBeVisible();
	await carla.getByRole('button', { name: 'Op de wachtlijst' }).click();
	await expect(carla.getByText('Carla staat op de wachtlijst, plaats 1.')).toBeVisible();

	// The organiser sees who comes and who waits.
	await expect(anna.getByTestId('participants')).toHaveText('Bert');
	await expect(anna.getByTestId('waiting')).toHaveText('Carla');

	await bert.getByRole('button', { name: 'Afmelden' }).click();
	await bert.getByRole('button', { name: 'Ja, afmelden' }).click();
	// Carla took the place: Bert could only join the waiting list now.
	await expect(bert.getByRole('button', { name: 'Op de wachtlijst' })).toBeVisible();
	// Carla moves up on her own screen, without reloading.
	await expect(carla.getByText('Carla is aangemeld.')).toBeVisible();
	await expect(anna.getByTestId('participants')).toHaveText('Carla');

	// "Mijn activiteiten": Carla's bingo is there; Bert, who cancelled, has nothing.
	for (const [page, has] of [[carla, true], [bert, false]] as const) {
		await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
		await page.getByRole('link', { name: 'Mijn activiteiten' }).click();
		if (has) await expect(page.getByRole('link', { name: 'Bingo' })).toBeVisible();
		else await expect(page.getByText('U heeft zich nergens voor aangemeld in de komende vier weken.')).toBeVisible();
	}
});

test('a resident signed up for every week can\'t come once: that date\'s place goes to the waiting list, the rest stays', async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Wandelgroep', { weekly: true, capacity: 1 });

	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await openEvent(bert, 'Wandelgroep');
	await bert.getByLabel('Elke keer').check();
	await bert.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(bert.getByText('Bert is voor elke keer aangemeld.')).toBeVisible();

	const carla = await device(browser);
	await joinAs(carla, invite, 'Carla');
	await openEvent(carla, 'Wandelgroep');
	await carla.getByRole('button', { name: 'Op de wachtlijst' }).click();
	await expect(carla.getByText('Carla staat op de wachtlijst, plaats 1.')).toBeVisible();

	await bert.getByRole('button', { name: 'Deze keer kan ik niet' }).click();
	await expect(bert.getByText('Bert komt deze keer niet. Voor de andere keren blijft de aanmelding staan.')).toBeVisible();
	await expect(bert.getByTestId('undo')).toContainText('Bert komt deze keer niet.');
	// Carla has the place for this date, live on her screen.
	await expect(carla.getByText('Carla is aangemeld.')).toBeVisible();
	// Next week Bert still has his place.
	await bert.getByRole('heading', { name: 'Volgende keren' }).locator('xpath=following-sibling::ul[1]').getByRole('link').first().click();
	await expect(bert.getByText('Bert is voor elke keer aangemeld.')).toBeVisible();
	await bert.goBack();
	await bert.getByRole('button', { name: 'Toch komen' }).click();
	await expect(bert.getByText('Bert is voor elke keer aangemeld.')).toBeVisible();
	await expect(carla.getByText('Carla staat op de wachtlijst, plaats 1.')).toBeVisible();
});

test('a volunteer skips one coffee morning, moves another, and prints the week for the notice board', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Koffieochtend', { weekly: true });

	// The next occurrences are listed on the event page; skip the first of them.
	await anna.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await anna.getByRole('link', { name: 'Lijst' }).click();
	await anna.getByRole('link', { name: 'Koffieochtend' }).nth(1).click();
	await anna.getByLabel('Waarom gaat het niet door?').fill('Koningsdag');
	await anna.getByRole('button', { name: 'Deze keer overslaan' }).click();
	await expect(anna.getByText('Deze keer gaat het niet door. Koningsdag')).toBeVisible();

	await anna.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await anna.getByRole('link', { name: 'Lijst' }).click();
	const items = anna.locator('li.happening');
	await expect(items.nth(1)).toContainText('Gaat niet door');
	await expect(items.nth(0)).not.toContainText('Gaat niet door');

	// Another week, another room.
	await anna.getByRole('link', { name: 'Koffieochtend' }).nth(2).click();
	await anna.getByRole('button', { name: 'Deze keer wijzigen' }).click();
	await anna.getByLabel('Andere plek').fill('Kerkzaal');
	await anna.getByRole('button', { name: 'Wijziging bewaren' }).click();
	await expect(anna.getByText('Kerkzaal')).toBeVisible();

	await anna.goto(`${relay.origin}/agenda?weergave=maand&dag=${dayAhead(3)}`);
	await expect(anna.getByRole('table')).toContainText('Koffieochtend');

	// The week of the first coffee morning, on paper.
	await anna.goto(`${relay.origin}/agenda/afdrukken?dag=${dayAhead(3)}`);
	await expect(anna.getByRole('heading', { name: 'Agenda Lindenbuurt' })).toBeVisible();
	await expect(anna.getByRole('article')).toContainText('10.00–11.30 Koffieochtend, Buurthuis De Linde');
	await expect(anna.getByText('Bel Fatima de Vries: 020 123 4567', { exact: false })).toBeVisible();
	await expect(anna.getByRole('img', { name: 'Scan de code voor de openbare pagina van de buurt.' })).toBeVisible();
	await expect(anna.locator('.qr[data-link]')).toHaveAttribute('data-link', new RegExp(`^${relay.origin}/openbaar#r=[^&]+&d=automerge:\\w+$`));
	const pdf = await anna.pdf({ format: 'A4', preferCSSPageSize: true });
	expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
});

test('the calendar feed served by the relay shows an edit made in the app', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	await addEvent(anna, 'Repaircafé');

	// One event into the resident's own calendar, as a file.
	const saved = anna.waitForEvent('download');
	await anna.getByRole('button', { name: 'In mijn agenda zetten (.ics)' }).click();
	const file = await saved;
	expect(file.suggestedFilename()).toBe('repaircafe.ics');
	const { readFile } = await import('node:fs/promises');
	expect(await readFile((await file.path())!, 'utf8')).toContain('SUMMARY:Repaircafé');

	await anna.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await anna.getByRole('link', { name: 'Agenda in mijn telefoon' }).click();
	const address = await anna.getByTestId('feed-address').inputValue();
	expect(address).toMatch(new RegExp(`^${relay.origin}/ical/[A-Za-z0-9_-]{32}\\.ics$`));
	const feed = async () => (await anna.request.get(address)).text();
	await expect.poll(feed).toContain('SUMMARY:Repaircafé');

	await anna.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await anna.getByRole('link', { name: 'Lijst' }).click();
	await anna.getByRole('link', { name: 'Repaircafé' }).click();
	await anna.getByRole('link', { name: 'Activiteit aanpassen' }).first().click();
	await anna.getByLabel('Naam van de activiteit').fill('Repaircafé en koffie');
	await anna.getByRole('button', { name: 'Bewaren' }).click();
	await expect(anna.getByText('Bewaard.')).toBeVisible();
	await expect.poll(feed, { timeout: 15_000 }).toContain('SUMMARY:Repaircafé en koffie');
	expect(await feed()).toMatch(/SEQUENCE:1\r\n/);
});

test('a volunteer imports a calendar file and sees what was added and what was refused', async ({ browser }) => {
	const anna = await device(browser);
	await createNeighbourhood(anna, relay, 'Anna');
	const file = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Bibliotheek//NL',
		'BEGIN:VEVENT',
		'UID:digicafe-1@bibliotheek.example',
		'DTSTAMP:20261101T090000Z',
		'DTSTART:20261208T130000Z',
		'DTEND:20261208T150000Z',
		'SUMMARY:Digicafé in de bibliotheek',
		'LOCATION:Bibliotheek Lindendorp',
		'END:VEVENT',
		'BEGIN:VEVENT',
		'UID:digicafe-2019@bibliotheek.example',
		'DTSTAMP:20191101T090000Z',
		'DTSTART:20191105T130000Z',
		'DTEND:20191105T150000Z',
		'SUMMARY:Eerste Digicafé',
		'END:VEVENT',
		'BEGIN:VEVENT',
		'UID:zonder-datum@bibliotheek.example',
		'DTSTAMP:20261101T090000Z',
		'SUMMARY:Voorleesuur',
		'END:VEVENT',
		'END:VCALENDAR',
		''
	].join('\r\n');
	await anna.goto(`${relay.origin}/agenda/importeren`);
	await expect(anna.getByLabel('Agendabestand (.ics)')).toBeEnabled();
	await anna.getByLabel('Agendabestand (.ics)').setInputFiles({ name: 'bibliotheek.ics', mimeType: 'text/calendar', buffer: Buffer.from(file) });
	await expect(anna.getByTestId('import-add')).toContainText('Digicafé in de bibliotheek — dinsdag 8 december, 14.00–16.00');
	await expect(anna.getByTestId('import-refused')).toContainText('Voorleesuur: Er staat geen datum bij.');
	await expect(anna.getByTestId('import-add')).toContainText('Eerste Digicafé');
	await anna.getByRole('button', { name: 'Toevoegen aan de agenda' }).click();
	await expect(anna.getByText('2 activiteiten toegevoegd.')).toBeVisible();
	await expect(anna.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	// The same file again adds nothing twice, also on the next start, when 2019 stays in the app's
	// documents worker until a page needs it: the file can be chosen once every year is here.
	await anna.goto(`${relay.origin}/agenda/importeren`);
	await expect(anna.getByLabel('Agendabestand (.ics)')).toBeEnabled();
	await anna.getByLabel('Agendabestand (.ics)').setInputFiles({ name: 'bibliotheek.ics', mimeType: 'text/calendar', buffer: Buffer.from(file) });
	await expect(anna.getByTestId('import-refused')).toContainText('Digicafé in de bibliotheek (dinsdag 8 december): Staat al in de agenda.');
	await expect(anna.getByTestId('import-refused')).toContainText('Eerste Digicafé (dinsdag 5 november 2019): Staat al in de agenda.');
	await expect(anna.getByText('Er is niets om toe te voegen.')).toBeVisible();
	await expect(anna.getByText('Bijgewerkt met de buurt.')).toBeVisible();
	await anna.goto(`${relay.origin}/agenda?weergave=vandaag&dag=2026-12-08`);
	await expect(anna.locator('li.happening')).toContainText('Digicafé in de bibliotheek');

	// A busy week (three walks a day): its first screenful shows at once, and the rest follows.
	const walks = ['0900', '1300', '1900'].flatMap((time, i) => [
		'BEGIN:VEVENT',
		`UID:wandeling-${i}@wandelclub.example`,
		'DTSTAMP:20261101T090000Z',
		`DTSTART;TZID=Europe/Amsterdam:20261207T${time}00`,
		`DTEND;TZID=Europe/Amsterdam:20261207T${String(Number(time.slice(0, 2)) + 1).padStart(2, '0')}0000`,
		'RRULE:FREQ=DAILY;COUNT=7',
		`SUMMARY:Wandeling ${i + 1}`,
		'END:VEVENT'
	]);
	const club = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Wandelclub//NL', ...walks, 'END:VCALENDAR', ''].join('\r\n');
	await anna.goto(`${relay.origin}/agenda/importeren`);
	await expect(anna.getByLabel('Agendabestand (.ics)')).toBeEnabled();
	await anna.getByLabel('Agendabestand (.ics)').setInputFiles({ name: 'wandelclub.ics', mimeType: 'text/calendar', buffer: Buffer.from(club) });
	await anna.getByRole('button', { name: 'Toevoegen aan de agenda' }).click();
	await expect(anna.getByText('3 activiteiten toegevoegd.')).toBeVisible();
	await anna.goto(`${relay.origin}/agenda?weergave=week&dag=2026-12-07`);
	await expect(anna.locator('li.happening')).toHaveCount(22);
	const sunday = anna.locator('ol.agenda-days > li').last();
	await expect(sunday.getByRole('heading', { level: 2 })).toHaveText(/zondag 13 december/);
	await expect(sunday.locator('li.happening')).toHaveCount(3);
});
