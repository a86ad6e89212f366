import { describe, expect, it } from 'vitest';
import { RelaySockets, unreachableRelays } from './relay-sockets.ts';

const OWN = 'wss://buurthuis.example.nl/sync';
const LIBRARY = 'wss://bibliotheek.example.nl/sync';
const SCHOOL = 'wss://school.example.nl/sync';

describe('the status line\'s word on relays', () => {
	it('names a relay that is down only while another one carries everything', () => {
		expect(unreachableRelays([{ relay: OWN, state: 'open' }, { relay: LIBRARY, state: 'closed' }])).toEqual([LIBRARY]);
		expect(unreachableRelays([{ relay: OWN, state: 'closed' }, { relay: LIBRARY, state: 'open' }, { relay: SCHOOL, state: 'refused' }])).toEqual([OWN, SCHOOL]);
	});

	it('says nothing extra while a relay makes its first connection, or when none is reachable (offline)', () => {
		expect(unreachableRelays([{ relay: OWN, state: 'open' }, { relay: LIBRARY, state: 'connecting' }])).toEqual([]);
		expect(unreachableRelays([{ relay: OWN, state: 'closed' }, { relay: LIBRARY, state: 'closed' }])).toEqual([]);
	});
});

describe('a device\'s connections to the listed relays', () => {
	// Not attached to a Repo: no socket connects, each stays 'connecting'.
	it('keeps its own relay first and adds every listed one once', () => {
		const sockets = new RelaySockets(OWN, 'key');
		sockets.want([LIBRARY, OWN, SCHOOL, LIBRARY]);
		expect(sockets.relays).toEqual([OWN, LIBRARY, SCHOOL]);
		expect(sockets.states().map((s) => s.state)).toEqual(['connecting', 'connecting', 'connecting']);
	});

	it('lets a relay taken off the list go (at once when it is not connected), never its own', () => {
		const sockets = new RelaySockets(OWN, 'key');
		sockets.want([OWN, LIBRARY]);
		sockets.want([]);
		expect(sockets.states().map((s) => s.relay)).toEqual([OWN]);
		sockets.drain(() => false);
		expect(sockets.relays).toEqual([OWN]);
	});

	it('moving house makes the home its own relay, and the old one can then go', () => {
		const sockets = new RelaySockets(OWN, 'key');
		sockets.want([OWN, LIBRARY]);
		sockets.setPrimary(LIBRARY);
		expect(sockets.primaryRelay).toBe(LIBRARY);
		sockets.want([LIBRARY]);
		sockets.drain(() => false);
		expect(sockets.relays).toEqual([LIBRARY]);
		expect(sockets.primary).toBe(sockets.socketOf(LIBRARY));
	});
});
