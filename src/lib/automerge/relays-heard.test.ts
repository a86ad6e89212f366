// What a device makes of its relays' words, read from real automerge-repo Repos in one process: a
// device, and relays with storage (a relay's storage id is how the device learns which changes it
// holds). The device reaches them through the app's own RelaySockets, so "open" means what it means
// on the page: the socket is up and the relay answered.
import 'fake-indexeddb/auto';
import { decodeHeads, generateAutomergeUrl, parseAutomergeUrl, Repo, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelaySocket, SocketState } from './relay-socket.ts';
import { RelaySockets } from './relay-sockets.ts';
import { RelaysHeard } from './relays-heard.ts';

/** A relay's socket as RelaySockets reads it (state, the relay's peer), over a BroadcastChannel. */
class Line extends BroadcastChannelNetworkAdapter {
	state: SocketState = 'connecting';
	remotePeerId: PeerId | undefined;
	readonly #listeners = new Set<(state: SocketState) => void>();
	constructor(channelName: string) {
		super({ channelName, peerWaitMs: 20 });
		// Registered before the Repo's listener, as RelaySocket knows its relay before it announces it:
		// by the time the repository hears of the relay, the relay counts as open.
		this.on('peer-candidate', ({ peerId }) => {
			this.remotePeerId = peerId;
			this.#move('open');
		});
	}
	onState(listener: (state: SocketState) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
	override disconnect(): void {
		this.#move('closed');
		super.disconnect();
	}
	#move(state: SocketState) {
		this.state = state;
		for (const listener of this.#listeners) listener(state);
	}
}

const repos: Repo[] = [];
afterEach(async () => {
	await Promise.allSettled(repos.splice(0).map((repo) => repo.shutdown()));
});

/** Relay addresses of their own per test: BroadcastChannels and IndexedDB names are process-wide. */
function addresses(...names: string[]): string[] {
	const run = Math.random().toString(36).slice(2);
	return names.map((name) => `wss://${name}.example/${run}`);
}

function relay(address: string): Repo {
	const network = [new BroadcastChannelNetworkAdapter({ channelName: address, peerWaitMs: 20 })];
	const repo = new Repo({ peerId: `relay ${address}` as PeerId, storage: new IndexedDBStorageAdapter(address), network });
	repos.push(repo);
	return repo;
}

/** A device reaching its own relay and these others, and the relays that told it they lack a document. */
function device(own: string, ...others: string[]) {
	const sockets = new RelaySockets(own, 'key', { make: (address) => new Line(address) as unknown as RelaySocket });
	const repo = new Repo({ network: [sockets.primary] });
	repos.push(repo);
	sockets.attach(repo);
	sockets.want(others);
	const lacking: string[] = [];
	repo.networkSubsystem.on('message', (message) => {
		if (message.type === 'doc-unavailable') lacking.push(message.senderId);
	});
	return { repo, sockets, heard: new RelaysHeard(repo, sockets), lacking };
}

/**
 * What `read` said each time it said something new, read when the relays' word changed: `coming` is
 * read exactly then by the page. A call that changes nothing (a socket's own news of what a peer
 * event already told) adds nothing.
 */
function onEachChange<T>(heard: RelaysHeard, read: () => T): T[] {
	const seen: T[] = [];
	heard.onChange(() => {
		const now = read();
		if (seen.length === 0 || seen[seen.length - 1] !== now) seen.push(now);
	});
	return seen;
}

async function until(condition: () => boolean) {
	await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5000, interval: 5 });
}

const waiting = (handle: DocHandle<unknown>) => handle.inState(['loading', 'requesting', 'unavailable']);

describe('whether a document not here is on its way', () => {
	it('is, from a relay that answered, until that relay says it lacks it; offline it is not', async () => {
		const [a, b] = addresses('a', 'b');
		relay(a);
		relay(b);
		const { repo, sockets, heard, lacking } = device(a);
		const missing = repo.findWithProgress(generateAutomergeUrl()).handle;
		const seen = onEachChange(heard, () => heard.coming(missing));
		// Asked for and not here, but no relay answered yet: the status line must not wait on it.
		expect(waiting(missing)).toBe(true);
		expect(heard.coming(missing)).toBe(false);

		await until(() => lacking.length === 1);
		expect(seen).toEqual([true, false]);
		expect(heard.coming(missing)).toBe(false);
		// A document that is here is not "on its way", whichever relay has not spoken of it.
		expect(heard.coming(repo.create({}))).toBe(false);

		// Another relay has not said it lacks it: worth waiting for, until it says so too.
		sockets.want([b]);
		await until(() => lacking.length === 2);
		expect(seen).toEqual([true, false, true, false]);
		expect(heard.coming(missing)).toBe(false);
	});

	it('is again from a relay that went and came back: what it said then may no longer hold', async () => {
		const [a, b] = addresses('a', 'b');
		relay(a);
		relay(b);
		const { repo, sockets, heard, lacking } = device(a, b);
		const missing = repo.findWithProgress(generateAutomergeUrl()).handle;
		await until(() => lacking.length === 2);
		const seen = onEachChange(heard, () => heard.coming(missing));

		sockets.want([]);
		sockets.drain(() => true);
		// Gone, and `a` still lacks it: nothing on its way, and onChange told the page to look again.
		expect(sockets.open()).toHaveLength(1);
		expect(seen).toEqual([false]);

		sockets.want([b]);
		await until(() => lacking.length === 3);
		expect(seen).toEqual([false, true, false]);
	});
});

describe('whether the relays hold the documents as they are here', () => {
	it('says a relay holds a document only once it has this device\'s latest change', async () => {
		const [a] = addresses('a');
		const atRelay = relay(a);
		const { repo, sockets, heard } = device(a);
		await until(() => sockets.open().length === 1);
		const socket = sockets.socketOf(a)!;
		const handle = repo.create({ title: 'Koffieochtend' });
		expect(heard.holds(socket, [handle])).toBe(false);
		await until(() => heard.holds(socket, [handle]));
		expect((await atRelay.find(handle.url)).heads()).toEqual(handle.heads());

		// Right after a change the relay cannot have it yet: "Bijgewerkt" must not show.
		handle.change((doc) => (doc.title = 'Wandelgroep'));
		expect(heard.holds(socket, [handle])).toBe(false);
		await until(() => heard.holds(socket, [handle]));
	});

	it('says all hold them only when every relay reached does, and none does offline', async () => {
		const [a, b] = addresses('a', 'b');
		relay(a);
		relay(b);
		const { repo, sockets, heard } = device(a);
		const handle = repo.create({ title: 'Koffieochtend' });
		// Nothing reached: "every relay" of none must not count as all shared.
		expect(heard.allHold([handle])).toBe(false);
		expect(heard.heads(handle.documentId)).toEqual([]);
		await until(() => heard.allHold([handle]));

		// The moment `b` answers it has nothing of this device's yet, while `a` still has it all.
		let whenBAnswered: { aHolds: boolean; allHold: boolean } | undefined;
		heard.onChange(() => {
			if (!whenBAnswered && sockets.open().length === 2) whenBAnswered = { aHolds: heard.holds(sockets.socketOf(a)!, [handle]), allHold: heard.allHold([handle]) };
		});
		sockets.want([b]);
		await until(() => heard.allHold([handle]) && sockets.open().length === 2);
		expect(whenBAnswered).toEqual({ aHolds: true, allHold: false });

		const here = decodeHeads(handle.heads());
		expect(heard.heads(handle.documentId)).toEqual([...here, ...here]);
		const other = repo.create({ title: 'Wandelgroep' });
		expect(heard.allHold([handle, other])).toBe(false);
		handle.change((doc) => (doc.title = 'Buurtlunch'));
		// What the relays are known to hold stays what they held, not this device's new change.
		expect(heard.heads(handle.documentId)).toEqual([...here, ...here]);
		await until(() => heard.allHold([handle, other]));
		expect(heard.heads(handle.documentId)).toEqual([...decodeHeads(handle.heads()), ...decodeHeads(handle.heads())]);
		expect(heard.heads(parseAutomergeUrl(generateAutomergeUrl()).documentId)).toEqual([]);
	});
});
