import { describe, expect, it } from 'vitest';
import { fold } from './fold.ts';

describe('fold', () => {
	it('drops case and accents, so what people type on any keyboard matches', () => {
		expect(fold('Café Zoë')).toBe('cafe zoe');
		expect(fold('ÉÈÊË îïô ÇÅ')).toBe('eeee iio ca');
	});

	it('keeps letters without accents, digits and punctuation as they are', () => {
		expect(fold('koffie-ochtend 10.00 u')).toBe('koffie-ochtend 10.00 u');
	});
});
