import { describe, expect, it } from 'vitest';
import { sampleAgenda, warmReading } from './warm-reading.ts';

// The warm-up is worth its time only when the samples take the paths real documents take: a sample
// the readers refused would compile the refusal, not the reading.
describe('reading samples while the resident types a name', () => {
	it('reads the sample root as a neighbourhood with nothing to repair', () => {
		const read = warmReading().root();
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.problems).toEqual([]);
		expect(read.neighbourhood.name).toBe('Voorbeeldbuurt');
		expect(read.neighbourhood.docs.agenda).toHaveLength(1);
	});

	it('reads the sample agenda as one weekly activity with a time this week', () => {
		const now = new Date('2026-12-05T09:00:00Z');
		const read = warmReading(now).agenda();
		expect(read.skipped).toBe(0);
		expect(read.items.map((e) => e.title)).toEqual(['Koffieochtend']);
		expect(Object.keys(read.seriesWeek?.occurrences ?? {})).toEqual([read.items[0]!.id]);
	});

	it('makes a new sample each time, and the date formats without failing', () => {
		expect(sampleAgenda()).not.toBe(sampleAgenda());
		expect(() => warmReading().dates()).not.toThrow();
	});
});
