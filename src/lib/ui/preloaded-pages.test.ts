import { describe, expect, it } from 'vitest';
import { preloadPages } from './preloaded-pages.ts';

describe("loading the home screen's pages ahead", () => {
	it('loads one page per idle moment, in the order given', async () => {
		const seen: string[] = [];
		const loaded = await preloadPages(
			['/agenda', '/hulp', '/kaart'],
			async (path) => void seen.push(path),
			async () => void seen.push('idle')
		);
		expect(seen).toEqual(['idle', '/agenda', 'idle', '/hulp', 'idle', '/kaart']);
		expect(loaded).toBe(3);
	});

	it('stops quietly at a page whose code cannot load', async () => {
		const seen: string[] = [];
		const loaded = await preloadPages(
			['/agenda', '/hulp', '/kaart'],
			async (path) => {
				if (path === '/hulp') throw new Error('offline');
				seen.push(path);
			},
			async () => undefined
		);
		expect(seen).toEqual(['/agenda']);
		expect(loaded).toBe(1);
	});

	it('loads no further page once stopped', async () => {
		const seen: string[] = [];
		const stop = new AbortController();
		const loaded = await preloadPages(
			['/agenda', '/hulp', '/kaart'],
			async (path) => {
				seen.push(path);
				if (path === '/hulp') stop.abort();
			},
			async () => undefined,
			stop.signal
		);
		expect(seen).toEqual(['/agenda', '/hulp']);
		expect(loaded).toBe(2);
	});
});
