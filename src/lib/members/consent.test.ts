import { describe, expect, it } from 'vitest';
import { consentGiven } from './consent.ts';

describe('reading a consent record', () => {
	const at = '2026-12-01T10:00:00.000Z';
	it('reads a plain record from before sealing, and a sealed one where this device opens it', () => {
		expect(consentGiven({ by: 'vera-0001', at, how: 'phone' }, () => undefined)).toEqual({ at, how: 'phone' });
		const sealed = { by: 'vera-0001', sealed: 'SEALED' };
		expect(consentGiven(sealed, (s) => (s === 'SEALED' ? JSON.stringify({ at, how: 'in-person' }) : undefined))).toEqual({ at, how: 'in-person' });
	});

	it('says nothing where it cannot open it, or what it opens is not a consent record', () => {
		const sealed = { by: 'vera-0001', sealed: 'SEALED' };
		expect(consentGiven(sealed, () => undefined)).toBeUndefined();
		for (const text of ['', 'niet json', '{"at":"gisteren","how":"phone"}', '{"at":"2026-12-01T10:00:00.000Z","how":"per post"}']) {
			expect(consentGiven(sealed, () => text)).toBeUndefined();
		}
	});
});
