import { describe, expect, it } from 'vitest';
import type { AgendaEvent } from '../agenda/view.ts';
import type { Post } from '../help/view.ts';
import type { Service } from '../map/view.ts';
import type { Member } from '../members/schema.ts';
import { monthlyFigures, monthOf, type FigureSources } from './monthly.ts';
import { figureRows, shown } from './shown.ts';
import { together } from './sources.ts';

// Only the fields the figures read; the rest of each view does not matter here.
const member = (id: string, joinedAt: string, leftAt?: string) => ({ id, joinedAt, ...(leftAt ? { leftAt } : {}) }) as unknown as Member;
const post = (p: { kind: 'request' | 'offer'; category: string; author: string; createdAt: string; agreedAt?: string; doneAt?: string; responses?: { by: string; at: string; actedBy?: string }[]; actedBy?: string }) =>
	({ responses: [], ...p }) as unknown as Post;
const event = (e: { author: string; createdAt: string; capacity: number; signups: { member: string; at: string; occurrence?: string; cancelledAt?: string }[] }) =>
	({ ...e, updatedAt: '', updatedBy: '', signups: e.signups.map((s, i) => ({ id: `s${i}`, occurrence: '', away: {}, ...s })) }) as unknown as AgendaEvent;
const service = (by: string, created: string, reviewed: string) => ({ created: { by, at: created }, reviewed: { by, at: reviewed } }) as unknown as Service;

const none: FigureSources = { members: [], posts: [], events: [], services: [] };

describe('monthly figures', () => {
	it('counts each thing in the month it happened, on Dutch time', () => {
		expect(monthOf('2026-03-31T21:30:00Z')).toBe('2026-03');
		// 00.30 on 1 April in Amsterdam (summer time).
		expect(monthOf('2026-03-31T22:30:00Z')).toBe('2026-04');
		expect(monthOf('not a time')).toBeUndefined();
	});

	it('counts joining, leaving, help per category and kind, the agenda and the map, and who took part', () => {
		const figures = monthlyFigures({
			members: [member('anna', '2026-01-05T10:00:00Z'), member('bert', '2026-01-06T10:00:00Z', '2026-03-01T10:00:00Z'), member('cor', '2026-03-02T10:00:00Z')],
			posts: [
				post({ kind: 'request', category: 'boodschappen', author: 'anna', createdAt: '2026-01-10T10:00:00Z', agreedAt: '2026-01-11T10:00:00Z', doneAt: '2026-03-01T10:00:00Z', responses: [{ by: 'bert', at: '2026-01-10T14:00:00Z' }] }),
				post({ kind: 'offer', category: 'vervoer', author: 'bert', createdAt: '2026-01-12T10:00:00Z' }),
				post({ kind: 'request', category: 'boodschappen', author: 'cor', actedBy: 'anna', createdAt: '2026-03-03T10:00:00Z' })
			],
			events: [
				event({
					author: 'anna',
					createdAt: '2026-01-02T10:00:00Z',
					capacity: 1,
					signups: [
						{ member: 'bert', at: '2026-01-03T10:00:00Z' },
						{ member: 'cor', at: '2026-01-04T10:00:00Z' },
						// Bert cancelled before Dora signed up, but Cor moved up into his place: Dora waits too.
						{ member: 'dora', at: '2026-01-09T10:00:00Z' }
					].map((s, i) => (i === 0 ? { ...s, cancelledAt: '2026-01-08T10:00:00Z' } : s))
				})
			],
			services: [service('anna', '2026-01-20T10:00:00Z', '2026-01-20T10:00:00Z'), service('anna', '2025-12-20T10:00:00Z', '2026-03-20T10:00:00Z')]
		});
		expect(figures.map((f) => f.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
		const [december, january, february, march] = figures;
		expect(december!.map.added).toBe(1);
		expect(january!.members).toEqual({ joined: 2, left: 0, active: 4 });
		expect(january!.help).toEqual([
			{ category: 'boodschappen', requests: { made: 1, matched: 1, done: 0 }, offers: { made: 0, matched: 0, done: 0 } },
			{ category: 'vervoer', requests: { made: 0, matched: 0, done: 0 }, offers: { made: 1, matched: 0, done: 0 } }
		]);
		expect(january!.firstResponse).toEqual({ posts: 1, medianHours: 4 });
		expect(january!.agenda).toEqual({ newActivities: 1, signups: 3, waitingList: 2 });
		expect(january!.map).toEqual({ added: 1, checked: 0 });
		expect(february).toEqual({ month: '2026-02', members: { joined: 0, left: 0, active: 0 }, help: [], firstResponse: { posts: 0, medianHours: null }, agenda: { newActivities: 0, signups: 0, waitingList: 0 }, map: { added: 0, checked: 0 } });
		// Cor had a request placed for him by Anna, his intermediary, who also checked a service.
		expect(march!.members).toEqual({ joined: 1, left: 1, active: 2 });
		expect(march!.help[0]!.requests).toEqual({ made: 1, matched: 0, done: 1 });
		expect(march!.map.checked).toBe(1);
	});

	it('has no months when there is nothing to count', () => {
		expect(monthlyFigures(none)).toEqual([]);
	});
});

describe('figures as shown', () => {
	it('never shows a count under five, nor a median over fewer than five posts', () => {
		expect([0, 1, 4, 5, 12].map(shown)).toEqual(['few', 'few', 'few', 5, 12]);
		const hours = [2, 4, 6, 8, 30];
		const posts = hours.map((h, i) => post({ kind: 'request', category: 'tuin', author: `m${i}`, createdAt: '2026-05-01T08:00:00Z', responses: [{ by: 'x', at: new Date(Date.parse('2026-05-01T08:00:00Z') + h * 3_600_000).toISOString() }] }));
		const five = figureRows(monthlyFigures({ ...none, posts }));
		expect(five.find((r) => r.measure === 'firstResponseHours')!.value).toBe(6);
		expect(five.find((r) => r.measure === 'requestsMade')).toEqual({ month: '2026-05', measure: 'requestsMade', category: 'tuin', value: 5 });
		const four = figureRows(monthlyFigures({ ...none, posts: posts.slice(0, 4) }));
		expect(four.find((r) => r.measure === 'firstResponseHours')!.value).toBe('few');
		expect(four.find((r) => r.measure === 'requestsMade')!.value).toBe('few');
	});

	it('over several neighbourhoods, counts and medians are taken over all of them at once', () => {
		const one = { ...none, posts: [1, 2, 3].map((h) => post({ kind: 'offer', category: 'tuin', author: 'a', createdAt: '2026-05-01T08:00:00Z', responses: [{ by: 'x', at: new Date(Date.parse('2026-05-01T08:00:00Z') + h * 3_600_000).toISOString() }] })) };
		const two = { ...none, posts: [10, 20].map((h) => post({ kind: 'offer', category: 'tuin', author: 'b', createdAt: '2026-05-02T08:00:00Z', responses: [{ by: 'y', at: new Date(Date.parse('2026-05-02T08:00:00Z') + h * 3_600_000).toISOString() }] })) };
		const [may] = monthlyFigures(together([one, two]));
		expect(may!.help[0]!.offers.made).toBe(5);
		expect(may!.firstResponse).toEqual({ posts: 5, medianHours: 3 });
	});
});
