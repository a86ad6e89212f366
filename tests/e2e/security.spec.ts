// The relay's security headers keep the whole app working in a real browser: the inline bootstrap,
// the Automerge wasm, the service worker, the QR code and the map's tiles from the tile server the
// manager chose. The policy guard in ./policy.ts fails the test on any blocked load.
import { expect, test } from './policy.ts';
import { createNeighbourhood, device, waitForOfflineReady } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

// A 1×1 transparent PNG: the tile server stand-in (this machine has no internet).
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test('the app runs under its Content-Security-Policy: setup, QR code, offline worker and map tiles', async ({ browser }) => {
	const fatima = await device(browser, { goesOffline: true });
	let tiles = 0;
	await fatima.context().route('https://tiles.noaber.test/**', (route) => {
		tiles += 1;
		return route.fulfill({ status: 200, contentType: 'image/png', body: TILE });
	});
	const first = await fatima.goto(`${relay.origin}/uitleg`);
	const headers = first!.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('strict-origin');

	await createNeighbourhood(fatima, relay, 'Fatima');
	await expect(fatima.getByRole('img', { name: /Richt de camera/ })).toBeVisible();
	await waitForOfflineReady(fatima);

	await fatima.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Sociale kaart' }).click();
	await fatima.getByRole('link', { name: 'Kaart instellen' }).click();
	await fatima.getByLabel('Adres van de kaartserver').fill('https://tiles.noaber.test/{z}/{x}/{y}.png');
	await fatima.getByLabel('breedtegraad').fill('52.09');
	await fatima.getByLabel('lengtegraad').fill('5.12');
	await fatima.getByRole('button', { name: 'Bewaren' }).click();
	await expect(fatima.getByText('Bewaard.')).toBeVisible();
	await fatima.getByRole('link', { name: 'Terug naar de sociale kaart' }).click();
	await fatima.getByLabel('Kaart', { exact: true }).check();
	await expect(fatima.locator('img.leaflet-tile-loaded').first()).toBeVisible();
	expect(tiles).toBeGreaterThan(0);
	await expect(fatima.getByTestId('map-fallback')).toHaveCount(0);

	// Offline, the service worker serves the shell it cached, with the headers (and so the inline
	// script hashes) it was stored with: the app still starts.
	await fatima.context().setOffline(true);
	await fatima.reload();
	await expect(fatima.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(fatima.getByRole('navigation', { name: 'Noaber', exact: true })).toBeVisible();
	await fatima.context().setOffline(false);
});

test('no page, not even one of its own, can show the app in a frame', async ({ browser }) => {
	const page = await device(browser);
	// A page without the relay's headers, as another site would serve it.
	await page.context().route(`${relay.origin}/elders.html`, (route) =>
		route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><title>elders</title><iframe src="${relay.origin}/uitleg"></iframe>` })
	);
	const framed = page.waitForResponse(`${relay.origin}/uitleg`);
	await page.goto(`${relay.origin}/elders.html`);
	await framed;
	// Chromium shows its own error page in place of the app.
	await expect.poll(() => page.frames().find((f) => f !== page.mainFrame())?.url()).toBe('chrome-error://chromewebdata/');
	await expect(page.frameLocator('iframe').getByRole('link', { name: 'Noaber' })).toHaveCount(0);
});
