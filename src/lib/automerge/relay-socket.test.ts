import type { PeerId } from '@automerge/automerge-repo/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { keyFromFrame } from './relay-key.ts';
import { RelaySocket } from './relay-socket.ts';

let server: WebSocketServer | undefined;
let socket: RelaySocket | undefined;
afterEach(async () => {
	socket?.disconnect();
	await new Promise((resolve) => server?.close(resolve));
});

/** A stand-in relay that records what each connection shows, then closes it with `code`. */
async function relayClosingWith(code: number) {
	const seen: Array<{ path: string | undefined; key: string | undefined }> = [];
	server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	server.on('connection', (ws, req) =>
		ws.once('message', (data) => {
			seen.push({ path: req.url, key: keyFromFrame(new Uint8Array(data as Buffer)) });
			ws.close(code, 'stand-in');
		})
	);
	await new Promise((resolve) => server!.once('listening', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { url: `ws://127.0.0.1:${port}/sync`, seen };
}

async function until(condition: () => boolean) {
	const deadline = Date.now() + 5000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('not in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** A stand-in relay that keeps every connection open and counts the ones still open. */
async function relayKeepingOpen() {
	const open = new Set<unknown>();
	server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	server.on('connection', (ws) => {
		open.add(ws);
		ws.on('close', () => open.delete(ws));
	});
	await new Promise((resolve) => server!.once('listening', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { url: `ws://127.0.0.1:${port}/sync`, open };
}

describe('the app’s socket to the relay', () => {
	it('keeps its open socket when a retry comes late (network back), and leaves no second one open', async () => {
		const relay = await relayKeepingOpen();
		socket = new RelaySocket(relay.url, 'k', 60_000);
		socket.connect('telefoon' as PeerId);
		await until(() => socket!.state === 'open');
		// What the stock adapter's retry timer does when it fires after the socket opened.
		socket.connect('telefoon' as PeerId);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(relay.open.size).toBe(1);
		expect(socket.state).toBe('open');
	});

	it('closes an attempt it replaces, and the replaced one closing does not make the relay look unreachable', async () => {
		const relay = await relayKeepingOpen();
		socket = new RelaySocket(relay.url, 'k', 60_000);
		socket.connect('telefoon' as PeerId);
		// A second attempt before the first opened: 'online' and a retry timer at once.
		socket.connect('telefoon' as PeerId);
		await until(() => socket!.state === 'open');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(relay.open.size).toBe(1);
		expect(socket.state).toBe('open');
	});

	it('shows the member key in its first frame, never in the address', async () => {
		const relay = await relayClosingWith(1000);
		socket = new RelaySocket(relay.url, 'geheime-buurtsleutel', 60_000);
		socket.connect('telefoon' as PeerId);
		await until(() => relay.seen.length > 0);
		expect(relay.seen[0]).toEqual({ path: '/sync', key: 'geheime-buurtsleutel' });
	});

	it('remembers that the relay’s disk was full, and that a change was too big, so the resident can be told', async () => {
		const full = await relayClosingWith(4507);
		socket = new RelaySocket(full.url, 'k', 60_000);
		socket.connect('telefoon' as PeerId);
		await until(() => socket!.state === 'closed');
		expect(socket.refusal).toBe('full');
		expect(socket.state).not.toBe('refused');
		socket.disconnect();
		await new Promise((resolve) => server?.close(resolve));

		const limits = await relayClosingWith(4413);
		socket = new RelaySocket(limits.url, 'k', 60_000);
		socket.connect('telefoon' as PeerId);
		await until(() => socket!.state === 'closed');
		expect(socket.refusal).toBe('tooLarge');
	});

	it('stays shut when the relay turned the device away, and closing it afterwards is calm', async () => {
		const relay = await relayClosingWith(4423);
		socket = new RelaySocket(relay.url, 'k', 60_000);
		socket.connect('telefoon' as PeerId);
		await until(() => socket!.state === 'refused');
		expect(socket.shut).toBe('waiting');
		// The repo disconnects every adapter when the app closes the connection (a member let in).
		expect(() => socket!.disconnect()).not.toThrow();
		socket = undefined;
	});
});
