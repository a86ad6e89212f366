import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEraseTimer } from './erase-timer.ts';
import type { Logger } from './log.ts';

const DAY = 24 * 60 * 60 * 1000;

function logger() {
	const lines: Array<{ level: string; msg: string }> = [];
	const log = {
		info: (_o: unknown, msg: string) => lines.push({ level: 'info', msg }),
		error: (_o: unknown, msg: string) => lines.push({ level: 'error', msg })
	} as unknown as Logger;
	return { log, lines };
}

describe('the daily round that erases members who left', () => {
	afterEach(() => vi.useRealTimers());

	it('runs an hour after start and then every day; a failed round is logged and the next one still comes', async () => {
		vi.useFakeTimers();
		const { log, lines } = logger();
		let rounds = 0;
		const timer = startEraseTimer(
			{
				sweep: async () => {
					rounds += 1;
					if (rounds === 2) throw new Error('disk');
					return 1;
				}
			},
			log
		);
		await vi.advanceTimersByTimeAsync(59 * 60 * 1000);
		expect(rounds).toBe(0);
		await vi.advanceTimersByTimeAsync(60 * 1000);
		expect(rounds).toBe(1);
		await vi.advanceTimersByTimeAsync(DAY);
		expect(rounds).toBe(2);
		expect(lines.map((l) => l.level)).toEqual(['info', 'error']);
		await vi.advanceTimersByTimeAsync(DAY);
		expect(rounds).toBe(3);
		timer.stop();
		await vi.advanceTimersByTimeAsync(3 * DAY);
		expect(rounds).toBe(3);
	});
});
