import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerOrigin } from './add-relay.ts';
import { checkPairingCode, makePairingCode, PAIRING_CODE_MS, usePairingCode } from './pairing.ts';

const data = () => mkdtempSync(join(tmpdir(), 'noaber-pairing-'));

describe('the other relay’s address as a manager types it', () => {
	it('is read with or without https://, as a sync address, or with a path; anything else is refused', () => {
		expect(peerOrigin(' bieb.example.nl ')).toBe('https://bieb.example.nl');
		expect(peerOrigin('wss://bieb.example.nl/sync')).toBe('https://bieb.example.nl');
		expect(peerOrigin('http://127.0.0.1:3001/')).toBe('http://127.0.0.1:3001');
		expect(peerOrigin('https://example.nl/noaber')).toBe('https://example.nl/noaber');
		expect(peerOrigin('ftp://bieb.example.nl')).toBeUndefined();
		expect(peerOrigin('https://user:pw@bieb.example.nl')).toBeUndefined();
	});
});

describe('pairing codes', () => {
	it('work once', () => {
		const folder = data();
		const { code } = makePairingCode(folder);
		expect(checkPairingCode(folder, code)).toBe('ok');
		expect(usePairingCode(folder, code)).toBe('ok');
		expect(usePairingCode(folder, code)).toBe('used');
		expect(checkPairingCode(folder, code)).toBe('used');
	});

	it('stop working after seven days, and a made-up or altered code never works', () => {
		const folder = data();
		const now = Date.parse('2026-12-01T10:00:00Z');
		const { code, expiresAt } = makePairingCode(folder, now);
		expect(expiresAt).toBe(new Date(now + PAIRING_CODE_MS).toISOString());
		expect(checkPairingCode(folder, code, now + PAIRING_CODE_MS - 1)).toBe('ok');
		expect(usePairingCode(folder, code, now + PAIRING_CODE_MS)).toBe('expired');
		const other = makePairingCode(folder, now).code;
		const altered = `${other.slice(0, -2)}${other.endsWith('AA') ? 'BB' : 'AA'}`;
		expect(usePairingCode(folder, altered, now)).toBe('ticket');
		expect(usePairingCode(folder, 'nonsense', now)).toBe('ticket');
		expect(usePairingCode(folder, other, now)).toBe('ok');
	});
});
