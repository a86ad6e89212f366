import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs, openPost } from './flows.ts';
import { openBuren } from './access-flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

test('a neighbour reports a post; the manager sees it under Meldingen and marks it dealt with', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	await askForHelp(fatima, 'Gratis gouden horloges');
	// Nobody reports their own post.
	await expect(fatima.getByRole('button', { name: 'Melden' })).toHaveCount(0);

	await openPost(bert, 'Gratis gouden horloges');
	await bert.getByRole('button', { name: 'Melden' }).click();
	await bert.getByRole('button', { name: 'Melding versturen' }).click();
	await expect(bert.getByText('Schrijf kort waarom u dit meldt.')).toBeVisible();
	await bert.getByLabel('Waarom meldt u dit?').fill('Dit lijkt reclame.');
	await bert.getByRole('button', { name: 'Melding versturen' }).click();
	await expect(bert.getByText('Dank u. De wijkverbinder kijkt ernaar.')).toBeVisible();

	// Bert is no manager: no list for him.
	await bert.goto(new URL('/leden/meldingen', bert.url()).href);
	await expect(bert.getByText('Dit kan alleen de wijkverbinder doen.')).toBeVisible();

	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Meldingen van buren' }).click();
	await expect(fatima.getByRole('heading', { name: 'Meldingen van buren', level: 1 })).toBeVisible();
	const report = fatima.getByTestId('reports-open').getByTestId('report');
	await expect(report).toHaveCount(1);
	await expect(report).toContainText('Bericht: Gratis gouden horloges');
	await expect(report).toContainText('Reden: Dit lijkt reclame.');
	await expect(report).toContainText('Gemeld door Bert');
	await report.getByRole('button', { name: 'Afgehandeld' }).click();
	await expect(fatima.getByTestId('reports-open').getByTestId('report')).toHaveCount(0);
	await expect(fatima.getByTestId('reports-done')).toContainText('Afgehandeld door Fatima');
	await fatima.getByTestId('reports-done').getByRole('link', { name: 'Bericht: Gratis gouden horloges' }).click();
	await expect(fatima.getByRole('heading', { name: 'Gratis gouden horloges', level: 1 })).toBeVisible();
});
