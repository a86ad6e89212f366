import { describe, expect, it } from 'vitest';
import type { NewsItem } from './item.ts';
import { allRead, firstSeen, markRead, parseSeen, unread } from './unread.ts';

const item = (id: string, at: string): NewsItem => ({
	id,
	kind: 'response',
	for: 'henk-000001',
	at,
	subject: { module: 'help', id: 'post-00001' },
	path: '/hulp/post-00001',
	group: 'help:post-00001'
});

describe('what is still unread', () => {
	const now = new Date('2026-12-01T12:00:00.000Z');
	const items = [item('b', '2026-11-30T10:00:00.000Z'), item('a', '2026-11-29T10:00:00.000Z'), item('old', '2026-11-01T10:00:00.000Z')];

	it('shows the past week on a first visit, minus what was opened', () => {
		const seen = firstSeen(now);
		expect(unread(items, seen).map((n) => n.id)).toEqual(['b', 'a']);
		expect(unread(items, markRead(seen, 'a')).map((n) => n.id)).toEqual(['b']);
	});

	it('shows nothing after "Alles gelezen" until something newer happens', () => {
		const seen = allRead(markRead(firstSeen(now), 'a'), items);
		expect(seen).toEqual({ since: '2026-11-30T10:00:00.000Z', read: [] });
		expect(unread(items, seen)).toEqual([]);
		expect(unread([item('c', '2026-12-01T09:00:00.000Z'), ...items], seen).map((n) => n.id)).toEqual(['c']);
	});

	it('reads back what it stored, and nothing else', () => {
		const seen = markRead(firstSeen(now), 'a');
		expect(parseSeen(JSON.stringify(seen))).toEqual(seen);
		for (const raw of [null, '', 'x', '{}', '{"since":"gisteren"}', '[]']) expect(parseSeen(raw)).toBeUndefined();
		expect(parseSeen('{"since":"2026-11-30T10:00:00.000Z","read":["a",3]}')).toEqual({ since: '2026-11-30T10:00:00.000Z', read: ['a'] });
	});
});
