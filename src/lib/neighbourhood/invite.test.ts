import { describe, expect, it } from 'vitest';
import { deviceLink, inviteLink, parseInvite, relayHttpOrigin, relaySocketUrl } from './invite.ts';

const root = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
const key = 'Zk3_9aQ-rT5uVw7xYz1B2c';

describe('invite links', () => {
	it('derive the relay websocket from the app origin', () => {
		expect(relaySocketUrl('http://localhost:3000')).toBe('ws://localhost:3000/sync');
		expect(relaySocketUrl('https://buurt.example.nl/')).toBe('wss://buurt.example.nl/sync');
		expect(relaySocketUrl('https://example.nl/noaber')).toBe('wss://example.nl/noaber/sync');
	});

	it('carry relay, root and key in the fragment and read back', () => {
		const relay = 'wss://buurt.example.nl/sync';
		const link = inviteLink('https://buurt.example.nl', { relay, root, key });
		expect(link).toBe(`https://buurt.example.nl/join#r=wss%3A%2F%2Fbuurt.example.nl%2Fsync&d=${root}&k=${key}`);
		expect(new URL(link).search).toBe('');
		expect(parseInvite(link)).toEqual({ relay, root, key });
		expect(parseInvite(new URL(link).hash)).toEqual({ relay, root, key });
	});

	it('link a second device with the member id', () => {
		const relay = 'ws://localhost:3000/sync';
		const link = deviceLink('http://localhost:3000', { relay, root, key, memberId: 'member-0001' });
		expect(parseInvite(link)).toEqual({ relay, root, key, member: 'member-0001' });
	});

	it('refuse incomplete or odd links', () => {
		const relay = encodeURIComponent('ws://localhost:3000/sync');
		expect(parseInvite('')).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=automerge:nope&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${encodeURIComponent('http://evil')}&d=${root}&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=not-a-url&d=${root}&k=${key}`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}&k=short`)).toBeNull();
		expect(parseInvite(`http://x/join#r=${relay}&d=${root}&k=${key}&m=<script>`)).toBeNull();
	});
});

describe('the relay web address', () => {
	it('follows from its websocket address', () => {
		expect(relayHttpOrigin('wss://buurt.example.nl/sync')).toBe('https://buurt.example.nl');
		expect(relayHttpOrigin('ws://localhost:3000/sync')).toBe('http://localhost:3000');
		expect(relayHttpOrigin(relaySocketUrl('https://example.nl/noaber/'))).toBe('https://example.nl/noaber');
	});
});
