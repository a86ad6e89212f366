// Durable before shared (#10): a change the relay passed on to one resident survives a kill -9 of
// the relay, in 20 rounds while two residents write without pause.
import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-rounds.ts';

describe('the relay killed with -9 while two residents write', () => {
	it('still has, after each restart, every entry one resident had already received from the other', async () => {
		// About 60 s on a quiet 2-core machine, most of it 21 starts of the relay (tsx); 200 s at a load of
		// 16 on 2 cores, hence the timeout.
		const result = await runCrashRounds({ checkout: process.cwd(), rounds: 20, crossed: 3, everyMs: 10, writeMs: [0, 250] });
		// The experiment really ran: entries crossed from one resident to the other in every round.
		expect(result.acknowledged).toBeGreaterThanOrEqual(20 * 3 * 2);
		expect(result.examples).toEqual([]);
		expect(result.lost).toBe(0);
	}, 400_000);
});
