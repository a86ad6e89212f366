// How a client reaches the relay, as an attacker would: raw websocket frames in automerge-repo's
// protocol (join, sync, request, ephemeral), and the stock Node client for honest members.
import '@automerge/automerge';
import { Repo, cbor, generateAutomergeUrl } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { doorAdapter, doorAt, openDoor } from '../tests/relay/door.ts';

export interface Target {
	port: number;
	/** The neighbourhood's member key, from `noaber create --json`. */
	key: string;
	/** The relay is from before the key moved into the first frame (tests/relay/door.ts). */
	legacy?: boolean;
}

/** The one place that knows how a member authenticates (tests/relay/door.ts). */
const doorOf = (target: Target) => doorAt(target.port, target.key, target.legacy);

function openSocket(target: Target): WebSocket {
	return openDoor(doorOf(target), { perMessageDeflate: false });
}

/** A stock automerge-repo client, as the app's devices run it (the app retries every 3 s). */
export function honestClient(target: Target, options: { retryMs?: number; onDisconnect?: () => void } = {}): Repo {
	const adapter = doorAdapter(doorOf(target), options.retryMs ?? 3000);
	if (options.onDisconnect) adapter.on('peer-disconnected', options.onDisconnect);
	return new Repo({ network: [adapter] });
}

export const newDocumentId = (): string => generateAutomergeUrl().replace('automerge:', '');
export const randomId = (prefix: string): string => `${prefix}-${randomBytes(6).toString('hex')}`;

export interface Message {
	type: string;
	senderId?: string;
	documentId?: string;
	data?: Uint8Array;
	[key: string]: unknown;
}

export interface Closed {
	code: number;
	reason: string;
}

/** One websocket connection that speaks the protocol by hand and never answers on its own. */
export class RawPeer {
	readonly peerId: string;
	relayId = '';
	closedWith: Closed | undefined;
	readonly closed: Promise<Closed>;
	#socket: WebSocket;
	#listeners = new Set<(message: Message) => void>();

	private constructor(socket: WebSocket, peerId: string) {
		this.#socket = socket;
		this.peerId = peerId;
		socket.on('error', () => undefined);
		this.closed = new Promise((resolve) =>
			socket.once('close', (code, reason) => {
				this.closedWith = { code, reason: reason.toString() };
				resolve(this.closedWith);
			})
		);
		socket.on('message', (data: Buffer) => {
			let message: Message;
			try {
				message = cbor.decode(new Uint8Array(data)) as Message;
			} catch {
				return;
			}
			for (const listener of this.#listeners) listener(message);
		});
	}

	/** Connects and joins; resolves once the relay answered with its own peer id. */
	static async join(target: Target, options: { peerId?: string; storageId?: string; ms?: number } = {}): Promise<RawPeer> {
		const peer = new RawPeer(openSocket(target), options.peerId ?? randomId('hostile'));
		const opened = await Promise.race([
			new Promise<boolean>((resolve) => peer.#socket.once('open', () => resolve(true))),
			peer.closed.then(() => false)
		]);
		if (!opened) throw new Error(`connection refused (${peer.closedWith?.code})`);
		const answered = peer.next((m) => m.type === 'peer', options.ms ?? 10_000);
		peer.send({
			type: 'join',
			senderId: peer.peerId,
			peerMetadata: options.storageId ? { storageId: options.storageId, isEphemeral: false } : { isEphemeral: true },
			supportedProtocolVersions: ['1']
		});
		const welcome = await answered;
		if (!welcome) throw new Error(`no answer to join (${peer.closedWith?.code ?? 'open'})`);
		peer.relayId = String(welcome.senderId);
		return peer;
	}

	get open(): boolean {
		return this.#socket.readyState === WebSocket.OPEN;
	}

	/** Bytes the socket has not yet handed to the network: a sender paces itself by this. */
	get buffered(): number {
		return this.#socket.bufferedAmount;
	}

	send(message: Message): void {
		if (this.open) this.#socket.send(cbor.encode(message));
	}

	sync(documentId: string, data: Uint8Array, type: 'sync' | 'request' = 'sync'): void {
		this.send({ type, senderId: this.peerId, targetId: this.relayId, documentId, data });
	}

	ephemeral(documentId: string, sessionId: string, count: number, data: Uint8Array): void {
		this.send({ type: 'ephemeral', senderId: this.peerId, targetId: this.relayId, documentId, sessionId, count, data });
	}

	on(listener: (message: Message) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** The next message that matches, or undefined when the connection closes or time runs out. */
	next(match: (message: Message) => boolean, ms: number): Promise<Message | undefined> {
		return new Promise((resolve) => {
			const done = (message: Message | undefined) => {
				clearTimeout(timer);
				off();
				resolve(message);
			};
			const off = this.on((message) => {
				if (match(message)) done(message);
			});
			const timer = setTimeout(() => done(undefined), ms);
			void this.closed.then(() => done(undefined));
		});
	}

	close(): void {
		if (this.#socket.readyState === WebSocket.CONNECTING) this.#socket.terminate();
		else this.#socket.close();
	}
}

/** Stops stock clients without letting a reset connection throw into the benchmark. */
export async function stopClients(repos: Repo[]): Promise<void> {
	await Promise.allSettled(repos.map((repo) => Promise.race([repo.shutdown(), new Promise((r) => setTimeout(r, 3000))])));
}
