import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import type { Role } from '../access/roles.ts';
import type { Who } from '../rules/judge.ts';
import { RefereedDoc } from '../rules/refereed-doc.ts';
import { createNeighbourhood } from './create.ts';
import type { RootDoc } from './document.ts';
import { moveHome, retireRelay } from './mutations.ts';
import { homeRelay, linkOrigin, listedRelays, relayActions, relayHost, relaysToReach, relayToFollow } from './relay-list.ts';
import { rootRules } from './rules.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood } from './view.ts';

const ASSOCIATION = 'wss://buurthuis.example.nl/sync';
const LIBRARY = 'wss://bibliotheek.example.nl/sync';
const SCHOOL = 'wss://school.example.nl/sync';

const who = (member: string, roles: Role[] = []): Who => ({ member, roles, actsFor: new Set() });
const MANAGER = who('manon-000-0004', ['manager']);
const BEN = who('ben-0000-00002');

const created = (relays = [ASSOCIATION, LIBRARY]) => createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays }).root.doc();
const as = (person: Who, doc: A.Doc<RootDoc>) => new RefereedDoc(rootRules, person, doc);
const handle = (device: RefereedDoc<RootDoc>) => device as unknown as DocHandle<RootDoc>;
const listOf = (device: RefereedDoc<RootDoc>) => {
	const read = readNeighbourhood(device.current);
	return read.ok ? listedRelays(read.neighbourhood.relays) : [];
};

describe('the relay list as a device reads it', () => {
	it('keeps the managers\' order, each relay once, and skips what is no websocket address', () => {
		expect(listedRelays([LIBRARY, 'https://evil.example.org', ASSOCIATION, 'not a url', LIBRARY, 'wss://x.example.org/sync?k=1'])).toEqual([LIBRARY, ASSOCIATION]);
		expect(homeRelay([LIBRARY, ASSOCIATION])).toBe(LIBRARY);
		expect(homeRelay([])).toBeUndefined();
		expect(relayHost(LIBRARY)).toBe('bibliotheek.example.nl');
	});

	it('reaches the device\'s own relay first and every listed one besides', () => {
		expect(relaysToReach(ASSOCIATION, [LIBRARY, ASSOCIATION, SCHOOL])).toEqual([ASSOCIATION, LIBRARY, SCHOOL]);
		expect(relaysToReach(ASSOCIATION, [])).toEqual([ASSOCIATION]);
	});

	it('links for others point at the device\'s relay, which serves the app, except on a development server', () => {
		expect(linkOrigin('https://buurthuis.example.nl', LIBRARY, false)).toBe('https://bibliotheek.example.nl');
		expect(linkOrigin('http://localhost:5173', 'ws://localhost:3000/sync', true)).toBe('http://localhost:5173');
		expect(linkOrigin('http://localhost:3000', 'ws://localhost:3000/sync', false)).toBe('http://localhost:3000');
		// A personal invitation stays on this page's server while the neighbourhood lists it: a
		// following member's copy lives under this address.
		expect(linkOrigin('https://buurthuis.example.nl', LIBRARY, false, ['wss://buurthuis.example.nl/sync', LIBRARY])).toBe('https://buurthuis.example.nl');
		expect(linkOrigin('https://buurthuis.example.nl', LIBRARY, false, [LIBRARY])).toBe('https://bibliotheek.example.nl');
	});

	it('offers moving home to any but the home, and retiring only while another relay stays', () => {
		expect(relayActions(ASSOCIATION, [ASSOCIATION, LIBRARY])).toEqual({ moveHome: false, retire: true });
		expect(relayActions(LIBRARY, [ASSOCIATION, LIBRARY])).toEqual({ moveHome: true, retire: true });
		expect(relayActions(ASSOCIATION, [ASSOCIATION])).toEqual({ moveHome: false, retire: false });
	});
});

describe('following the neighbourhood when it moves house', () => {
	const reachedAll = () => true;

	it('stays while its own relay is listed, wherever in the list', () => {
		expect(relayToFollow(ASSOCIATION, [ASSOCIATION, LIBRARY], reachedAll)).toBeUndefined();
		expect(relayToFollow(ASSOCIATION, [LIBRARY, ASSOCIATION], reachedAll)).toBeUndefined();
		expect(relayToFollow('wss://buurthuis.example.nl/sync', ['WSS://Buurthuis.example.nl/sync'], reachedAll)).toBeUndefined();
	});

	it('follows to the home once its own relay was retired', () => {
		expect(relayToFollow(ASSOCIATION, [LIBRARY, SCHOOL], reachedAll)).toBe(LIBRARY);
	});

	it('never moves to a home it has not reached, nor on an empty list', () => {
		expect(relayToFollow(ASSOCIATION, [LIBRARY], (relay) => relay !== LIBRARY)).toBeUndefined();
		expect(relayToFollow(ASSOCIATION, [], reachedAll)).toBeUndefined();
		expect(relayToFollow(ASSOCIATION, ['garbage'], reachedAll)).toBeUndefined();
	});
});

describe('a manager moving house', () => {
	it('moves a relay to the front; the relay\'s referee accepts it', () => {
		const device = as(MANAGER, created([ASSOCIATION, LIBRARY, SCHOOL]));
		expect(moveHome(handle(device), SCHOOL)).toBe(true);
		expect(device.refused).toEqual([]);
		expect(listOf(device)).toEqual([SCHOOL, ASSOCIATION, LIBRARY]);
		expect(moveHome(handle(device), 'wss://elsewhere.example.org/sync')).toBe(false);
	});

	it('retires a relay but never the last one; the referee accepts it', () => {
		const device = as(MANAGER, created());
		expect(retireRelay(handle(device), ASSOCIATION)).toBe(true);
		expect(device.refused).toEqual([]);
		expect(listOf(device)).toEqual([LIBRARY]);
		expect(retireRelay(handle(device), LIBRARY)).toBe(false);
		expect(listOf(device)).toEqual([LIBRARY]);
	});

	it('a plain member\'s move or retirement is refused by the referee', () => {
		const moving = as(BEN, created());
		moveHome(handle(moving), LIBRARY);
		expect(moving.refused.map((r) => r.rule)).toEqual(['root.manager']);
		const retiring = as(BEN, created());
		retireRelay(handle(retiring), LIBRARY);
		expect(retiring.refused.map((r) => r.rule)).toEqual(['root.manager']);
	});

	it('two managers moving to different homes at once leave each relay listed once', () => {
		const base = created([ASSOCIATION, LIBRARY, SCHOOL]);
		const one = as(MANAGER, A.clone(base));
		const two = as(MANAGER, A.clone(base));
		moveHome(handle(one), LIBRARY);
		moveHome(handle(two), SCHOOL);
		const merged = A.merge(A.clone(one.current), two.current);
		const read = readNeighbourhood(merged);
		const list = read.ok ? listedRelays(read.neighbourhood.relays) : [];
		expect([...list].sort()).toEqual([ASSOCIATION, LIBRARY, SCHOOL].sort());
		expect([LIBRARY, SCHOOL]).toContain(list[0]);
	});
});
