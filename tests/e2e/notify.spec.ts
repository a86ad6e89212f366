// End to end, issue #13: Anna asks for help on her phone, Bert responds on his, and Anna's phone
// gets a notification within seconds. The relay is the real one; the push service is a stand-in on
// this machine (there is no internet here) that decrypts what the relay sends, as a phone would,
// and hands it to Anna's service worker through the DevTools protocol. Its https certificate is
// made for the test and trusted by the relay only (NODE_EXTRA_CA_CERTS).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { startPushService, type StandIn } from '../relay/push-service.ts';
import { createNeighbourhood, joinAs, askForHelp, openPost, waitForOfflineReady, device } from './flows.ts';
import { expect, test, watchPolicy } from './policy.ts';
import { pushesTo } from './pushed.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;
let service: StandIn;

test.beforeEach(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'noaber-push-tls-'));
	const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
	execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
	service = await startPushService({ tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } });
	// Quiet hours off: this walk must not wait for the morning when the suite runs at night.
	relay = await startRelay({ env: { NODE_EXTRA_CA_CERTS: cert, NOABER_QUIET_HOURS: 'off' } });
});

test.afterEach(async () => {
	await relay.stop();
	await service.close();
});

/** A phone whose browser subscribes at the stand-in push service, with keys the stand-in holds. */
async function phone(browser: Browser): Promise<{ page: Page; subscription: string }> {
	const context = await browser.newContext();
	await watchPolicy(context);
	await context.grantPermissions(['notifications'], { origin: relay.origin });
	const { id, ...subscription } = service.subscribe();
	await context.addInitScript((held) => {
		const made = () => ({ ...held, options: { userVisibleOnly: true }, toJSON: () => held, unsubscribe: async () => true });
		let subscribed = false;
		PushManager.prototype.subscribe = async function () {
			subscribed = true;
			return made() as unknown as PushSubscription;
		};
		PushManager.prototype.getSubscription = async function () {
			return subscribed ? (made() as unknown as PushSubscription) : null;
		};
	}, subscription);
	return { page: await context.newPage(), subscription: id };
}

test("Bert responds to Anna's request, and Anna's phone tells her within seconds; tapping it opens her post", async ({ browser }) => {
	const { page: anna, subscription } = await phone(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert', ['Boodschappen']);

	await waitForOfflineReady(anna);
	await anna.getByRole('link', { name: 'Mijn gegevens' }).click();
	const section = anna.getByTestId('notifications');
	await section.getByRole('button', { name: 'Meldingen aanzetten op dit apparaat' }).click();
	await expect(section.getByText('Meldingen staan nu aan.')).toBeVisible();

	await askForHelp(anna, 'Boodschappen op donderdag');
	const postPath = new URL(anna.url()).pathname;
	await anna.getByRole('link', { name: 'Start' }).click();

	await openPost(bert, 'Boodschappen op donderdag');
	await bert.getByLabel('Bericht').fill('Ik ga toch naar de Jumbo, bel 06-12345678.');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('Uw reactie is verstuurd.')).toBeVisible();
	const responded = Date.now();

	await expect.poll(() => service.received.length, { timeout: 5000 }).toBe(1);
	const push = service.received[0]!;
	expect(push.at - responded).toBeLessThan(5000);
	expect(push.id).toBe(subscription);
	expect(push.payload).toMatchObject({ title: 'Lindenbuurt', body: 'Bert wil helpen met uw boodschappen', path: postPath });
	expect(push.text).not.toContain('Jumbo');
	expect(push.text).not.toContain('06-12345678');

	// The phone shows it: the decrypted push goes to Anna's service worker as her push service would.
	const pushes = await pushesTo(anna, relay.origin);
	expect((await pushes.deliverUntilShown(push.text)).map((n) => `${n.title}: ${n.body}`)).toEqual(['Lindenbuurt: Bert wil helpen met uw boodschappen']);

	// Tapping it runs the worker's own handler and opens the post.
	const worker = anna.context().serviceWorkers().find((w) => w.url().startsWith(relay.origin));
	await worker!.evaluate(async () => {
		const scope = self as unknown as {
			registration: ServiceWorkerRegistration;
			dispatchEvent: (event: Event) => boolean;
			NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
		};
		const [notification] = await scope.registration.getNotifications();
		scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification! }));
	});
	await expect(anna).toHaveURL(`${relay.origin}${postPath}`);
	await expect(anna.getByTestId('responses')).toContainText('Bert: Ik ga toch naar de Jumbo');
});
