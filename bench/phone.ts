// The cheap phone of issue #17, as DevTools makes one: the CPU slowed 4× and "Slow 4G" (562.5 ms
// round trip, 1.47 Mbit/s down, 675 kbit/s up: Lighthouse's mobile profile as DevTools applies it).
// Set per page: a new tab is a fast phone again until it is slowed too. The network profile slows
// the page's own requests; what its service worker fetches goes at full speed (seen in
// bench/member-device.ts: files the worker served arrived in milliseconds). It does not delay
// websocket frames (in a trace of the join, a small frame's round trip took 30 ms beside 590 ms
// for a fetch), so the page's websockets run through a line of the same speed here (`slowSockets`).
import type { BrowserContext, Page } from '@playwright/test';

export const SLOW_4G = { latency: 562.5, downloadThroughput: (1.4745 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

export async function asCheapPhone(context: BrowserContext, page: Page, { network = true } = {}): Promise<void> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
	if (!network) return;
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
	await slowSockets(page);
}

/**
 * One direction of the line: a frame leaves once the frames before it have (bytes / throughput),
 * and arrives half a round trip later. Later frames never overtake earlier ones.
 */
class SlowLine {
	#free = 0;
	constructor(
		readonly bytesPerSecond: number,
		readonly delayMs: number
	) {}

	carry(bytes: number, deliver: () => void): void {
		const now = performance.now();
		this.#free = Math.max(now, this.#free) + (bytes / this.bytesPerSecond) * 1000;
		setTimeout(deliver, this.#free + this.delayMs - now);
	}
}

const sizeOf = (message: string | Buffer) => (typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength);

/** The page's websockets (the relay's /sync) on Slow 4G: each frame slowed as the profile slows a fetch. */
async function slowSockets(page: Page): Promise<void> {
	await page.routeWebSocket(/./, (socket) => {
		const server = socket.connectToServer();
		const up = new SlowLine(SLOW_4G.uploadThroughput, SLOW_4G.latency / 2);
		const down = new SlowLine(SLOW_4G.downloadThroughput, SLOW_4G.latency / 2);
		socket.onMessage((message) => up.carry(sizeOf(message), () => server.send(message)));
		server.onMessage((message) => down.carry(sizeOf(message), () => socket.send(message)));
	});
}
