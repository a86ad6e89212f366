import { expect, test } from './policy.ts';
import { createNeighbourhood, device, joinAs } from './flows.ts';
import { appoint } from './access-flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';
import { browserStored, relayStored } from './stored-text.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

test("a volunteer records a resident's consent, which neighbours and the relay cannot read, and erases the resident when it is withdrawn", async ({ browser }) => {
	// Three devices join one after another before the walk starts.
	test.setTimeout(120_000);
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const vera = await device(browser);
	await joinAs(vera, invite, 'Vera');
	await appoint(anna, 'Vera', 'Tussenpersoon: laat nieuwe buren binnen en helpt buren zonder telefoon');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert');

	await vera.getByRole('link', { name: 'Buren', exact: true }).click();
	await vera.getByRole('link', { name: 'Iemand zonder telefoon of computer toevoegen' }).click();
	await vera.getByLabel('Uw naam').fill('Henk Zonderfoon');
	await vera.getByLabel('Telefoonnummer (mag leeg blijven)').fill('050 765 4321');
	await vera.getByLabel('Persoonlijk').check();
	await vera.getByLabel('Deze persoon weet hiervan en is het ermee eens.').check();
	// A shaky double tap adds Henk once.
	await vera.getByRole('button', { name: 'Profiel maken' }).dblclick();
	await expect(vera.getByText('Mensen voor wie ik dingen regel: Henk Zonderfoon')).toBeVisible();
	await vera.getByRole('link', { name: 'Bewoners die ik help' }).click();
	await expect(vera.getByText(/Toestemming gegeven aan Vera op .* \(Persoonlijk\)\./)).toBeVisible();
	await expect(vera.getByText(/Toestemming gegeven aan Vera op/)).toHaveCount(1);

	// Bert's device has Henk's profile, but not his number or how he gave consent.
	await bert.getByRole('link', { name: 'Buren', exact: true }).click();
	await expect(bert.getByTestId('member-list')).toContainText('Henk Zonderfoon');
	const onBert = await browserStored(bert);
	const onRelay = await relayStored(relay.data);
	expect(onBert.history).toContain('Henk Zonderfoon');
	expect(onRelay.history).toContain('Henk Zonderfoon');
	for (const secret of ['050 765 4321', 'in-person']) {
		expect(onBert.raw).not.toContain(secret);
		expect(onBert.history).not.toContain(secret);
		expect(onRelay.raw).not.toContain(secret);
		expect(onRelay.history).not.toContain(secret);
	}

	// Henk withdraws his consent: Vera records it, and Henk's data goes, history and all.
	await vera.getByRole('button', { name: 'Toestemming ingetrokken' }).click();
	await vera.getByRole('button', { name: 'Ja, verwijder de gegevens van Henk Zonderfoon' }).click();
	await expect(vera.getByText('De gegevens van Henk Zonderfoon zijn verwijderd.')).toBeVisible();
	await expect(vera.getByText('U helpt nog niemand zonder telefoon of computer.')).toBeVisible();
	await expect.poll(async () => (await relayStored(relay.data)).history.includes('Henk Zonderfoon'), { timeout: 20_000 }).toBe(false);
	await expect(bert.getByTestId('member-list')).not.toContainText('Henk Zonderfoon');
	await expect.poll(async () => (await browserStored(bert)).history.includes('Henk Zonderfoon'), { timeout: 20_000 }).toBe(false);
	// Everyone else is still there, and the neighbourhood still syncs.
	await expect(bert.getByTestId('member-list')).toContainText('Vera');
});
