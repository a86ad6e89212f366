// The cheap phone of issue #17, as DevTools makes one: the CPU slowed 4× and "Slow 4G" (562.5 ms
// round trip, 1.47 Mbit/s down, 675 kbit/s up: Lighthouse's mobile profile as DevTools applies it).
// Set per page: a new tab is a fast phone again until it is slowed too. The network profile slows
// the page's own requests; what its service worker fetches goes at full speed (seen in
// bench/member-device.ts: files the worker served arrived in milliseconds).
import type { BrowserContext, Page } from '@playwright/test';

export const SLOW_4G = { latency: 562.5, downloadThroughput: (1.4745 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

export async function asCheapPhone(context: BrowserContext, page: Page, { network = true } = {}): Promise<void> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
	if (!network) return;
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
}
