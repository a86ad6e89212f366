// "Alles van deze persoon ongedaan maken": a member's device (a plain Node client with its own
// credential, as an attacker would use) empties the board, the agenda and the map and renames the
// neighbourhood; another member posts meanwhile. The manager opens "Wijzigingen", sees what Bert
// did in plain words, and undoes it: on every device the board, agenda and map look as before,
// and the other member's post stays. Today's relay refuses such damage (tests/relay/rules.test.ts);
// this relay judges nothing, as before December 2026: what was done then must be undone too.
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import * as A from '@automerge/automerge';
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { callAccess } from '../../src/lib/access/client.ts';
import { parseInvite } from '../../src/lib/neighbourhood/invite.ts';
import { askForHelp, createNeighbourhood, dayAhead, device, joinAs } from './flows.ts';
import { openBuren } from './access-flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

type Doc = Record<string, Record<string, unknown>>;

let relay: RunningRelay;
let bert: Repo | undefined;

test.beforeEach(async () => {
	relay = await startRelay({ rules: 'off' });
});

test.afterEach(async () => {
	await bert?.shutdown().catch(() => undefined);
	bert = undefined;
	await relay.stop();
});

async function addEvent(page: Page, title: string) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await page.getByRole('link', { name: 'Nieuwe activiteit' }).click();
	await page.getByLabel('Naam van de activiteit').fill(title);
	await page.getByLabel('Datum', { exact: true }).fill(dayAhead(3));
	await page.getByLabel('Begintijd').fill('10:00');
	await page.getByLabel('Eindtijd').fill('11:30');
	await page.getByLabel('Plek', { exact: true }).fill('Buurthuis De Linde');
	await page.getByRole('button', { name: 'Activiteit toevoegen' }).click();
	await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

async function addService(page: Page, name: string) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Sociale kaart' }).click();
	await page.getByRole('link', { name: 'Dienst toevoegen' }).click();
	await page.getByLabel('Naam van de dienst').fill(name);
	await page.getByLabel('Naam van de nieuwe organisatie').fill('Welzijn Lindenbuurt');
	await page.getByLabel('Wat biedt het?').fill('Hulp bij aanvragen voor zorg en geldzaken.');
	await page.getByRole('button', { name: 'Bewaren' }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** What a device shows on the board, in the agenda and on the map. */
async function expectShows(page: Page, shown: { posts: string[]; gone: string[]; event: string; service: string }) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Hulp', exact: true }).click();
	for (const title of shown.posts) await expect(page.getByRole('link', { name: title })).toBeVisible();
	for (const title of shown.gone) await expect(page.getByRole('link', { name: title })).toHaveCount(0);
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Agenda' }).click();
	await page.getByRole('link', { name: 'Lijst' }).click();
	await expect(page.getByRole('link', { name: shown.event }).first()).toBeVisible();
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Sociale kaart' }).click();
	await expect(page.getByRole('link', { name: shown.service }).first()).toBeVisible();
}

/** Bert's own credential, in a stock automerge-repo client: what anyone with a phone could run. */
async function bertsClient(invite: string): Promise<{ repo: Repo; root: DocHandle<Doc> }> {
	const parsed = parseInvite(invite)!;
	const joined = await callAccess(parsed.relay, 'join', { root: parsed.root, ticket: parsed.ticket, name: 'Bert' });
	if (!joined.ok) throw new Error(`could not join: ${joined.reason}`);
	bert = new Repo({ network: [new KeyedClientAdapter(parsed.relay, joined.value.credential, 200)] });
	return { repo: bert, root: await bert.find<Doc>(parsed.root as AutomergeUrl) };
}

/** Writes a change and waits until the relay has it. */
async function damage(repo: Repo, handle: DocHandle<Doc>, change: (doc: Doc) => void) {
	handle.change(change);
	await expect
		.poll(() => {
			const relayPeer = repo.peers[0];
			const storage = relayPeer ? repo.getStorageIdOfPeer(relayPeer) : undefined;
			return storage ? handle.getSyncInfo(storage)?.lastHeads?.join() : undefined;
		})
		.toBe(handle.heads().join());
}

test('a manager undoes everything one member changed; every device shows the board, agenda and map as before, and what another did stays', async ({ browser }) => {
	test.setTimeout(150_000);
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	await askForHelp(fatima, 'Boodschappen gezocht');
	await addEvent(fatima, 'Koffieochtend');
	await addService(fatima, 'Spreekuur ouderenadviseur');

	const anna = await device(browser);
	await joinAs(anna, invite, 'Anna');
	const before = { posts: ['Boodschappen gezocht'], gone: [], event: 'Koffieochtend', service: 'Spreekuur ouderenadviseur' };
	await expectShows(anna, before);

	// Bert empties every list his device can reach and renames the neighbourhood.
	const { repo, root } = await bertsClient(invite);
	const listed = (index: unknown) => Object.keys((index ?? {}) as object) as AutomergeUrl[];
	await damage(repo, root, (d) => A.updateText(d as never, ['name'], 'Gekaapt'));
	const empty = async (urls: AutomergeUrl[], keys: string[]) => {
		for (const url of urls) {
			const handle = await repo.find<Doc>(url);
			await damage(repo, handle, (d) => {
				for (const key of keys) for (const id of Object.keys(d[key] ?? {})) delete d[key]![id];
			});
		}
	};
	const docs = root.doc()!.docs as Record<string, unknown>;
	await empty(listed(docs.help), ['posts']);
	await empty(listed(docs.agenda), ['events']);
	await empty(listed(docs.map), ['services', 'organizations', 'locations', 'serviceAtLocations']);

	// Anna's device shows the damage; she posts something of her own meanwhile.
	await anna.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Hulp', exact: true }).click();
	await expect(anna.getByRole('link', { name: 'Boodschappen gezocht' })).toHaveCount(0);
	await askForHelp(anna, 'Wie helpt met de tuin?');

	// The manager looks at Bert's changes, in plain words, and undoes them.
	await openBuren(fatima);
	await fatima.getByRole('link', { name: 'Wijzigingen' }).click();
	await expect(fatima.getByRole('heading', { name: 'Wijzigingen', level: 1 })).toBeVisible();
	await fatima.getByLabel('Van wie?').selectOption({ label: 'Bert' });
	await fatima.getByRole('button', { name: 'Toon wijzigingen' }).click();
	await expect(fatima.getByText('Bert verwijderde het bericht „Boodschappen gezocht”.')).toBeVisible();
	await expect(fatima.getByText('Bert verwijderde de activiteit „Koffieochtend”.')).toBeVisible();
	await expect(fatima.getByText('Bert verwijderde de dienst „Spreekuur ouderenadviseur”.')).toBeVisible();
	await expect(fatima.getByText('Bert veranderde de instellingen van de buurt.')).toBeVisible();
	await expectNoViolations(fatima, '/leden/wijzigingen');
	await fatima.getByRole('button', { name: /^Alles van Bert sinds .* ongedaan maken$/ }).click();
	await expect(fatima.getByRole('alert')).toContainText('Alles wat Bert sinds');
	await expectNoViolations(fatima, '/leden/wijzigingen, asking before the undo');
	await fatima.getByRole('button', { name: 'Ja, zet alles terug' }).click();
	await expect(fatima.getByText(/^Klaar\. \d+ wijzigingen van Bert zijn ongedaan gemaakt\.$/)).toBeVisible();
	// The undo is in the list too, under the manager's name.
	await fatima.getByLabel('Van wie?').selectOption({ label: 'Iedereen' });
	await fatima.getByRole('button', { name: 'Toon wijzigingen' }).click();
	await expect(fatima.getByText('Fatima zette wijzigingen terug.').first()).toBeVisible();

	// Every device: the neighbourhood's name, board, agenda and map as before, and Anna's post too.
	const after = { ...before, posts: ['Boodschappen gezocht', 'Wie helpt met de tuin?'] };
	for (const page of [fatima, anna]) {
		await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Start' }).click();
		await expect(page.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
		await expectShows(page, after);
	}
	// Bert's own device gets the undo too.
	await expect.poll(() => String(root.doc()?.name)).toBe('Lindenbuurt');
});
