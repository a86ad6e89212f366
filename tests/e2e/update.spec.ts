// A new version of Noaber waits for the person ("Er is een nieuwe versie van Noaber. Nu
// bijwerken?") and a page load on a weak signal shows the device's copy after three seconds.
// The operator's new version is a relay started again on the same address with a changed app.
import { expect, test } from '@playwright/test';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { device, waitForOfflineReady } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let app: string;
const relays: RunningRelay[] = [];

test.beforeEach(async () => {
	app = await mkdtemp(join(tmpdir(), 'noaber-e2e-app-'));
	await cp('build', app, { recursive: true });
});

test.afterEach(async () => {
	for (const relay of relays.splice(0)) await relay.stop();
	await rm(app, { recursive: true, force: true });
});

const portOf = (relay: RunningRelay) => Number(new URL(relay.origin).port);

/** A server on the relay's address that takes every connection and never answers: a weak signal. */
async function silentAt(port: number): Promise<{ close: () => Promise<void> }> {
	const sockets = new Set<Socket>();
	const server = createServer((socket) => void sockets.add(socket));
	await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
	return {
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}

test('a page load on a weak signal shows the copy on the device; a new version waits until the person updates', async ({ browser }) => {
	const first = await startRelay({ env: { NOABER_APP: app } });
	relays.push(first);
	const page = await device(browser);
	await page.goto(first.origin);
	await expect(page.getByRole('heading', { name: 'Welkom bij Noaber', level: 1 })).toBeVisible();
	await waitForOfflineReady(page);

	// The server takes the request and says nothing: after three seconds the page is there all the same.
	await first.stop();
	const silent = await silentAt(portOf(first));
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Welkom bij Noaber', level: 1 })).toBeVisible();
	await silent.close();

	// The operator installs a new version: the service worker the relay serves has changed.
	await appendFile(join(app, 'service-worker.js'), '\n// een nieuwe versie\n');
	await rm(join(app, 'service-worker.js.br'), { force: true });
	await rm(join(app, 'service-worker.js.gz'), { force: true });
	const second = await startRelay({ port: portOf(first), env: { NOABER_APP: app } });
	relays.push(second);
	await page.evaluate(() => ((window as unknown as { noaberBefore: boolean }).noaberBefore = true));
	await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
	const notice = page.getByTestId('update');
	await expect(notice).toContainText('Er is een nieuwe versie van Noaber. Nu bijwerken?');
	// Nothing changed under the person's hands: the same page, still open.
	expect(await page.evaluate(() => (window as unknown as { noaberBefore?: boolean }).noaberBefore)).toBe(true);

	// The page starts again with the new version, and says nothing more about it.
	await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Nu bijwerken', exact: true }).click()]);
	expect(await page.evaluate(() => (window as unknown as { noaberBefore?: boolean }).noaberBefore ?? false)).toBe(false);
	await expect(page.getByRole('heading', { name: 'Welkom bij Noaber', level: 1 })).toBeVisible();
	await expect(page.getByTestId('update')).toHaveCount(0);
	expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting)).toBeNull();
});

test("a very first visit whose network drops before the texts came says so in Dutch and English, and tries again", async ({ browser }) => {
	const relay = await startRelay({ env: { NOABER_APP: app } });
	relays.push(relay);
	const page = await device(browser);
	// The Dutch texts are the one script holding the welcome page's heading.
	let dropped = 0;
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		const response = await route.fetch();
		if ((await response.text()).includes('Welkom bij Noaber')) {
			dropped += 1;
			return route.abort('internetdisconnected');
		}
		return route.fulfill({ response });
	});
	await page.goto(relay.origin);
	await expect(page.getByRole('heading', { name: 'Noaber kon niet laden', level: 1 })).toBeVisible();
	await expect(page.getByText('Controleer uw internet en probeer het opnieuw.')).toBeVisible();
	await expect(page.getByText('Noaber could not load. Check your internet connection and try again.')).toBeVisible();
	expect(dropped).toBeGreaterThan(0);

	await page.unroute('**/_app/immutable/**/*.js');
	await page.getByRole('button', { name: 'Opnieuw proberen (Try again)', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Welkom bij Noaber', level: 1 })).toBeVisible();
});
