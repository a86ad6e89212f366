// Handing a push to a page's service worker, as the phone's push service would. This Chromium has
// no push service, so the DevTools protocol delivers it. DevTools drops a push that reaches a worker
// still starting (seen on a busy machine), where a real push service would try again: so it is
// handed over again while nothing shows. Noaber's pushes carry a tag, so a second one replaces the
// first and one notification shows either way.
import type { Page } from '@playwright/test';
import { expect } from './policy.ts';

export interface Shown {
	title: string;
	body: string;
	path: string | undefined;
}

/** The notifications the page's service worker shows now. */
export const shownOn = (page: Page): Promise<Shown[]> =>
	page.evaluate(async () =>
		(await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, path: (n.data as { path?: string } | null)?.path }))
	);

/** Delivers pushes to the service worker of `origin` on this page's device. */
export async function pushesTo(page: Page, origin: string) {
	const cdp = await page.context().newCDPSession(page);
	const registrationId = new Promise<string>((resolve) => {
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const ours = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
			if (ours) resolve(ours.registrationId);
		});
	});
	await cdp.send('ServiceWorker.enable');
	const deliver = async (data: string) => {
		await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: await registrationId, data });
	};
	return {
		/** Once: for a push that must show beside what shows already. */
		deliver,
		/** Until the device shows a notification; resolves with what it shows. */
		async deliverUntilShown(data: string): Promise<Shown[]> {
			let shown: Shown[] = [];
			await expect
				.poll(async () => {
					shown = await shownOn(page);
					if (shown.length === 0) await deliver(data);
					return shown.length;
				})
				.toBeGreaterThan(0);
			return shown;
		}
	};
}
