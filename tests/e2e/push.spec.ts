// Phone notifications in the browser (issue #13). This Chromium has no internet, so there is no
// real push service: a push is handed to the service worker through the DevTools protocol, and on
// the profile the browser's PushManager.subscribe is replaced by one that answers with a local
// endpoint (it stands in for the browser's push service, not for Noaber). The relay's notify
// handler is stood in for by a test route that checks every request against the contract.
import type { BrowserContext, Page } from '@playwright/test';
import * as v from 'valibot';
import webpush from 'web-push';
import { NotifyRequests, type NotifyAction } from '../../src/lib/notify/api.ts';
import { NEWS_KINDS } from '../../src/lib/news/item.ts';
import { askForHelp, createNeighbourhood, waitForOfflineReady } from './flows.ts';
import { expect, test, watchPolicy } from './policy.ts';
import { pushesTo, shownOn } from './pushed.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

async function deviceWithNotifications(browser: import('@playwright/test').Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext();
	await watchPolicy(context);
	await context.grantPermissions(['notifications'], { origin: relay.origin });
	return { context, page: await context.newPage() };
}

test('a push shows a notification with its title, and tapping it opens the post', async ({ browser }) => {
	const { context, page } = await deviceWithNotifications(browser);
	await createNeighbourhood(page, relay, 'Anna');
	await askForHelp(page, 'Boodschappen op donderdag');
	const postPath = new URL(page.url()).pathname;
	expect(postPath).toMatch(/^\/hulp\/[A-Za-z0-9_-]+$/);
	await waitForOfflineReady(page);
	await page.getByRole('link', { name: 'Start' }).click();
	await expect(page.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();

	const pushes = await pushesTo(page, relay.origin);
	const payload = { title: 'Bert wil helpen met uw boodschappen', body: 'Tik om zijn reactie te lezen.', path: postPath, tag: `help:${postPath.slice(6)}`, count: 1 };
	expect(await pushes.deliverUntilShown(JSON.stringify(payload))).toEqual([{ title: payload.title, body: payload.body, path: postPath }]);

	// Something that is not a Noaber push still says something kind, and opens nothing odd.
	await pushes.deliver('{"title":"http://evil.example"}');
	await expect.poll(async () => (await shownOn(page)).map((n) => n.title)).toContain('Er is iets nieuws in Noaber');

	// A tap: the worker's own notificationclick handler runs with the notification that is shown.
	const worker = context.serviceWorkers().find((w) => w.url().startsWith(relay.origin));
	expect(worker).toBeDefined();
	await worker!.evaluate(async (title) => {
		// The tests are typed for pages, not workers: the little of the worker's scope used here.
		const scope = self as unknown as {
			registration: ServiceWorkerRegistration;
			dispatchEvent: (event: Event) => boolean;
			NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
		};
		const notification = (await scope.registration.getNotifications()).find((n) => n.title === title);
		if (!notification) throw new Error('no notification to tap');
		scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification }));
	}, payload.title);
	await expect(page).toHaveURL(`${relay.origin}${postPath}`);
	await expect(page.getByRole('heading', { name: 'Boodschappen op donderdag', level: 1 })).toBeVisible();
	await expect.poll(async () => (await shownOn(page)).map((n) => n.title)).not.toContain(payload.title);
});

/** What reached the stand-in for the relay's notify handler. */
interface Received {
	action: NotifyAction;
	authorization: string | null;
	body: unknown;
}

test('on the profile, switching notifications on sends the chosen kinds; switching off and leaving forget them on both sides', async ({ browser }) => {
	const { context, page } = await deviceWithNotifications(browser);
	const vapid = webpush.generateVAPIDKeys();
	const received: Received[] = [];
	let held: unknown = null;
	await context.route(`${relay.origin}/api/notify/*`, async (route) => {
		const request = route.request();
		const action = new URL(request.url()).pathname.split('/').pop() as NotifyAction;
		const body: unknown = request.postDataJSON();
		received.push({ action, authorization: request.headers()['authorization'] ?? null, body });
		if (!(action in NotifyRequests) || !v.safeParse(NotifyRequests[action], body).success) return route.fulfill({ status: 400, json: { error: 'invalid' } });
		if (action === 'subscribe') held = (body as { choice: unknown }).choice;
		if (action === 'unsubscribe') held = null;
		const answers: Partial<Record<NotifyAction, unknown>> = { key: { publicKey: vapid.publicKey }, subscribe: {}, unsubscribe: {}, choices: { push: held, digest: null, mailAvailable: false } };
		return route.fulfill({ json: answers[action] ?? {} });
	});
	// The browser's push service, stood in for: a subscription whose endpoint is a local address.
	await context.addInitScript(() => {
		const STORE = 'test.push-subscription';
		const made = (key: ArrayBuffer) => ({
			endpoint: 'http://localhost:9/push-service/device-1',
			expirationTime: null,
			options: { applicationServerKey: key, userVisibleOnly: true },
			toJSON: () => ({ endpoint: 'http://localhost:9/push-service/device-1', expirationTime: null, keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } }),
			unsubscribe: async () => {
				localStorage.removeItem(STORE);
				return true;
			}
		});
		const keyOf = (key: BufferSource | string | null | undefined) => (key instanceof Uint8Array ? Array.from(key) : []);
		PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
			const key = keyOf(options?.applicationServerKey);
			localStorage.setItem(STORE, JSON.stringify(key));
			return made(new Uint8Array(key).buffer) as unknown as PushSubscription;
		};
		PushManager.prototype.getSubscription = async function () {
			const key = localStorage.getItem(STORE);
			return key ? (made(new Uint8Array(JSON.parse(key) as number[]).buffer) as unknown as PushSubscription) : null;
		};
	});

	await createNeighbourhood(page, relay, 'Anna');
	await waitForOfflineReady(page);
	await page.getByRole('link', { name: 'Mijn gegevens' }).click();
	const section = page.getByTestId('notifications');
	await expect(section.getByRole('heading', { name: 'Meldingen' })).toBeVisible();
	await expect(section.getByText('Meldingen staan uit op dit apparaat.')).toBeVisible();
	// Anna runs the neighbourhood: she may also hear who waits to be let in and what was reported.
	await expect(section.getByLabel('Iemand wacht tot ik hem of haar binnenlaat')).toBeChecked();
	await expect(section.getByLabel('Eén keer per week: nieuwe vragen om hulp waar ik bij kan helpen')).not.toBeChecked();
	await section.getByLabel('Iemand bedankt mij').uncheck();
	await section.getByRole('button', { name: 'Meldingen aanzetten op dit apparaat' }).click();
	await expect(section.getByText('Meldingen staan nu aan.')).toBeVisible();

	const subscribed = received.find((r) => r.action === 'subscribe');
	expect(subscribed?.authorization).toMatch(/^Bearer \S+$/);
	expect(subscribed?.body).toEqual({
		subscription: expect.objectContaining({ endpoint: 'http://localhost:9/push-service/device-1' }),
		choice: { kinds: NEWS_KINDS.filter((k) => k !== 'thanked'), weekly: false, language: 'nl' }
	});
	// The browser was subscribed with this relay's own key.
	const usedKey = await page.evaluate(() => localStorage.getItem('test.push-subscription'));
	expect(Buffer.from(JSON.parse(usedKey!) as number[]).toString('base64url')).toBe(vapid.publicKey);

	// After a reload the profile says what the relay and the browser hold.
	await page.reload();
	await expect(section.getByText('Meldingen staan aan op dit apparaat.')).toBeVisible();
	await expect(section.getByLabel('Iemand bedankt mij')).not.toBeChecked();

	await section.getByRole('button', { name: 'Meldingen uitzetten op dit apparaat' }).click();
	await expect(section.getByText('Meldingen staan nu uit.')).toBeVisible();
	expect(received.filter((r) => r.action === 'unsubscribe')).toHaveLength(1);
	expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription())).toBeNull();
	await expect(section.getByRole('button', { name: 'Meldingen aanzetten op dit apparaat' })).toBeVisible();

	// Leaving the neighbourhood stops its notifications first, on the relay and in the browser.
	await section.getByRole('button', { name: 'Meldingen aanzetten op dit apparaat' }).click();
	await expect(section.getByText('Meldingen staan nu aan.')).toBeVisible();
	await page.getByRole('button', { name: 'Stoppen met Lindenbuurt' }).click();
	await page.getByRole('button', { name: 'Ja, ik stop' }).click();
	await expect(page.getByTestId('undo')).toContainText('U doet niet meer mee met Lindenbuurt.');
	expect(received.filter((r) => r.action === 'unsubscribe')).toHaveLength(2);
	expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription())).toBeNull();
});
