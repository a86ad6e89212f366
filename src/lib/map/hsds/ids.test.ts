import { describe, expect, it } from 'vitest';
import { Device, seed } from '../../../../tests/fixtures/hsds-map.ts';
import { fromUuid, hashId, idResolver, toUuid } from './ids.ts';

describe('HSDS ids', () => {
	it('writes the map\'s ids as UUIDs and reads them back in any spelling', () => {
		const id = '0123456789abcdef0123456789abcdef';
		expect(toUuid(id)).toBe('01234567-89ab-cdef-0123-456789abcdef');
		expect(fromUuid(toUuid(id))).toBe(id);
		expect(fromUuid('urn:uuid:01234567-89AB-CDEF-0123-456789ABCDEF')).toBe(id);
		expect(fromUuid(' 0123456789ABCDEF0123456789ABCDEF ')).toBe(id);
		expect(fromUuid('welzijn')).toBeUndefined();
	});

	it('derives the same version 8 UUID from the same text every time', () => {
		expect(hashId('organization:Welzijn')).toBe(hashId('organization:Welzijn'));
		expect(hashId('organization:Welzijn')).not.toBe(hashId('organization:Diaconie'));
		expect(toUuid(hashId('x'))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(toUuid('not hex')).toBe(toUuid(hashId('not hex')));
	});

	it('resolves a file\'s ids to the entries on the map, and hashes what it does not know', () => {
		const { device, welzijn } = seed();
		const resolve = idResolver(device.read());
		expect(resolve(toUuid(welzijn), '')).toBe(welzijn);
		expect(resolve(welzijn.toUpperCase(), '')).toBe(welzijn);
		expect(resolve('ac148810-d857-441c-9679-408f346de14b', '')).toBe('ac148810d857441c9679408f346de14b');
		expect(resolve('own-id-12345', '')).toBe('own-id-12345');
		expect(resolve('a b', '')).toBe(hashId('a b'));
		expect(resolve(undefined, 'organization:Welzijn')).toBe(hashId('organization:Welzijn'));
		expect(idResolver(new Device().read())(toUuid(welzijn), '')).toBe(welzijn);
	});
});
