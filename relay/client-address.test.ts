import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Attempts } from './attempts.ts';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

const request = (remoteAddress: string, forwardedFor?: string) =>
	({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the address a request counts against', () => {
	const proxies = parseTrustedProxies('127.0.0.1,::1,172.16.0.0/12');

	it('is the connecting address when no proxy is trusted, whatever the request says', () => {
		expect(clientAddress(request('203.0.113.7', '198.51.100.1'), undefined)).toBe('203.0.113.7');
		expect(clientAddress(request('::ffff:203.0.113.7'), undefined)).toBe('203.0.113.7');
		// Not from a trusted proxy: a client's own header is not believed.
		expect(clientAddress(request('203.0.113.7', '198.51.100.1'), proxies)).toBe('203.0.113.7');
	});

	it("is the address the trusted proxy saw, never one a client made up in front of it", () => {
		expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1'), proxies)).toBe('198.51.100.1');
		expect(clientAddress(request('127.0.0.1', '10.9.9.9, 198.51.100.1'), proxies)).toBe('198.51.100.1');
		// A chain: the relay's proxy heard it from another trusted proxy, which heard it from the client.
		expect(clientAddress(request('172.18.0.5', '198.51.100.1, 172.18.0.9'), proxies)).toBe('198.51.100.1');
		expect(clientAddress(request('::1', '2001:db8::5'), proxies)).toBe('2001:db8::5');
		// Something that is no address counts against the proxy, as it would without the setting.
		expect(clientAddress(request('127.0.0.1', 'unknown'), proxies)).toBe('127.0.0.1');
		expect(clientAddress(request('127.0.0.1'), proxies)).toBe('127.0.0.1');
	});

	it('lets twenty wrong guesses behind the proxy shut out only the one who made them', () => {
		const attempts = new Attempts({ trustedProxies: proxies });
		const guesser = request('127.0.0.1', '198.51.100.66');
		for (let i = 0; i < 20; i += 1) attempts.failed(attempts.addressOf(guesser));
		expect(attempts.blocked(attempts.addressOf(guesser))).toBe(true);
		expect(attempts.blocked(attempts.addressOf(request('127.0.0.1', '198.51.100.2')))).toBe(false);
		// Without the setting, the proxy's address is everyone's: all are shut out together.
		const plain = new Attempts();
		for (let i = 0; i < 20; i += 1) plain.failed(plain.addressOf(guesser));
		expect(plain.blocked(plain.addressOf(request('127.0.0.1', '198.51.100.2')))).toBe(true);
	});

	it('refuses a setting that is not a list of addresses or ranges', () => {
		expect(parseTrustedProxies(undefined)).toBeUndefined();
		expect(parseTrustedProxies(' ')).toBeUndefined();
		for (const wrong of ['caddy', '10.0.0.0/33', '::1/129', '127.0.0.1,,::1', '10.0.0.0/8/8']) expect(() => parseTrustedProxies(wrong), wrong).toThrow('NOABER_TRUSTED_PROXIES must be');
	});
});
