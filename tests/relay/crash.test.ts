// Durable before shared (#10): a change the relay passed on to one resident survives a kill -9 of
// the relay, in 20 rounds while two residents write without pause.
import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-rounds.ts';

describe('the relay killed with -9 while two residents write', () => {
	it('still has, after each restart, every entry one resident had already received from the other', async () => {
		const result = await runCrashRounds({ checkout: process.cwd(), rounds: 20, crossed: 5, writeMs: [0, 300] });
		// The experiment really ran: entries crossed from one resident to the other in every round.
		expect(result.acknowledged).toBeGreaterThan(20 * 10);
		expect(result.examples).toEqual([]);
		expect(result.lost).toBe(0);
	}, 120_000);
});
