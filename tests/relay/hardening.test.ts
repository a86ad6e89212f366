import { Repo, cbor, generateAutomergeUrl, type PeerId } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { client, eventually, find, hostNeighbourhood, rawSocket, shutdown, socketUrl, startTestRelay, type TestRelay, nameOf } from './harness.ts';

let relay: TestRelay | undefined;
const repos: Array<{ shutdown: () => Promise<void> }> = [];

afterEach(async () => {
	// Clients first: the stock Node client throws when the relay resets its connection.
	await shutdown(...repos.splice(0));
	await shutdown(relay);
	relay = undefined;
});


async function send(url: string, frame: Buffer | string): Promise<number> {
	const raw = rawSocket(url);
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
		const url = socketUrl(relay, hosted.key);

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
		expect(relay.logs.join('')).toContain('undecodable frame');
	});

	it('refuses a peer of another neighbourhood that claims a connected peer’s id, and keeps the victim', async () => {
		relay = await startTestRelay();
		const a = await hostNeighbourhood(relay, 'Lindenbuurt');
		const b = await hostNeighbourhood(relay, 'Beukenbuurt');
		const victim = new Repo({
			peerId: 'victim-peer' as PeerId,
			network: [new WebSocketClientAdapter(socketUrl(relay, b.key), 100)]
		});
		const neighbour = client(relay, b.key);
		repos.push(victim, neighbour);
		const victimsRoot = await find<RootDoc>(victim, b.root);
		const neighboursRoot = await find<RootDoc>(neighbour, b.root);

		const join = { type: 'join', senderId: 'victim-peer', peerMetadata: {}, supportedProtocolVersions: ['1'] };
		expect(await send(socketUrl(relay, a.key), Buffer.from(cbor.encode(join)))).toBe(4409);

		updateDetails(victimsRoot, emptyDetails('Beukenbuurt blijft'));
		await eventually(() => nameOf(neighboursRoot.doc()), (name) => name === 'Beukenbuurt blijft');
	});

	it('closes a connection that floods the relay', async () => {
		relay = await startTestRelay({ limits: { messagesPerSecond: 10, burst: 20 } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const raw = rawSocket(socketUrl(relay, hosted.key));
		await raw.opened;
		const leave = Buffer.from(cbor.encode({ type: 'leave', senderId: 'flooder' }));
		for (let i = 0; i < 50 && raw.socket.readyState === raw.socket.OPEN; i++) raw.socket.send(leave);
		expect(await raw.closed).toBe(4429);
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

describe('bookkeeping', () => {
	it('forgets a peer when its connection closes', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const visitor = client(relay, hosted.key);
		await find(visitor, hosted.root);
		expect(relay.adapter.peerNeighbourhood.size).toBe(1);
		await visitor.shutdown().catch(() => undefined);
		await eventually(() => relay!.adapter.peerNeighbourhood.size, (size) => size === 0);
	});
});
