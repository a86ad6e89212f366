// A member flooding a neighbourhood with presence: many websocket connections, each with its own
// peer id, each asking for one document and then sending presence (ephemeral) messages about it
// just under the old per-connection limit (200 a second). Runs in a process of its own so that
// sending does not slow the honest clients being measured.
// Controller: startPresenceFlood(...). The process itself: npx tsx bench/presence-flood.ts '<json options>'
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDoor, type Door } from '../tests/relay/door.ts';

export interface FloodOptions {
	/** Where the flooding member connects, with its key. */
	door: Door;
	documentId: string;
	connections: number;
	/** Presence messages each connection sends per second. */
	perSecond: number;
}

export interface FloodStatus {
	/** Connections that got the relay's answer to their join. */
	joined: number;
	/** Connections the relay closed, by close code. */
	closed: Record<string, number>;
	sent: number;
}

export interface Flood {
	status(): FloodStatus;
	stop(): Promise<FloodStatus>;
}

const SELF = fileURLToPath(import.meta.url);

export async function startPresenceFlood(options: FloodOptions, ms = 20_000): Promise<Flood> {
	const child = spawn(process.execPath, ['--import', 'tsx', SELF, JSON.stringify(options)], {
		cwd: resolve(SELF, '../..'),
		// Its stdin is how it knows this process is still there: a flood must never outlive its owner.
		stdio: ['pipe', 'pipe', 'inherit']
	});
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	let last: FloodStatus = { joined: 0, closed: {}, sent: 0 };
	let buffer = '';
	child.stdout.on('data', (chunk) => {
		buffer += chunk;
		const lines = buffer.split('\n');
		buffer = lines.pop() ?? '';
		for (const line of lines) if (line.startsWith('{')) last = JSON.parse(line) as FloodStatus;
	});
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const deadline = Date.now() + ms;
	// Flooding starts once every connection has joined (or been refused).
	while (last.joined + Object.values(last.closed).reduce((a, b) => a + b, 0) < options.connections) {
		if (Date.now() > deadline || child.exitCode !== null) {
			child.kill('SIGKILL');
			throw new Error(`flood did not start: ${JSON.stringify(last)}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		status: () => last,
		async stop() {
			child.kill('SIGTERM');
			await exited;
			process.off('exit', kill);
			return last;
		}
	};
}

async function flood(options: FloodOptions): Promise<void> {
	process.stdin.on('close', () => process.exit(0));
	process.stdin.resume();
	process.stdout.on('error', () => process.exit(0));
	const A = await import('@automerge/automerge');
	const { cbor } = await import('@automerge/automerge-repo/slim');
	// What a stock client sends first for a document it does not have.
	const [, request] = A.generateSyncMessage(A.init(), A.initSyncState());
	const status: FloodStatus = { joined: 0, closed: {}, sent: 0 };
	const sockets: Array<{ socket: ReturnType<typeof openDoor>; peerId: string; relay?: string; count: number; allowance: number }> = [];
	for (let i = 0; i < options.connections; i++) {
		const entry = { socket: openDoor(options.door), peerId: `flooder-${process.pid}-${i}`, relay: undefined as string | undefined, count: 0, allowance: 0 };
		sockets.push(entry);
		const { socket, peerId } = entry;
		socket.on('error', () => undefined);
		socket.on('open', () => {
			socket.send(cbor.encode({ type: 'join', senderId: peerId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] }));
		});
		socket.on('message', (data: Buffer) => {
			if (entry.relay) return; // everything after the answer to the join is only read, not decoded
			const message = cbor.decode(new Uint8Array(data)) as { type: string; senderId: string };
			if (message.type !== 'peer') return;
			entry.relay = message.senderId;
			status.joined += 1;
			socket.send(cbor.encode({ type: 'request', senderId: peerId, targetId: entry.relay, documentId: options.documentId, data: request! }));
		});
		socket.on('close', (code: number) => {
			if (entry.relay) status.joined -= 1;
			entry.relay = undefined;
			status.closed[code] = (status.closed[code] ?? 0) + 1;
		});
	}
	const presence = cbor.encode({ type: 'heartbeat' });
	let at = performance.now();
	const ticker = setInterval(() => {
		if (status.joined + Object.values(status.closed).reduce((a, b) => a + b, 0) < options.connections) return;
		const now = performance.now();
		const elapsed = (now - at) / 1000;
		at = now;
		for (const entry of sockets) {
			if (!entry.relay || entry.socket.readyState !== entry.socket.OPEN) continue;
			entry.allowance = Math.min(options.perSecond, entry.allowance + elapsed * options.perSecond);
			for (; entry.allowance >= 1; entry.allowance -= 1) {
				entry.count += 1;
				entry.socket.send(
					cbor.encode({
						type: 'ephemeral',
						senderId: entry.peerId,
						targetId: entry.relay,
						documentId: options.documentId,
						sessionId: `s${entry.peerId.replaceAll('-', '')}`.slice(0, 64),
						count: entry.count,
						data: presence
					})
				);
				status.sent += 1;
			}
		}
	}, 10);
	const report = setInterval(() => console.log(JSON.stringify(status)), 100);
	process.once('SIGTERM', () => {
		clearInterval(ticker);
		clearInterval(report);
		console.log(JSON.stringify(status));
		for (const { socket } of sockets) socket.terminate();
		process.exit(0);
	});
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
	await flood(JSON.parse(process.argv[2]) as FloodOptions);
}
