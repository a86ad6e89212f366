import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageAnswer, PAGE_WAIT_MS } from './page-answer.ts';

const page = (text: string) => new Response(text);
const later = <T>() => {
	let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
	const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
	return { promise, ...settle };
};

describe('a page load on a weak network', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it("shows the network's page when it comes within three seconds", async () => {
		const network = later<Response>();
		const answer = pageAnswer(network.promise, async () => page('kopie'));
		await vi.advanceTimersByTimeAsync(PAGE_WAIT_MS - 100);
		network.resolve(page('nieuw'));
		expect(await (await answer).text()).toBe('nieuw');
	});

	it("shows the device's copy once the network has been silent for three seconds", async () => {
		const network = later<Response>();
		const answer = pageAnswer(network.promise, async () => page('kopie'));
		let done = false;
		void answer.then(() => (done = true));
		await vi.advanceTimersByTimeAsync(PAGE_WAIT_MS - 1);
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(await (await answer).text()).toBe('kopie');
	});

	it('shows the copy at once when there is no network, and waits for the network when there is no copy', async () => {
		expect(await (await pageAnswer(Promise.reject(new TypeError('offline')), async () => page('kopie'))).text()).toBe('kopie');
		const network = later<Response>();
		const answer = pageAnswer(network.promise, async () => undefined);
		await vi.advanceTimersByTimeAsync(PAGE_WAIT_MS * 4);
		network.resolve(page('eerste keer'));
		expect(await (await answer).text()).toBe('eerste keer');
		const nothing = await pageAnswer(Promise.reject(new TypeError('offline')), async () => undefined);
		expect(nothing.type).toBe('error');
	});
});
