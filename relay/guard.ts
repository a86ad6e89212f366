// The stock websocket server adapter trusts every byte; the relay faces the internet. This wrapper
// checks each frame before automerge-repo sees it, binds peer ids to their connection, keeps every
// connection inside its own neighbourhood, and closes only the connection that misbehaves.
import { cbor, isValidDocumentId, type Message } from '@automerge/automerge-repo/slim';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';

export const CLOSE = {
	badMessage: 4400,
	invalidKey: 4401,
	peerTaken: 4409,
	tooMany: 4429,
	internal: 1011
} as const;

const TYPES = new Set([
	'join',
	'leave',
	'request',
	'sync',
	'ephemeral',
	'doc-unavailable',
	'remote-heads-subscription-change',
	'remote-heads-changed'
]);
const WITH_DOCUMENT = new Set(['request', 'sync', 'ephemeral', 'doc-unavailable']);
const WITH_DATA = new Set(['request', 'sync', 'ephemeral']);

export interface Limits {
	/** Messages per second a connection may send on average, and the burst it may save up. */
	messagesPerSecond: number;
	burst: number;
	/** New documents a connection may bring per minute. */
	claimsPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = { messagesPerSecond: 200, burst: 2000, claimsPerMinute: 100 };

export interface Connection {
	neighbourhood: string;
	key: string;
	peerId?: string;
	tokens: number;
	refilledAt: number;
	claims: number[];
}

type Decoded = Record<string, unknown> & { type: string; senderId: string };

/** Why a decoded frame is not an automerge-repo message we accept, or undefined when it is. */
export function shapeProblem(message: unknown): string | undefined {
	if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'not a message';
	const m = message as Record<string, unknown>;
	if (typeof m.type !== 'string' || !TYPES.has(m.type)) return 'unknown message type';
	if (typeof m.senderId !== 'string' || m.senderId.length === 0 || m.senderId.length > 200) return 'bad sender';
	if (m.type !== 'join' && m.type !== 'leave' && (typeof m.targetId !== 'string' || m.targetId.length > 200)) {
		return 'bad target';
	}
	if (WITH_DOCUMENT.has(m.type) && (typeof m.documentId !== 'string' || !isValidDocumentId(m.documentId))) {
		return 'bad document id';
	}
	if (WITH_DATA.has(m.type) && !(m.data instanceof Uint8Array)) return 'bad data';
	return undefined;
}

export class GuardedServerAdapter extends WebSocketServerAdapter {
	readonly connections = new WeakMap<WebSocket, Connection>();
	/** Which neighbourhood each joined peer id speaks for. */
	readonly peerNeighbourhood = new Map<string, string>();
	#registry: Registry;
	#log: Logger;
	#limits: Limits;
	#server: WebSocketServer;

	constructor(server: WebSocketServer, registry: Registry, log: Logger, limits: Limits = DEFAULT_LIMITS) {
		super(server as never);
		this.#server = server;
		this.#registry = registry;
		this.#log = log;
		this.#limits = limits;
	}

	/** Called at the upgrade, before the adapter sees the socket. */
	admit(socket: WebSocket, neighbourhood: string, key: string): void {
		this.connections.set(socket, { neighbourhood, key, tokens: this.#limits.burst, refilledAt: Date.now(), claims: [] });
		socket.on('close', () => {
			// Forget the peer unless it already reconnected on another socket.
			const peerId = this.connections.get(socket)?.peerId;
			const holder = peerId ? (this.sockets[peerId as keyof typeof this.sockets] as WebSocket | undefined) : undefined;
			if (peerId && (holder === undefined || holder === socket)) this.peerNeighbourhood.delete(peerId);
		});
	}

	#close(socket: WebSocket, code: number, reason: string) {
		const connection = this.connections.get(socket);
		this.#log.warn({ neighbourhood: connection?.neighbourhood, peer: connection?.peerId, code, reason }, 'connection closed');
		try {
			socket.close(code, reason);
		} catch {
			socket.terminate();
		}
	}

	#withinRate(connection: Connection): boolean {
		const now = Date.now();
		const refill = ((now - connection.refilledAt) / 1000) * this.#limits.messagesPerSecond;
		connection.tokens = Math.min(this.#limits.burst, connection.tokens + refill);
		connection.refilledAt = now;
		if (connection.tokens < 1) return false;
		connection.tokens -= 1;
		return true;
	}

	#mayClaim(connection: Connection): boolean {
		const now = Date.now();
		connection.claims = connection.claims.filter((at) => now - at < 60_000);
		if (connection.claims.length >= this.#limits.claimsPerMinute) return false;
		connection.claims.push(now);
		return true;
	}

	#unavailable(message: Decoded) {
		super.send({
			type: 'doc-unavailable',
			senderId: this.peerId!,
			targetId: message.senderId,
			documentId: message.documentId
		} as Message);
	}

	override receiveMessage(messageBytes: Uint8Array, socket: WebSocket): void {
		try {
			this.#receive(messageBytes, socket);
		} catch (error) {
			this.#log.error({ err: error }, 'message handling failed');
			this.#close(socket, CLOSE.internal, 'internal error');
		}
	}

	#receive(messageBytes: Uint8Array, socket: WebSocket): void {
		const connection = this.connections.get(socket);
		if (!connection) return this.#close(socket, CLOSE.invalidKey, 'invalid key');
		if (!(messageBytes instanceof Uint8Array)) return this.#close(socket, CLOSE.badMessage, 'not binary');
		if (!this.#withinRate(connection)) return this.#close(socket, CLOSE.tooMany, 'too many messages');
		let decoded: unknown;
		try {
			decoded = cbor.decode(messageBytes);
		} catch {
			return this.#close(socket, CLOSE.badMessage, 'undecodable frame');
		}
		const problem = shapeProblem(decoded);
		if (problem) return this.#close(socket, CLOSE.badMessage, problem);
		const message = decoded as Decoded;

		if (message.type === 'join') {
			if (connection.peerId && connection.peerId !== message.senderId) {
				return this.#close(socket, CLOSE.peerTaken, 'second peer id on one connection');
			}
			const holder = this.sockets[message.senderId as keyof typeof this.sockets] as WebSocket | undefined;
			const holderConnection = holder && holder !== socket ? this.connections.get(holder) : undefined;
			if (holderConnection && holder!.readyState === holder!.OPEN && holderConnection.neighbourhood !== connection.neighbourhood) {
				return this.#close(socket, CLOSE.peerTaken, 'peer id in use');
			}
			connection.peerId = message.senderId;
			this.peerNeighbourhood.set(message.senderId, connection.neighbourhood);
			return super.receiveMessage(messageBytes, socket as never);
		}

		if (message.senderId !== connection.peerId) return; // the stock adapter ignores these too
		if (typeof message.documentId === 'string') {
			let owner = this.#registry.ownerOf(message.documentId);
			if (owner === undefined && message.type === 'sync') {
				if (!this.#mayClaim(connection)) return this.#close(socket, CLOSE.tooMany, 'too many new documents');
				this.#registry.claim(message.documentId, connection.neighbourhood);
				owner = connection.neighbourhood;
			}
			if (owner !== connection.neighbourhood) {
				// Unknown ids never reach the repo: each would become a handle that is never evicted.
				if (message.type === 'request' || message.type === 'sync') this.#unavailable(message);
				return;
			}
		}
		super.receiveMessage(messageBytes, socket as never);
	}

	override send(message: Message): void {
		if ('documentId' in message && message.documentId && 'targetId' in message) {
			const neighbourhood = this.peerNeighbourhood.get(message.targetId);
			if (message.type !== 'doc-unavailable' && this.#registry.ownerOf(message.documentId) !== neighbourhood) return;
		}
		super.send(message);
	}

	/** Closes connections whose key no longer opens their neighbourhood (after a rotation). */
	closeRevoked(): number {
		let closed = 0;
		for (const socket of this.#server.clients) {
			const connection = this.connections.get(socket);
			if (connection && this.#registry.neighbourhoodForKey(connection.key) !== connection.neighbourhood) {
				this.#close(socket, CLOSE.invalidKey, 'invalid key');
				closed += 1;
			}
		}
		return closed;
	}
}
