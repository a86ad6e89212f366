// Issue #16: "Cijfers" for the implementation team. The wijkverbinder sees per month how many
// take part and help each other, in a chart and a table, and downloads them as CSV; counts under
// five show as "minder dan 5", nobody is named, and a neighbour without that task sees none.
import { readFile } from 'node:fs/promises';
import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { openBuren } from './access-flows.ts';
import { askForHelp, createNeighbourhood, device, joinAs } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** This month as the figures name it: on Dutch time. */
const thisMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
const monthName = () => new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', month: 'long', year: 'numeric' }).format(new Date());

test('the wijkverbinder sees the month’s figures, small counts hidden, and downloads them; a neighbour sees none', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');
	for (const title of ['Boodschappen op maandag', 'Boodschappen op dinsdag', 'Boodschappen op woensdag', 'Boodschappen op donderdag', 'Boodschappen op vrijdag']) {
		await askForHelp(bert, title);
	}

	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Cijfers', exact: true }).click();
	await expect(fatima.getByRole('heading', { name: 'Cijfers van Lindenbuurt', level: 1 })).toBeVisible();
	const table = fatima.getByTestId('figures-table');
	const row = table.getByRole('row', { name: new RegExp(`^${monthName()}`) });
	// Five requests are shown; two new members are fewer than five, so not counted out.
	await expect(row.getByRole('cell').nth(3)).toHaveText('5');
	await expect(row.getByRole('cell').nth(0)).toHaveText('minder dan 5');
	await expect(table.getByRole('columnheader', { name: 'Hulpvragen', exact: true })).toBeVisible();
	const help = fatima.getByTestId('figures-help');
	await expect(help.getByRole('row', { name: /^Boodschappen/ }).getByRole('cell').first()).toHaveText('5');
	await expect(fatima.getByRole('img', { name: 'Hulpvragen en hulpaanbod per maand, het laatste jaar' })).toBeVisible();
	await expectNoViolations(fatima, '/leden/cijfers');

	const saved = fatima.waitForEvent('download');
	await fatima.getByRole('button', { name: 'Download als spreadsheet (CSV)' }).click();
	const file = await saved;
	expect(file.suggestedFilename()).toBe('cijfers-lindenbuurt.csv');
	const csv = await readFile((await file.path())!, 'utf8');
	expect(csv).toContain('Maand,Cijfer,Onderwerp,Aantal');
	expect(csv).toContain(`${thisMonth()},Hulpvragen,Boodschappen,5`);
	expect(csv).toContain(`${thisMonth()},Nieuwe leden,,minder dan 5`);
	expect(csv).not.toMatch(/Bert|Fatima|maandag/);

	// Bert has no such task: no link on his page, and the address alone shows nothing.
	await bert.goto(`${relay.origin}/leden/cijfers`);
	await expect(bert.getByText('Alleen de wijkverbinder kan de cijfers zien.')).toBeVisible();
	await expect(bert.getByTestId('figures-table')).toHaveCount(0);
});
