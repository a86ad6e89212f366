import { describe, expect, it } from 'vitest';
import { inviteLink } from './invite.ts';
import { joinRequestLink, parsePublicLink, publicPageLink } from './public-link.ts';

const root = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
const relay = 'wss://buurt.example.nl/sync';

describe('the public page link', () => {
	it('carries relay and root in the fragment, and no key', () => {
		const link = publicPageLink('https://buurt.example.nl/', { relay, root });
		expect(link).toBe(`https://buurt.example.nl/openbaar#r=wss%3A%2F%2Fbuurt.example.nl%2Fsync&d=${root}`);
		expect(new URL(link).search).toBe('');
		expect(new URLSearchParams(new URL(link).hash.slice(1)).has('k')).toBe(false);
		expect(parsePublicLink(link)).toEqual({ relay, root });
		expect(parsePublicLink(new URL(link).hash)).toEqual({ relay, root });
	});

	it('leaves out the key even when handed a whole membership', () => {
		const membership = { relay, root, key: 'Zk3_9aQ-rT5uVw7xYz1B2c', memberId: 'member-0001' };
		expect(publicPageLink('https://buurt.example.nl', membership)).not.toContain(membership.key);
		expect(joinRequestLink('https://buurt.example.nl', membership)).not.toContain(membership.key);
	});

	it('joins through /join with the same relay and root, without a ticket', () => {
		const link = joinRequestLink('http://localhost:3000', { relay: 'ws://localhost:3000/sync', root });
		expect(link).toBe(`http://localhost:3000/join#r=ws%3A%2F%2Flocalhost%3A3000%2Fsync&d=${root}`);
		expect(parsePublicLink(link)).toEqual({ relay: 'ws://localhost:3000/sync', root });
	});

	it('refuses incomplete or odd links', () => {
		const r = encodeURIComponent(relay);
		expect(parsePublicLink('')).toBeNull();
		expect(parsePublicLink(`http://x/openbaar#r=${r}`)).toBeNull();
		expect(parsePublicLink(`http://x/openbaar#d=${root}`)).toBeNull();
		expect(parsePublicLink(`http://x/openbaar#r=${r}&d=automerge:nope`)).toBeNull();
		expect(parsePublicLink(`http://x/openbaar#r=${encodeURIComponent('https://evil')}&d=${root}`)).toBeNull();
		expect(parsePublicLink(`http://x/openbaar#r=not-a-url&d=${root}`)).toBeNull();
	});

	it('reads the relay and root of an old invite too', () => {
		expect(parsePublicLink(inviteLink('https://buurt.example.nl', { relay, root, key: 'Zk3_9aQ-rT5uVw7xYz1B2c' }))).toEqual({ relay, root });
	});
});
