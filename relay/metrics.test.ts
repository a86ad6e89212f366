// The sync round trips an operator reads on /metrics, on a clock the test turns.
import { describe, expect, it } from 'vitest';
import { RoundTrips } from './metrics.ts';

function timed() {
	let now = 0;
	const seen: number[] = [];
	const trips = new RoundTrips((seconds) => seen.push(seconds), () => now);
	return { trips, seen, pass: (ms: number) => (now += ms) };
}

describe('sync round trips', () => {
	it('times a device’s message until the relay’s next one to it about the same document', () => {
		const { trips, seen, pass } = timed();
		trips.received('peer-a', 'doc-1');
		pass(40);
		// Another device, another document: not this round trip's answer.
		trips.sent('peer-b', 'doc-1');
		trips.sent('peer-a', 'doc-2');
		pass(10);
		trips.sent('peer-a', 'doc-1');
		expect(seen).toEqual([0.05]);
		// Answered once: a second message to it is no second round trip.
		trips.sent('peer-a', 'doc-1');
		expect(seen).toHaveLength(1);
		expect(trips.waiting).toBe(0);
	});

	it('forgets messages the relay had no answer for (a device in sync), after half a minute to a minute', () => {
		const { trips, seen, pass } = timed();
		for (let i = 0; i < 200; i++) trips.received(`peer-${i}`, 'doc-1');
		expect(trips.waiting).toBe(200);
		pass(29_000);
		trips.age();
		expect(trips.waiting).toBe(200);
		pass(2_000);
		trips.age();
		// Still there once aged: a slow answer within the minute counts.
		trips.sent('peer-7', 'doc-1');
		expect(seen).toEqual([31]);
		pass(30_000);
		trips.age();
		expect(trips.waiting).toBe(0);
		trips.sent('peer-8', 'doc-1');
		expect(seen).toHaveLength(1);
	});

	it('a relay silent for long forgets at its next message', () => {
		const { trips, pass } = timed();
		trips.received('peer-a', 'doc-1');
		pass(600_000);
		trips.received('peer-b', 'doc-1');
		expect(trips.waiting).toBe(1);
	});

	it('times no more than ten thousand messages at once', () => {
		const { trips } = timed();
		for (let i = 0; i < 10_050; i++) trips.received(`peer-${i}`, 'doc-1');
		expect(trips.waiting).toBe(10_000);
	});
});
