import { describe, expect, it } from 'vitest';
import { telHref } from './phone.ts';

describe('telHref', () => {
	it('leaves out the "(0)" of an international number', () => {
		expect(telHref('+31 (0)6 1234 5678')).toBe('tel:+31612345678');
		expect(telHref('0031 (0)20 123 4567')).toBe('tel:0031201234567');
	});

	it('keeps the leading 0 of a number written for callers inside the country', () => {
		expect(telHref('020 123 4567')).toBe('tel:0201234567');
		expect(telHref('(020) 123 4567')).toBe('tel:0201234567');
		expect(telHref('(0)20 123 4567')).toBe('tel:0201234567');
	});

	it('keeps only what a phone dials', () => {
		expect(telHref('06-1234.5678 / 14')).toBe('tel:0612345678' + '14');
	});
});
