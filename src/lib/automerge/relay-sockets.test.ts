import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RelaySocket, SocketState } from './relay-socket.ts';
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

/** A relay's socket as a test moves it: opened, answered (the relay's peer message), closed. */
class Line extends EventEmitter {
	state: SocketState = 'connecting';
	remotePeerId: string | undefined;
	#listeners = new Set<(state: SocketState) => void>();
	onState(listener: (state: SocketState) => void) {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
	move(state: SocketState) {
		this.state = state;
		for (const listener of this.#listeners) listener(state);
	}
	answer(peer: string) {
		this.remotePeerId = peer;
		this.emit('peer-candidate', { peerId: peer });
	}
}

describe('waiting for a relay to answer before asking it for documents', () => {
	function lines(...relays: string[]) {
		const made = new Map<string, Line>();
		const sockets = new RelaySockets(relays[0], 'key', {
			make: (relay) => {
				const line = new Line();
				made.set(relay, line);
				return line as unknown as RelaySocket;
			}
		});
		sockets.want(relays);
		let answered = false;
		void sockets.whenAnswered().then(() => (answered = true));
		const settled = async () => {
			await Promise.resolve();
			return answered;
		};
		return { line: (relay: string) => made.get(relay)!, settled };
	}

	it('waits past an open socket until the relay answered the join', async () => {
		const { line, settled } = lines(OWN);
		line(OWN).move('open');
		expect(await settled()).toBe(false);
		line(OWN).answer('noaber-relay-1');
		expect(await settled()).toBe(true);
	});

	it('stops waiting when no relay can be reached, and not while one still connects', async () => {
		const { line, settled } = lines(OWN, LIBRARY);
		line(OWN).move('closed');
		expect(await settled()).toBe(false);
		line(LIBRARY).move('refused');
		expect(await settled()).toBe(true);
	});
});
