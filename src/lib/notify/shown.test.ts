import { describe, expect, it } from 'vitest';
import { languageOf, openablePath, shownFor } from './shown.ts';

describe('what a push shows', () => {
	it('shows the title and body the relay sent, and remembers the page to open', () => {
		const shown = shownFor(JSON.stringify({ title: 'Bert wil helpen', body: 'met uw boodschappen', path: '/hulp/post-0001', tag: 'help:post-0001', count: 3 }), 'nl');
		expect(shown).toEqual({
			title: 'Bert wil helpen',
			options: { body: 'met uw boodschappen', tag: 'help:post-0001', data: { path: '/hulp/post-0001' }, icon: '/icon-192.png' },
			count: 3
		});
	});

	it('shows a kind, general line for anything that is not a Noaber push, in the browser’s language', () => {
		for (const text of [undefined, '', 'not json', '{"title":"x"}', JSON.stringify({ title: 'x', body: 'y', tag: 't', path: 'https://evil.example/' })]) {
			expect(shownFor(text, 'nl')).toEqual({ title: 'Er is iets nieuws in Noaber', options: { body: '', data: { path: '/' }, icon: '/icon-192.png' } });
		}
		expect(shownFor(undefined, 'en').title).toBe('There is something new in Noaber');
		expect(languageOf('en-GB')).toBe('en');
		expect(languageOf('nl-NL')).toBe('nl');
		expect(languageOf(undefined)).toBe('nl');
	});

	it('only ever opens a page of Noaber itself', () => {
		expect(openablePath('/hulp/abc?x=1')).toBe('/hulp/abc?x=1');
		for (const odd of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', 42, undefined]) {
			expect(openablePath(odd)).toBe('/');
		}
	});
});
