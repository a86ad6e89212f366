import { describe, expect, it } from 'vitest';
import { inviteLink, parseInvite, relayHttpOrigin, relaySocketUrl } from './invite.ts';

const root = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
const key = 'Zk3_9aQ-rT5uVw7xYz1B2c';
const ticket = 'tK7mPq2xLs9dWe4r.Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8';

describe('invite links', () => {
	it('derive the relay websocket from the app origin', () => {
		expect(relaySocketUrl('http://localhost:3000')).toBe('ws://localhost:3000/sync');
		expect(relaySocketUrl('https://buurt.example.nl/')).toBe('wss://buurt.example.nl/sync');
		expect(relaySocketUrl('https://example.nl/noaber')).toBe('wss://example.nl/noaber/sync');
	});

	it('carry relay, root and ticket in the fragment and read back', () => {
		const relay = 'wss://buurt.example.nl/sync';
		const link = inviteLink('https://buurt.example.nl', { relay, root, ticket });
		expect(link).toBe(`https://buurt.example.nl/join#r=wss%3A%2F%2Fbuurt.example.nl%2Fsync&d=${root}&t=${ticket}`);
		expect(new URL(link).search).toBe('');
		expect(parseInvite(link)).toEqual({ relay, root, ticket });
		expect(parseInvite(new URL(link).hash)).toEqual({ relay, root, ticket });
	});

	it('read a device-link code, the shared key of an old flyer, or no secret at all (asking to join)', () => {
		const relay = 'ws://localhost:3000/sync';
		expect(parseInvite(inviteLink('http://localhost:3000', { relay, root, code: ticket }))).toEqual({ relay, root, code: ticket });
		const ringSecret = 'a'.repeat(43);
		expect(parseInvite(inviteLink('http://localhost:3000', { relay, root, code: ticket, ringSecret }))).toEqual({ relay, root, code: ticket, ringSecret });
		expect(parseInvite(inviteLink('http://localhost:3000', { relay, root, code: ticket, ringSecret: 'short' }))).toEqual({ relay, root, code: ticket });
		expect(parseInvite(inviteLink('http://localhost:3000', { relay, root, key }))).toEqual({ relay, root, key });
		expect(parseInvite(inviteLink('http://localhost:3000', { relay, root }))).toEqual({ relay, root });
	});

	it('refuse incomplete or odd links', () => {
		const relay = encodeURIComponent('ws://localhost:3000/sync');
		expect(parseInvite('')).toBeNull();
		expect(parseInvite(`http://x/join#d=${root}&t=${ticket}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}&t=${ticket}&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}&t=not-a-ticket`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=automerge:nope&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${encodeURIComponent('http://evil')}&d=${root}&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=not-a-url&d=${root}&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}&k=short`)).toBeNull();
	});
});

describe('the relay web address', () => {
	it('follows from its websocket address', () => {
		expect(relayHttpOrigin('wss://buurt.example.nl/sync')).toBe('https://buurt.example.nl');
		expect(relayHttpOrigin('ws://localhost:3000/sync')).toBe('http://localhost:3000');
		expect(relayHttpOrigin(relaySocketUrl('https://example.nl/noaber/'))).toBe('https://example.nl/noaber');
	});
});
