import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { askForHelp, createNeighbourhood, device, joinAs } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

async function expectNoViolations(page: Page, where: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.passes.length, where).toBeGreaterThan(10);
	const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(summary, `${where}\n${summary.join('\n')}`).toEqual([]);
}

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
