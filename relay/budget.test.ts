import { describe, expect, it } from 'vitest';
import { Bucket, DEFAULT_BUDGET_LIMITS, FairShare, FairSharing, type BudgetEvent, type BudgetLimits } from './budget.ts';

/** A clock and a timer that move only when the test says so. */
function manualTime() {
	let now = 0;
	let pending: Array<{ at: number; run: () => void }> = [];
	return {
		now: () => now,
		schedule: (run: () => void, ms: number) => void pending.push({ at: now + ms, run }),
		/** Moves the clock forward, running every timer that falls due on the way. */
		advance(ms: number) {
			const end = now + ms;
			for (;;) {
				pending.sort((a, b) => a.at - b.at);
				const next = pending[0];
				if (!next || next.at > end) break;
				pending = pending.slice(1);
				now = Math.max(now, next.at);
				next.run();
			}
			now = end;
		},
		get timers() {
			return pending.length;
		}
	};
}

const limits = (overrides: Partial<BudgetLimits> = {}): BudgetLimits => ({ ...DEFAULT_BUDGET_LIMITS, ...overrides });
const frame = (n: number, size = 10) => new Uint8Array(size).fill(n % 256);

function setup(overrides: Partial<BudgetLimits> = {}) {
	const time = manualTime();
	const events: BudgetEvent[] = [];
	const sharing = new FairSharing(limits(overrides), { now: time.now, schedule: time.schedule, report: (e) => events.push(e) });
	const released = new Map<string, number[]>();
	const open = (neighbourhood: string, who: string) =>
		sharing.open(neighbourhood, who, (bytes) => {
			released.set(who, [...(released.get(who) ?? []), bytes[0]]);
		});
	return { time, events, sharing, released, open };
}

describe('a token bucket', () => {
	it('refills with time up to its capacity, and never loses tokens when the clock steps back', () => {
		const bucket = new Bucket(0, 1000);
		expect(bucket.refill(1500, 10, 100)).toBe(5);
		expect(bucket.refill(1000, 10, 100)).toBe(5);
		expect(bucket.refill(100_000, 10, 100)).toBe(100);
		bucket.tokens = 0;
		expect(bucket.waitMs(3, 10)).toBe(300);
	});
});

describe('a fair share', () => {
	/** A share as a neighbourhood holds it: it counts who is present, and each member keeps its own part. */
	function members(names: string[], now = 0) {
		const present = new Set(names);
		const share = new FairShare(100, 100, now, () => present.size);
		const of: Record<string, Bucket> = Object.fromEntries(names.map((who) => [who, share.fullShare(now)]));
		return { share, of, present };
	}

	it('keeps an assured share for a quiet member however much others spend', () => {
		const { share, of } = members(['flooder-1', 'flooder-2', 'flooder-3', 'quiet']);
		let flooded = 0;
		for (let t = 0; t <= 10_000; t += 10) {
			for (const who of ['flooder-1', 'flooder-2', 'flooder-3']) while (share.take(of[who]!, 1, t)) flooded += 1;
		}
		// Three flooders took no more than the pool over ten seconds, plus its first burst and the
		// first bursts of the members' shares.
		expect(flooded).toBeLessThanOrEqual(100 * 10 + 100 + 4 * 25);
		// The quiet member's quarter is untouched.
		expect(share.take(of.quiet!, 1, 10_000)).toBe(true);
		let quiet = 1;
		while (share.take(of.quiet!, 1, 10_000)) quiet += 1;
		expect(quiet).toBeGreaterThanOrEqual(25);
	});

	it('lends unused capacity to a member alone in a quiet neighbourhood', () => {
		const { share, of } = members(Array.from({ length: 10 }, (_, i) => `member-${i}`));
		let taken = 0;
		while (share.take(of['member-0']!, 1, 0)) taken += 1;
		// Its own tenth and what the pool had left.
		expect(taken).toBeGreaterThan(50);
	});

	it('lets a member of a crowded neighbourhood send a message that costs more than its share of the burst', () => {
		const { share, of } = members(Array.from({ length: 200 }, (_, i) => `member-${i}`));
		while (share.take(of['member-1']!, 1, 0)) {
			// the pool runs dry
		}
		// Its share holds one such message, however small a two-hundredth of the burst is.
		expect(share.take(of['member-0']!, 50, 0)).toBe(true);
		expect(share.take(of['member-0']!, 50, 0)).toBe(false);
		expect(share.waitMs(of['member-0']!, 50, 0)).toBeGreaterThan(0);
		expect(share.take(of['member-0']!, 50, 100_000)).toBe(true);
	});

	it('counts the members that are there: one who left leaves a larger share to the others', () => {
		const { share, of, present } = members(['anna', 'bert', 'cor', 'dirk']);
		for (const who of ['anna', 'bert', 'cor', 'dirk']) while (share.take(of[who]!, 1, 0)) {
			// everyone spends what they have, and the pool with it
		}
		present.delete('cor');
		present.delete('dirk');
		// A second later the pool has 100 again, and each of the two left has half of that assured.
		let anna = 0;
		while (share.take(of.anna!, 1, 1000) && anna < 1000) anna += 1;
		expect(anna).toBeGreaterThanOrEqual(50);
	});
});

describe('presence over budget', () => {
	it('is dropped, never closes the connection, and is reported once', () => {
		const { sharing, events, open } = setup({ presencePerSecond: 10, presenceBurst: 5 });
		const lane = open('linden', 'peer-a');
		open('linden', 'peer-b');
		const verdicts = Array.from({ length: 20 }, (_, i) => lane.offer('presence', frame(i)));
		expect(verdicts.filter((v) => v === 'deliver')).toHaveLength(5);
		expect(verdicts.filter((v) => v === 'dropped')).toHaveLength(15);
		expect(verdicts).not.toContain('overflow');
		expect(events).toEqual([{ neighbourhood: 'linden', who: 'peer-a', kind: 'dropping' }]);
		expect(sharing.census('linden').queued).toBe(0);
	});

	it('costs one delivery per other connection, so fifty flooders share one fan-out budget', () => {
		const { time, open } = setup({ fanOutPerSecond: 1000, fanOutBurst: 1000 });
		const flooders = Array.from({ length: 50 }, (_, i) => open('linden', `flooder-${i}`));
		const honest = open('linden', 'honest');
		let delivered = 0;
		for (let ms = 0; ms < 10_000; ms += 10) {
			time.advance(10);
			for (const lane of flooders) if (lane.offer('presence', frame(0)) === 'deliver') delivered += 1;
		}
		// 50 others receive each message: 1,000 deliveries a second is 20 messages a second in all,
		// plus the first bursts (the pool's, and each member's share of at least one message).
		expect(delivered * 50).toBeLessThanOrEqual(1000 * 10 + 1000 + 51 * 50);
		expect(delivered * 50).toBeGreaterThanOrEqual(1000 * 10 * 0.9);
		// The honest member's presence still goes through.
		expect(honest.offer('presence', frame(1))).toBe('deliver');
	});

	it('in one neighbourhood leaves another neighbourhood’s budget alone', () => {
		const { open } = setup({ fanOutPerSecond: 10, fanOutBurst: 10, presenceBurst: 1000 });
		const flooder = open('linden', 'flooder');
		open('linden', 'listener');
		while (flooder.offer('presence', frame(0)) === 'deliver') {
			// spend it all
		}
		const neighbour = open('beuken', 'neighbour');
		open('beuken', 'other');
		expect(neighbour.offer('presence', frame(0))).toBe('deliver');
	});
});

describe('paced messages', () => {
	it('wait in order and are all released at the allowed rate', () => {
		const { time, released, open, events } = setup({ messagesPerSecond: 100, burst: 10 });
		const lane = open('linden', 'reader');
		const verdicts = Array.from({ length: 310 }, (_, i) => lane.offer('paced', frame(i)));
		expect(verdicts.slice(0, 10).every((v) => v === 'deliver')).toBe(true);
		expect(verdicts.slice(10).every((v) => v === 'queued')).toBe(true);
		expect(events).toEqual([{ neighbourhood: 'linden', who: 'reader', kind: 'pacing' }]);
		// A message arriving behind queued ones waits too, even when a token is free.
		time.advance(1000);
		expect(released.get('reader')?.length).toBeGreaterThan(80);
		expect(released.get('reader')?.length).toBeLessThanOrEqual(101);
		time.advance(2100);
		expect(released.get('reader')).toEqual(Array.from({ length: 300 }, (_, i) => (i + 10) % 256));
		expect(time.timers).toBe(0);
	});

	it('keep a later message behind earlier queued ones', () => {
		const { time, released, open } = setup({ messagesPerSecond: 10, burst: 1 });
		const lane = open('linden', 'reader');
		expect(lane.offer('paced', frame(1))).toBe('deliver');
		expect(lane.offer('paced', frame(2))).toBe('queued');
		time.advance(50);
		expect(lane.offer('paced', frame(3))).toBe('queued');
		time.advance(500);
		expect(released.get('reader')).toEqual([2, 3]);
	});

	it('overflow only when the queue grows absurdly, by count or by bytes', () => {
		const { open } = setup({ messagesPerSecond: 1, burst: 1, maxQueuedMessages: 5, maxQueuedBytes: 1000 });
		const byCount = open('linden', 'a');
		const verdicts = Array.from({ length: 7 }, (_, i) => byCount.offer('paced', frame(i)));
		expect(verdicts).toEqual(['deliver', 'queued', 'queued', 'queued', 'queued', 'queued', 'overflow']);
		const byBytes = open('linden', 'b');
		expect(byBytes.offer('paced', frame(0, 10))).toBe('deliver');
		expect(byBytes.offer('paced', frame(1, 600))).toBe('queued');
		expect(byBytes.offer('paced', frame(2, 600))).toBe('overflow');
	});

	it('from a member with thousands of requests leave others in the neighbourhood their share', () => {
		const { time, released, open } = setup({ messagesPerSecond: 1000, burst: 100, neighbourhoodMessagesPerSecond: 100, neighbourhoodBurst: 100 });
		const busy = open('linden', 'busy');
		const quiet = open('linden', 'quiet');
		let passed = 0;
		for (let i = 0; i < 3000; i++) if (busy.offer('paced', frame(i)) === 'deliver') passed += 1;
		time.advance(5000);
		// The busy member is paced by the neighbourhood's budget; the quiet one is not stuck behind it.
		expect(quiet.offer('paced', frame(7))).toBe('deliver');
		const busyReleased = released.get('busy')?.length ?? 0;
		expect(busyReleased).toBeGreaterThan(300);
		expect(busyReleased).toBeLessThan(1000);
		time.advance(60_000);
		expect(released.get('busy')).toHaveLength(3000 - passed);
	});

	it('of one connection pass at most a batch per turn, however many tokens it saved up', () => {
		const { time, released, open } = setup({ messagesPerSecond: 1000, burst: 2000, neighbourhoodMessagesPerSecond: 10_000, neighbourhoodBurst: 10_000 });
		const asking = open('linden', 'asking');
		const other = open('linden', 'other');
		const verdicts = Array.from({ length: 500 }, (_, i) => asking.offer('paced', frame(i)));
		const passed = verdicts.filter((v) => v === 'deliver').length;
		expect(passed).toBeGreaterThan(0);
		expect(passed).toBeLessThanOrEqual(64);
		expect(verdicts.slice(passed).every((v) => v === 'queued')).toBe(true);
		// Another connection has its own batch in the same turn.
		expect(other.offer('paced', frame(1))).toBe('deliver');
		// The next turns hand on the rest, in order, without waiting for tokens (the burst covers them).
		time.advance(0);
		time.advance(0);
		expect(released.get('asking')?.length ?? 0).toBeGreaterThan(0);
		for (let turn = 0; turn < 20; turn++) time.advance(0);
		expect(released.get('asking')).toEqual(Array.from({ length: 500 - passed }, (_, i) => (passed + i) % 256));
		// A new turn starts a new batch.
		expect(asking.offer('paced', frame(9))).toBe('deliver');
	});

	it('are released round robin between connections', () => {
		const { time, released, open } = setup({ messagesPerSecond: 1000, burst: 1, neighbourhoodMessagesPerSecond: 20, neighbourhoodBurst: 2 });
		const a = open('linden', 'a');
		const b = open('linden', 'b');
		for (let i = 0; i < 100; i++) a.offer('paced', frame(i));
		for (let i = 0; i < 10; i++) b.offer('paced', frame(i));
		time.advance(1000);
		const fromA = released.get('a')?.length ?? 0;
		const fromB = released.get('b')?.length ?? 0;
		expect(fromB).toBeGreaterThanOrEqual(8);
		expect(Math.abs(fromA - fromB)).toBeLessThanOrEqual(3);
	});

	it('of a closed connection are forgotten, and a neighbourhood nobody uses leaves no state', () => {
		const { time, released, open, sharing } = setup({ messagesPerSecond: 10, burst: 1 });
		const lane = open('linden', 'leaver');
		for (let i = 0; i < 50; i++) lane.offer('paced', frame(i));
		expect(sharing.census('linden')).toEqual({ members: 1, connections: 1, queued: 49 });
		lane.close();
		time.advance(10_000);
		expect(released.get('leaver')).toBeUndefined();
		expect(sharing.census('linden')).toEqual({ members: 0, connections: 0, queued: 0 });
		expect(lane.offer('paced', frame(1))).toBe('dropped');
	});

	it('keep their queue when the connection says who it is', () => {
		const { time, released, open, sharing } = setup({ messagesPerSecond: 10, burst: 1 });
		const lane = sharing.open('linden', 'connection-1', (bytes) => released.set('x', [...(released.get('x') ?? []), bytes[0]]));
		open('linden', 'peer-a');
		for (let i = 0; i < 5; i++) lane.offer('paced', frame(i));
		lane.identify('peer-b');
		expect(sharing.census('linden')).toEqual({ members: 2, connections: 2, queued: 4 });
		time.advance(1000);
		expect(released.get('x')).toEqual([1, 2, 3, 4]);
	});
});
