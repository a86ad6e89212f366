import { describe, expect, it } from 'vitest';
import { safeHref } from './link.ts';

describe('links from peer data', () => {
	it('keeps web, e-mail and phone links', () => {
		expect(safeHref('https://www.lindenbuurt.nl/spreekuur')).toBe('https://www.lindenbuurt.nl/spreekuur');
		expect(safeHref(' http://example.nl ')).toBe('http://example.nl');
		expect(safeHref('mailto:info@lindenbuurt.nl')).toBe('mailto:info@lindenbuurt.nl');
		expect(safeHref('tel:+31201234567')).toBe('tel:+31201234567');
		expect(safeHref('HTTPS://EXAMPLE.NL')).toBe('HTTPS://EXAMPLE.NL');
	});

	it('drops every other scheme, however it is written', () => {
		for (const link of [
			'javascript:alert(document.cookie)',
			'JavaScript:alert(1)',
			'  javascript:alert(1)',
			'java\tscript:alert(1)',
			'java\nscript:alert(1)',
			'\u0001javascript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'vbscript:msgbox(1)',
			'file:///etc/passwd',
			'blob:https://example.nl/1234',
			'//evil.example/path',
			'www.example.nl',
			'/hulp',
			''
		]) {
			expect(safeHref(link), JSON.stringify(link)).toBe('');
		}
	});
});
