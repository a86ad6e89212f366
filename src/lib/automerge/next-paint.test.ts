// Documents open after the page painted, and a hidden page (no frames) does not hold them back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterNextPaint } from './next-paint.ts';

// A page whose frames come only when the test lets them.
const frames: (() => void)[] = [];

beforeEach(() => {
	vi.useFakeTimers();
	vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
});

afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
	frames.length = 0;
});

describe('waiting for the next paint', () => {
	it('waits for the frame, then for the task after it', async () => {
		let done = false;
		void afterNextPaint(10_000).then(() => (done = true));
		await vi.advanceTimersByTimeAsync(50);
		expect(done).toBe(false);
		frames.shift()!();
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(done).toBe(true);
	});

	it('goes on after a while on a page that paints no frames', async () => {
		let done = false;
		void afterNextPaint(100).then(() => (done = true));
		await vi.advanceTimersByTimeAsync(99);
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(done).toBe(true);
	});
});
