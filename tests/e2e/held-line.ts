// A slow line, made exact. The relay runs behind a small proxy that it knows as its public address,
// so every device reaches it through the proxy: the page's sockets and the documents worker's alike
// (Playwright routes a page's websockets, not a worker's). From `hold()` on, the relay's answers to
// a new device (one whose credential the proxy had not seen before: not the manager's) about every
// document but the first two it asks for (the neighbourhood and its members) are held back, so the
// modules' documents are still on their way; with `answered: 0`, every document is. The device's
// line can be dropped (the app comes back on a new one) or let go: what was held arrives, and
// nothing is held any more.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { cbor } from '@automerge/automerge-repo/slim';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { keyFromFrame } from '../../src/lib/automerge/relay-key.ts';
import { freePort, startRelay, type RunningRelay } from './relay.ts';

export interface HeldLine {
	/** The relay's messages held back on the device's open sockets (a dropped socket's are forgotten). */
	held: number;
	/** Sockets the device opened since the line began to hold. */
	lines: number;
	/** Drops the device's open sockets at both ends. */
	drop(): Promise<void>;
	/** Sends on what the open sockets held, in order, and holds nothing from now on. */
	release(): void;
}

export interface HeldRelay extends RunningRelay {
	/** Starts holding for devices that show the relay a credential not seen before. */
	hold(options?: { answered?: number }): HeldLine;
}

/** One device's socket, through the proxy to the relay. */
interface Passage {
	client: WebSocket;
	relay: WebSocket;
	key?: string;
	held: Array<() => void>;
}

/** The document an automerge-repo message is about, if any. */
function documentOf(message: Buffer): string | undefined {
	let decoded: unknown;
	try {
		decoded = cbor.decode(message);
	} catch {
		return undefined;
	}
	return decoded && typeof decoded === 'object' && 'documentId' in decoded && typeof decoded.documentId === 'string' ? decoded.documentId : undefined;
}

const asBuffer = (data: RawData): Buffer => (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));

/** Close codes a peer may send (1005 and 1006 only describe what happened). */
const sendable = (code: number) => code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function closeAs(socket: WebSocket, code: number, reason: Buffer) {
	if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
	if (socket.readyState === WebSocket.OPEN && sendable(code)) socket.close(code, reason);
	else socket.terminate();
}

export async function startHeldRelay(): Promise<HeldRelay> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const relay = await startRelay({ env: { NOABER_PUBLIC_URL: origin } });
	const upstream = new URL(relay.origin);
	const passages = new Set<Passage>();
	const seen = new Set<string>();
	let line: { known: Set<string>; answered: number; asked: string[]; lines: number; holding: boolean } | undefined;
	const isHeld = (passage: Passage) => line !== undefined && passage.key !== undefined && !line.known.has(passage.key);

	const server = createServer((req, res) => {
		const forwarded = request({ host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		forwarded.on('error', () => res.destroy());
		req.pipe(forwarded);
	});
	const sockets = new WebSocketServer({ noServer: true });
	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const toRelay = new WebSocket(`ws://127.0.0.1:${upstream.port}${req.url}`, {
			headers: { host: req.headers.host ?? upstream.host, origin: req.headers.origin ?? origin }
		});
		sockets.handleUpgrade(req, socket, head, (client) => pass(client, toRelay));
	});

	function pass(client: WebSocket, toRelay: WebSocket) {
		const passage: Passage = { client, relay: toRelay, held: [] };
		passages.add(passage);
		const waiting: Array<[Buffer, boolean]> = [];
		client.on('message', (data, isBinary) => {
			const bytes = asBuffer(data);
			if (passage.key === undefined && isBinary) {
				passage.key = keyFromFrame(new Uint8Array(bytes));
				if (passage.key !== undefined) seen.add(passage.key);
				if (line && isHeld(passage)) line.lines += 1;
			}
			const documentId = isBinary ? documentOf(bytes) : undefined;
			if (line && isHeld(passage) && documentId && !line.asked.includes(documentId)) line.asked.push(documentId);
			if (toRelay.readyState === WebSocket.OPEN) toRelay.send(bytes, { binary: isBinary });
			else waiting.push([bytes, isBinary]);
		});
		toRelay.on('open', () => {
			for (const [bytes, binary] of waiting.splice(0)) toRelay.send(bytes, { binary });
		});
		toRelay.on('message', (data, isBinary) => {
			const bytes = asBuffer(data);
			const documentId = isBinary ? documentOf(bytes) : undefined;
			const send = () => client.readyState === WebSocket.OPEN && client.send(bytes, { binary: isBinary });
			if (line?.holding && isHeld(passage) && documentId && line.asked.indexOf(documentId) >= line.answered) passage.held.push(send);
			else send();
		});
		const gone = () => {
			passages.delete(passage);
			passage.held = [];
		};
		client.on('close', (code, reason) => {
			gone();
			closeAs(toRelay, code, reason);
		});
		toRelay.on('close', (code, reason) => {
			gone();
			closeAs(client, code, reason);
		});
		client.on('error', () => toRelay.terminate());
		toRelay.on('error', () => client.terminate());
	}

	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		...relay,
		origin,
		setupLink: relay.setupLink,
		hold({ answered = 2 } = {}) {
			const current = { known: new Set(seen), answered, asked: [] as string[], lines: 0, holding: true };
			line = current;
			const own = () => [...passages].filter(isHeld);
			return {
				get held() {
					return own().reduce((n, p) => n + p.held.length, 0);
				},
				get lines() {
					return current.lines;
				},
				async drop() {
					const dropping = own();
					await Promise.all(
						dropping.map(
							(p) =>
								new Promise<void>((resolve) => {
									p.client.once('close', () => resolve());
									p.client.terminate();
									p.relay.terminate();
								})
						)
					);
				},
				release() {
					current.holding = false;
					for (const p of own()) for (const send of p.held.splice(0)) send();
				}
			};
		},
		async stop() {
			for (const p of passages) {
				p.client.terminate();
				p.relay.terminate();
			}
			sockets.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await relay.stop();
		}
	};
}
