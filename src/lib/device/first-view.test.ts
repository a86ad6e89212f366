import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterFirstView, neededFirst } from './first-view.ts';

describe('the first view before the rest of the app', () => {
	afterEach(() => vi.useRealTimers());

	it('does not wait when the page asked for nothing', async () => {
		let done = false;
		await afterFirstView().then(() => (done = true));
		expect(done).toBe(true);
	});

	it('lets the rest wait until what the first view needs has come', async () => {
		let arrive!: (value: string) => void;
		const screen = neededFirst(new Promise<string>((resolve) => (arrive = resolve)));
		const order: string[] = [];
		const rest = afterFirstView().then(() => order.push('rest'));
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(order).toEqual([]);
		arrive('screen');
		order.push(await screen);
		await rest;
		expect(order).toEqual(['screen', 'rest']);
	});

	// Last: the part that never comes stays asked for.
	it('does not wait for a part that failed, nor for one that is long in coming', async () => {
		await neededFirst(Promise.reject(new Error('offline'))).catch(() => undefined);
		await afterFirstView();

		vi.useFakeTimers();
		neededFirst(new Promise(() => undefined));
		let done = false;
		const rest = afterFirstView(2000).then(() => (done = true));
		await vi.advanceTimersByTimeAsync(1999);
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		await rest;
		expect(done).toBe(true);
	});
});
