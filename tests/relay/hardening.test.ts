import * as A from '@automerge/automerge/slim';
import { Repo, cbor, generateAutomergeUrl, type PeerId } from '@automerge/automerge-repo/slim';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { describe, expect, it } from 'vitest';
import { replyAsEmptyPeer } from '../../relay/claims.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { client, eventually, find, hostNeighbourhood, rawSocket, door, socketUrl, startTestRelay, tempDir, type TestRelay, nameOf, stopAfterEach } from './harness.ts';
import type { Door } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);


async function send(to: Door, frame: Buffer | string): Promise<number> {
	const raw = rawSocket(to);
	await raw.opened;
	raw.socket.send(frame);
	return raw.closed;
}

describe('bad input never takes the relay down', () => {
	it('closes only the connection that sends garbage, while another resident keeps syncing', async () => {
		relay = await startTestRelay({ maxPayload: 1024 * 1024 });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);
		const annasRoot = await find<RootDoc>(anna, hosted.root);
		const bertsRoot = await find<RootDoc>(bert, hosted.root);
		const url = door(relay, hosted.key);

		// CBOR null: the frame that makes the stock adapter throw and the process exit.
		expect(await send(url, Buffer.from([0xf6]))).toBe(4400);
		expect(await send(url, Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad]))).toBe(4400);
		expect(await send(url, 'hello, is this the relay?')).toBe(4400);
		expect(await send(url, Buffer.from(cbor.encode({ type: 'shout', senderId: 'x' })))).toBe(4400);
		expect(await send(url, Buffer.from(cbor.encode({ type: 'request', senderId: 'x', targetId: 'y', documentId: 'not-an-id', data: new Uint8Array([1]) })))).toBe(4400);
		expect(await send(url, Buffer.alloc(2 * 1024 * 1024, 7))).toBe(1009);

		updateDetails(annasRoot, emptyDetails('Lindenbuurt na de storm'));
		await eventually(() => nameOf(bertsRoot.doc()), (name) => name === 'Lindenbuurt na de storm');
		const health = await fetch(`${relay.url}/healthz`);
		expect(health.status).toBe(200);
		const logs = relay.logs.join('');
		expect(logs).toContain('undecodable frame');
		expect(logs).toContain('not binary');
		expect(logs).toContain('Max payload size exceeded');
	});

	it('refuses a peer of another neighbourhood that claims a connected peer’s id, and keeps the victim', async () => {
		relay = await startTestRelay();
		const a = await hostNeighbourhood(relay, 'Lindenbuurt');
		const b = await hostNeighbourhood(relay, 'Beukenbuurt');
		const victim = new Repo({
			peerId: 'victim-peer' as PeerId,
			network: [new KeyedClientAdapter(socketUrl(relay), b.key, 100)]
		});
		const neighbour = client(relay, b.key);
		repos.push(victim, neighbour);
		const victimsRoot = await find<RootDoc>(victim, b.root);
		const neighboursRoot = await find<RootDoc>(neighbour, b.root);

		const join = { type: 'join', senderId: 'victim-peer', peerMetadata: {}, supportedProtocolVersions: ['1'] };
		expect(await send(door(relay, a.key), Buffer.from(cbor.encode(join)))).toBe(4409);

		updateDetails(victimsRoot, emptyDetails('Beukenbuurt blijft'));
		await eventually(() => nameOf(neighboursRoot.doc()), (name) => name === 'Beukenbuurt blijft');
	});

	it('binds one peer id to a connection, and lets the same neighbourhood reconnect under it', async () => {
		relay = await startTestRelay();
		const a = await hostNeighbourhood(relay, 'Lindenbuurt');
		const join = (senderId: string) =>
			Buffer.from(cbor.encode({ type: 'join', senderId, peerMetadata: {}, supportedProtocolVersions: ['1'] }));

		const twoFaced = rawSocket(door(relay, a.key));
		await twoFaced.opened;
		twoFaced.socket.send(join('first-face'));
		twoFaced.socket.send(join('second-face'));
		expect(await twoFaced.closed).toBe(4409);

		// A phone that lost its connection comes back on a new socket before the old one timed out.
		const before = rawSocket(door(relay, a.key));
		await before.opened;
		before.socket.send(join('returning-phone'));
		await eventually(() => relay!.adapter.neighbourhoodOf('returning-phone'), (n) => n === a.id);
		const after = rawSocket(door(relay, a.key));
		await after.opened;
		after.socket.send(join('returning-phone'));
		await before.closed;
		expect(after.socket.readyState).toBe(after.socket.OPEN);
		expect(relay.adapter.neighbourhoodOf('returning-phone')).toBe(a.id);
		after.socket.close();
	});

	it('closes a connection that floods the relay faster than its queue can take', async () => {
		relay = await startTestRelay({ limits: { messagesPerSecond: 10, burst: 20, maxQueuedMessages: 10 } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const raw = rawSocket(door(relay, hosted.key));
		await raw.opened;
		const leave = Buffer.from(cbor.encode({ type: 'leave', senderId: 'flooder' }));
		for (let i = 0; i < 50 && raw.socket.readyState === raw.socket.OPEN; i++) raw.socket.send(leave);
		expect(await raw.closed).toBe(4429);
	});

	it('closes a connection that brings too many new documents at once', async () => {
		relay = await startTestRelay({ limits: { claimsPerMinute: 2 } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const raw = rawSocket(door(relay, hosted.key));
		await raw.opened;
		raw.socket.send(cbor.encode({ type: 'join', senderId: 'hoarder', peerMetadata: {}, supportedProtocolVersions: ['1'] }));
		// Only content claims a document: the message a client sends once the relay said it has nothing.
		const doc = A.from({ note: 'boodschappen' });
		const [asked, first] = A.generateSyncMessage(doc, A.initSyncState());
		const [, told] = A.receiveSyncMessage(doc, asked, replyAsEmptyPeer(first!)!);
		const [, data] = A.generateSyncMessage(doc, told);
		const brought: string[] = [];
		for (let i = 0; i < 3; i++) {
			const documentId = generateAutomergeUrl().replace('automerge:', '');
			brought.push(documentId);
			raw.socket.send(cbor.encode({ type: 'sync', senderId: 'hoarder', targetId: relay.adapter.peerId, documentId, data }));
		}
		expect(await raw.closed).toBe(4429);
		expect(brought.map((id) => relay!.registry.ownerOf(id))).toEqual([hosted.id, hosted.id, undefined]);
		expect(relay.logs.join('')).toContain('too many new documents');
	});

	it('answers unknown document ids without keeping them in memory', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const curious = client(relay, hosted.key);
		repos.push(curious);
		const before = Object.keys(relay.repo.handles).length;
		for (let i = 0; i < 20; i += 1) {
			const handle = await find(curious, generateAutomergeUrl());
			expect(handle.isReady()).toBe(false);
		}
		expect(Object.keys(relay.repo.handles).length).toBe(before);
	});
});

describe('a member with a valid key still cannot harm the relay', () => {
	const joinAs = (senderId: string, extra: Record<string, unknown> = {}) =>
		Buffer.from(cbor.encode({ type: 'join', senderId, peerMetadata: {}, supportedProtocolVersions: ['1'], ...extra }));

	it('refuses peer metadata that would become a file path or an object key', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const url = door(relay, hosted.key);
		const outside = tempDir('noaber-outside-');
		// The relay saves sync state under each peer's storage id: a path here would escape the data folder.
		const escape = `../../../../../../../../..${join(outside, 'pwned')}`;
		expect(await send(url, joinAs('peer-a', { peerMetadata: { storageId: escape, isEphemeral: false } }))).toBe(4400);
		expect(await send(url, joinAs('peer-b', { peerMetadata: { storageId: { nested: true } } }))).toBe(4400);
		expect(await send(url, joinAs('peer-c', { peerMetadata: 'yes' }))).toBe(4400);
		expect(await send(url, joinAs('__proto__'))).toBe(4400);
		expect(await send(url, joinAs('constructor'))).toBe(4400);
		expect(await send(url, joinAs('peer-d', { supportedProtocolVersions: 'all of them' }))).toBe(4400);
		expect(readdirSync(outside)).toEqual([]);
		expect(relay.logs.join('')).toContain('bad storage id');

		const resident = client(relay, hosted.key);
		repos.push(resident);
		expect((await find(resident, hosted.root)).isReady()).toBe(true);
	});

	it('survives well-formed messages with nonsense inside, and keeps the document intact', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);
		const annasRoot = await find<RootDoc>(anna, hosted.root);
		const bertsRoot = await find<RootDoc>(bert, hosted.root);

		const url = door(relay, hosted.key);
		const documentId = hosted.root.replace('automerge:', '');
		const newDocument = generateAutomergeUrl().replace('automerge:', '');
		const to = { senderId: 'mallory', targetId: relay.adapter.peerId };
		const junk = new Uint8Array([0x42, 0xff, 0x00, 0x13, 0x37]);
		const join = { type: 'join', senderId: 'mallory', peerMetadata: { storageId: 'mallory-storage', isEphemeral: false }, supportedProtocolVersions: ['1'] };
		async function joinedThenSend(message: Record<string, unknown>) {
			const raw = rawSocket(url);
			await raw.opened;
			raw.socket.send(cbor.encode(join));
			raw.socket.send(cbor.encode(message));
			return raw;
		}

		// Sync data that is no sync message closes the connection and claims nothing.
		for (const message of [
			{ type: 'request', ...to, documentId, data: junk },
			{ type: 'sync', ...to, documentId, data: new Uint8Array([0x42]) },
			{ type: 'sync', ...to, documentId: newDocument, data: junk },
			{ type: 'ephemeral', ...to, documentId, data: junk, sessionId: 's1', count: 1 }
		]) {
			expect(await (await joinedThenSend(message)).closed).toBe(4400);
		}
		expect(relay.registry.ownerOf(newDocument)).toBeUndefined();
		expect(relay.logs.join('')).toContain('bad sync data');

		// Messages the repo has no use for from a client are ignored without harm.
		for (const message of [
			{ type: 'ephemeral', ...to, documentId, data: cbor.encode({ cursor: 3 }), sessionId: 's1', count: 1 },
			{ type: 'doc-unavailable', ...to, documentId },
			{ type: 'remote-heads-changed', ...to, documentId, newHeads: { x: 'y' } },
			{ type: 'remote-subscription-change', ...to, add: 'everything', remove: 7 },
			{ type: 'leave', senderId: 'mallory' }
		]) {
			const raw = await joinedThenSend(message);
			await new Promise((r) => setTimeout(r, 50));
			raw.socket.close();
			expect(await raw.closed).toBe(1005);
		}

		updateDetails(annasRoot, emptyDetails('Lindenbuurt blijft heel'));
		await eventually(() => nameOf(bertsRoot.doc()), (name) => name === 'Lindenbuurt blijft heel');
		expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
	});

	it('closes a connection that invents ephemeral sessions, which the relay would remember forever', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const raw = rawSocket(door(relay, hosted.key));
		await raw.opened;
		raw.socket.send(joinAs('chatty'));
		const documentId = hosted.root.replace('automerge:', '');
		for (let i = 0; i < 10 && raw.socket.readyState === raw.socket.OPEN; i++) {
			const message = { type: 'ephemeral', senderId: 'chatty', targetId: relay.adapter.peerId, documentId, data: new Uint8Array([1]), sessionId: `s${i}`, count: 1 };
			raw.socket.send(cbor.encode(message));
		}
		expect(await raw.closed).toBe(4400);
		expect(relay.logs.join('')).toContain('too many sessions');
	});
});

describe('bookkeeping', () => {
	it('forgets a peer when its connection closes', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const visitor = client(relay, hosted.key);
		await find(visitor, hosted.root);
		expect(relay.adapter.neighbourhoodOf(visitor.peerId)).toBe(hosted.id);
		expect(relay.peers.state().neighbourhoods).toBe(1);
		await visitor.shutdown().catch(() => undefined);
		await eventually(() => relay!.peers.state().neighbourhoods, (size) => size === 0);
		expect(relay.adapter.neighbourhoodOf(visitor.peerId)).toBeUndefined();
	});
});

describe('an idle connection', () => {
	it('costs the relay no listeners of its own: one per event, shared by every socket', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const [anna, bert] = [client(relay, hosted.key), client(relay, hosted.key)];
		await Promise.all([find(anna, hosted.root), find(bert, hosted.root)]);
		const sockets = Object.values(relay.adapter.sockets) as import('ws').WebSocket[];
		expect(sockets).toHaveLength(2);
		const events = ['message', 'close', 'error', 'pong'];
		const counts = Object.fromEntries(events.map((event) => [event, sockets[0]!.listenerCount(event)]));
		// The relay's, and none of the stock adapter's; closes: also ws's own bookkeeping of its clients.
		expect(counts).toEqual({ message: 1, close: 2, error: 1, pong: 1 });
		for (const event of events) {
			const shared = sockets[0]!.listeners(event).filter((listener) => sockets[1]!.listeners(event).includes(listener));
			expect(shared, event).toHaveLength(1);
		}
	});
});
