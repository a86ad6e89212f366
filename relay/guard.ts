// The stock websocket server adapter trusts every byte; the relay faces the internet. This wrapper
// checks each frame before automerge-repo sees it, binds peer ids to their connection, keeps every
// connection inside its own neighbourhood, and closes only the connection that misbehaves.
import { decodeSyncMessage, encodeSyncMessage } from '@automerge/automerge/slim';
import { cbor, isValidDocumentId, type Message, type PeerId, type PeerMetadata } from '@automerge/automerge-repo/slim';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import type { WebSocket, WebSocketServer } from 'ws';
import { mayUse } from './access.ts';
import { replyAsEmptyPeer } from './claims.ts';
import { DEFAULT_CHANGE_LIMITS, LIMIT_CLOSE, type ChangeGate, type ChangeLimits } from './change-limits.ts';
import { DEFAULT_BUDGET_LIMITS, FairSharing, Lane, type BudgetLimits } from './budget.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import type { Entry, Shown } from './doorway.ts';
import type { Refusal } from '../src/lib/access/api.ts';
import type { ReadChange } from '../src/lib/rules/edits.ts';
import { encodeRefusal, REFUSED } from '../src/lib/rules/refusal.ts';
import { UNTOLD_RULES, type Referee, type Refusal as RuleRefusal, type Sender as RuleSender, type Vouched } from './referee.ts';
import { deviceOfPeer } from '../src/lib/access/secret.ts';

export const CLOSE = {
	badMessage: 4400,
	invalidKey: 4401,
	/** The device or its member was removed by a manager; the app keeps what it holds and stops. */
	removed: 4403,
	peerTaken: 4409,
	/** The member waits for a manager's approval; the app asks again now and then. */
	waiting: 4423,
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
	// automerge-repo's name for it; the other spelling is accepted for older clients and ignored.
	'remote-subscription-change',
	'remote-heads-subscription-change',
	'remote-heads-changed'
]);
const WITH_DOCUMENT = new Set(['request', 'sync', 'ephemeral', 'doc-unavailable', 'remote-heads-changed']);
const WITH_DATA = new Set(['request', 'sync', 'ephemeral']);
/** Message budgets (see budget.ts), change limits (change-limits.ts), and what else a connection may do. */
export interface Limits extends BudgetLimits, ChangeLimits {
	/** New documents a connection may bring per minute. */
	claimsPerMinute: number;
	/**
	 * How long a connection may stay silent (no frame, no answer to the relay's ping) before the
	 * relay lets go of it; it goes after one to two times this.
	 */
	silenceMs: number;
}

/**
 * The stock server adapter drops a connection that leaves one ping unanswered for 5 s. On a weak
 * mobile line a phone that joins receives years of agenda (400 KB each, about 8 s apiece on a slow
 * 4G line), and the ping waits behind them: the relay dropped the phone in the middle of its
 * download (bench/member-device.ts), and could again at the next try. Any frame now counts as a
 * sign of life, and the wait is longer.
 */
const SILENCE_MS = 20_000;

export const DEFAULT_LIMITS: Limits = { ...DEFAULT_BUDGET_LIMITS, claimsPerMinute: 100, silenceMs: SILENCE_MS, ...DEFAULT_CHANGE_LIMITS };

/** A repo has one ephemeral session id; a few allow for a client restarting on the same socket. */
const MAX_SESSIONS = 4;

/**
 * A socket the door let in. It is its own lane in the neighbourhood's budgets (its share, its queue
 * of paced messages): one record per idle connection rather than two.
 */
export class Connection extends Lane implements Shown {
	/** The old shared key it showed; undefined with a device credential, which is not kept. */
	readonly key: string | undefined;
	/** The device this connection's credential belongs to; undefined with the old shared key. */
	readonly deviceId: string | undefined;
	/** The member whose device this is; undefined with the old shared key. */
	readonly memberId: string | undefined;
	peerId: string | undefined = undefined;
	/** When it brought new documents in the last minute; made at its first. */
	claims: number[] | undefined = undefined;
	/** Whether the frame being handled arrived as text: the stock adapter's listener drops that flag. */
	textFrame = false;
	/** Its ephemeral sessions; made at its first presence message. */
	sessions: Set<string> | undefined = undefined;
	/** Set once the relay closed it: frames already on their way are ignored, not logged again. */
	closing = false;
	/** Messages waiting, in order, while the relay loads a document it must judge a change against. */
	held: Uint8Array[] | undefined = undefined;
	/** Lets go of the documents loaded for the held messages, once every one of them is handled. */
	pins: Array<() => void> | undefined = undefined;

	constructor(sharing: FairSharing, entry: Entry, who: string, release: (bytes: Uint8Array, owner: unknown) => void, socket: WebSocket) {
		super(sharing, entry.neighbourhood, who, release, socket);
		this.key = entry.key;
		this.deviceId = entry.holder?.deviceId;
		this.memberId = entry.holder?.memberId;
	}
}

/** Messages one connection may have waiting for documents to load; an honest device sends a few. */
const MAX_HELD = 1_000;
/** The ephemeral session the referee speaks in: devices read refusals from it (src/lib/automerge/refusals.svelte.ts). */
const REFEREE_SESSION = 'noaber-referee';

/** The socket's sign of life since the last round (`connect`); unset until it is admitted. */
type Alive = WebSocket & { isAlive?: boolean };

export type Decoded = Record<string, unknown> & { type: string; senderId: string };

/** Set where the relay is composed (main.ts): the durable outbox and the full-disk refusal. */
export interface AdapterHooks {
	/** Takes over delivery of a message that passed the checks (durable.ts). */
	send?: (message: Message, deliver: (message: Message) => void) => void;
	/** A close code and reason for a well-formed message the relay cannot take now (storage full). */
	refuse?: (message: Decoded, changes: readonly Uint8Array[]) => { code: number; reason: string } | undefined;
	/** Loads documents the referee must judge a change against; the held messages then go on. */
	load?: (documentIds: string[]) => Promise<void>;
	/** Keeps documents in memory (not unloaded when idle) until the returned function is called. */
	pin?: (documentIds: string[]) => () => void;
	/** Resolves once the relay's copy of a document holds these changes it accepted, or the wait ran out (unstored-changes.ts). */
	stored?: (documentId: string, hashes: readonly string[]) => Promise<void>;
	/** Asks the neighbourhood's paired relays whether they hold these changes (vouching.ts); the held messages then go on. */
	vouch?: (neighbourhood: string, document: string, changes: Array<{ hash: string; actor: string }>) => Promise<void>;
	/** Changes the referee let through, with who brought them (the change log); `vouched` ones are a paired relay's. */
	accepted?: (sender: RuleSender, changes: readonly ReadChange[], vouched?: Vouched) => void;
}

/** What the guard counts for /metrics (metrics.ts). */
export interface GuardMetrics {
	messageIn(): void;
	messageOut(): void;
	closedConnection(code: number, reason: string): void;
	/** A device's sync message for a document, and the relay's next one to it: one round trip. */
	syncReceived(peer: string, document: string): void;
	syncSent(peer: string, document: string): void;
}

/** Storage ids become file names in the relay's storage (sync state per peer): never a path. */
const STORAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Ephemeral session ids are counted per sender in a map that is never emptied. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Ids the repo uses as keys of plain objects: `__proto__` and friends would reach the prototype. */
const isPlainKey = (value: unknown, max = 200): value is string =>
	typeof value === 'string' && value.length > 0 && value.length <= max && !(value in Object.prototype);

function joinProblem(m: Record<string, unknown>): string | undefined {
	const versions = m.supportedProtocolVersions;
	if (versions !== undefined && !(Array.isArray(versions) && versions.length <= 16 && versions.every((v) => typeof v === 'string'))) {
		return 'bad protocol versions';
	}
	const metadata = m.peerMetadata;
	if (metadata === undefined) return undefined;
	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return 'bad peer metadata';
	const { storageId, isEphemeral } = metadata as Record<string, unknown>;
	if (storageId !== undefined && !(isPlainKey(storageId, 64) && STORAGE_ID.test(storageId))) return 'bad storage id';
	if (isEphemeral !== undefined && typeof isEphemeral !== 'boolean') return 'bad peer metadata';
	return undefined;
}

/** Why a decoded frame is not an automerge-repo message we accept, or undefined when it is. */
export function shapeProblem(message: unknown): string | undefined {
	if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'not a message';
	const m = message as Record<string, unknown>;
	if (typeof m.type !== 'string' || !TYPES.has(m.type)) return 'unknown message type';
	if (!isPlainKey(m.senderId)) return 'bad sender';
	if (m.type === 'join') return joinProblem(m);
	if (m.type !== 'leave' && !isPlainKey(m.targetId)) return 'bad target';
	if ((WITH_DOCUMENT.has(m.type) || 'documentId' in m) && (typeof m.documentId !== 'string' || !isValidDocumentId(m.documentId))) {
		return 'bad document id';
	}
	if (WITH_DATA.has(m.type) && !(m.data instanceof Uint8Array)) return 'bad data';
	if (m.type === 'ephemeral' && !(typeof m.sessionId === 'string' && SESSION_ID.test(m.sessionId) && Number.isSafeInteger(m.count))) {
		return 'bad ephemeral message';
	}
	return undefined;
}

/** The changes a sync message's data carries, or undefined when it is no sync message. */
function syncChanges(data: Uint8Array): Uint8Array[] | undefined {
	try {
		return decodeSyncMessage(data).changes;
	} catch {
		return undefined;
	}
}

function isCbor(data: Uint8Array): boolean {
	try {
		cbor.decode(data);
		return true;
	} catch {
		return false;
	}
}

export class GuardedServerAdapter extends WebSocketServerAdapter {
	readonly connections = new WeakMap<WebSocket, Connection>();
	#registry: Registry;
	#log: Logger;
	#limits: Limits;
	#server: WebSocketServer;
	hooks: AdapterHooks = {};
	/** Measures changes before the repo applies them (set by the relay once its repo exists). */
	changeGate: ChangeGate | undefined;
	/** Judges each change by the modules' rules (set by the relay once its repo exists). */
	referee: Referee | undefined;
	/** Counts for /metrics (metrics.ts); nothing that says who. */
	metrics: GuardMetrics | undefined;
	#refereeCount = 0;
	#sharing: FairSharing;
	#connections = 0;

	constructor(server: WebSocketServer, registry: Registry, log: Logger, limits: Limits = DEFAULT_LIMITS) {
		super(server as never, limits.silenceMs);
		this.#server = server;
		this.#registry = registry;
		this.#log = log;
		this.#limits = limits;
		this.#sharing = new FairSharing(limits, { report: (event) => log.info(event, `over budget: ${event.kind}`) });
	}

	/** Hands on a paced message when its lane's turn comes (see budget.ts). */
	readonly #releasePaced = (bytes: Uint8Array, owner: unknown) => this.receiveMessage(bytes, owner as WebSocket, true);

	#ready = false;
	#becameReady: () => void = () => undefined;
	readonly #whenReady = new Promise<void>((resolve) => (this.#becameReady = resolve));
	/** Ready once a first device connected, as the stock adapter is: the repo waits for that. */
	override isReady(): boolean {
		return this.#ready;
	}
	override whenReady(): Promise<void> {
		return this.#whenReady;
	}

	/**
	 * What the stock adapter does, without the three listeners it makes for each socket (kept, with
	 * their scope, as long as the connection stays): the relay's one listener per event (main.ts)
	 * calls `frameArrived`, `alive` and `socketClosed` for every socket.
	 */
	override connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
		this.peerId = peerId;
		this.peerMetadata = peerMetadata;
		// A device silent for a whole round, that did not answer the ping either, is gone.
		const rounds = setInterval(() => {
			for (const socket of this.#server.clients) {
				const watched = socket as Alive;
				if (watched.isAlive === false) this.#drop(socket);
				else if (this.connections.has(socket)) {
					watched.isAlive = false;
					socket.ping();
				}
			}
		}, this.#limits.silenceMs);
		this.#server.on('close', () => {
			clearInterval(rounds);
			this.disconnect();
		});
	}

	/**
	 * Which neighbourhood a joined peer id speaks for: its connection's. Read through the stock
	 * adapter's table of sockets rather than kept in a table of its own: one entry less per connection.
	 */
	neighbourhoodOf(peerId: string): string | undefined {
		const socket = this.sockets[peerId as keyof typeof this.sockets] as WebSocket | undefined;
		return socket ? this.connections.get(socket)?.neighbourhood : undefined;
	}

	/** Called at the upgrade, before the adapter sees the socket. */
	admit(socket: WebSocket, entry: Entry): void {
		// Until it joins, a connection is its own member; then its peer id is (see #receive).
		const connection = new Connection(this.#sharing, entry, `connection-${++this.#connections}`, this.#releasePaced, socket);
		this.#sharing.enter(connection);
		this.connections.set(socket, connection);
		(socket as Alive).isAlive = true;
		if (!this.#ready) {
			this.#ready = true;
			this.#becameReady();
		}
	}

	/** Every frame of an admitted socket, from the relay's one listener for all sockets (main.ts). */
	frameArrived(socket: WebSocket, data: Uint8Array, isBinary: boolean): void {
		const connection = this.connections.get(socket);
		if (!connection) return;
		connection.textFrame = !isBinary;
		// A frame is as good a sign of life as the answer to a ping.
		(socket as Alive).isAlive = true;
		this.receiveMessage(data, socket);
	}

	/** The answer to a ping (from the relay's one pong listener, as `frameArrived`). */
	alive(socket: WebSocket): void {
		(socket as Alive).isAlive = true;
	}

	/** A socket closed (told by the relay's one close listener, as `frameArrived`). */
	socketClosed(socket: WebSocket): void {
		const connection = this.connections.get(socket);
		connection?.close();
		// Forget the peer unless it already reconnected on another socket.
		const peerId = connection?.peerId;
		if (peerId && this.sockets[peerId as keyof typeof this.sockets] === (socket as never)) this.#gone(peerId);
	}

	#drop(socket: WebSocket): void {
		const peerId = this.connections.get(socket)?.peerId;
		if (peerId && this.sockets[peerId as keyof typeof this.sockets] === (socket as never)) this.#gone(peerId);
		socket.terminate();
	}

	#gone(peerId: string): void {
		delete this.sockets[peerId as keyof typeof this.sockets];
		this.emit('peer-disconnected', { peerId: peerId as PeerId });
	}

	#close(socket: WebSocket, code: number, reason: string) {
		const connection = this.connections.get(socket);
		if (connection) connection.closing = true;
		this.metrics?.closedConnection(code, reason);
		this.#log.warn({ neighbourhood: connection?.neighbourhood, peer: connection?.peerId, code, reason }, 'connection closed');
		try {
			socket.close(code, reason);
		} catch {
			socket.terminate();
		}
	}

	/**
	 * Whether a message waits (paced) or is dropped (presence over budget) instead of handled now.
	 * Asked before the message is checked: presence that goes nowhere need not be, and a waiting
	 * message is checked when its turn comes.
	 */
	#heldBack(connection: Connection, socket: WebSocket, decoded: unknown, bytes: Uint8Array): boolean {
		const presence = typeof decoded === 'object' && decoded !== null && (decoded as { type?: unknown }).type === 'ephemeral';
		// automerge-repo 2.5.6 clients pass every presence message they receive on to their other
		// peers, the relay included: each comes back from every device that got it. It is ignored
		// below (another peer's id), and must not use up the echoing device's own budget.
		if (presence && (decoded as { senderId?: unknown }).senderId !== connection.peerId) return true;
		const verdict = connection.offer(presence ? 'presence' : 'paced', bytes);
		if (verdict === 'overflow') this.#close(socket, CLOSE.tooMany, 'too many queued messages');
		return verdict !== 'deliver';
	}

	#mayClaim(connection: Connection): boolean {
		const now = Date.now();
		const claims = (connection.claims ?? []).filter((at) => now - at < 60_000);
		connection.claims = claims;
		if (claims.length >= this.#limits.claimsPerMinute) return false;
		claims.push(now);
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

	/** Answers a heads-only first sync for a new document as a peer that has nothing of it yet. */
	#askForContent(message: Decoded) {
		const data = replyAsEmptyPeer(message.data as Uint8Array);
		if (!data) return this.#unavailable(message);
		super.send({ type: 'sync', senderId: this.peerId!, targetId: message.senderId, documentId: message.documentId, data } as Message);
	}

	/**
	 * `paced`: a message released from its connection's queue, already counted against the budgets.
	 * `replay`: a held message handled now, with the documents loaded for it (tried once each).
	 */
	override receiveMessage(messageBytes: Uint8Array, socket: WebSocket, paced = false, replay?: ReadonlySet<string>): void {
		// Counted once, as it arrives: a paced or held message comes through here again.
		if (!paced) this.metrics?.messageIn();
		try {
			this.#receive(messageBytes, socket, paced, replay);
		} catch (error) {
			this.#log.error({ err: error }, 'message handling failed');
			this.#close(socket, CLOSE.internal, 'internal error');
		}
	}

	#receive(messageBytes: Uint8Array, socket: WebSocket, paced: boolean, replay?: ReadonlySet<string>): void {
		const connection = this.connections.get(socket);
		if (!connection) return this.#close(socket, CLOSE.invalidKey, 'invalid key');
		if (connection.closing) return;
		if (connection.textFrame || !(messageBytes instanceof Uint8Array)) return this.#close(socket, CLOSE.badMessage, 'not binary');
		let decoded: unknown;
		try {
			decoded = cbor.decode(messageBytes);
		} catch {
			return this.#close(socket, CLOSE.badMessage, 'undecodable frame');
		}
		if (!paced && this.#heldBack(connection, socket, decoded, messageBytes)) return;
		if (connection.held && !replay) {
			if (connection.held.length >= MAX_HELD) return this.#close(socket, CLOSE.tooMany, 'too many messages waiting');
			connection.held.push(messageBytes);
			return;
		}
		const problem = shapeProblem(decoded);
		if (problem) return this.#close(socket, CLOSE.badMessage, problem);
		const message = decoded as Decoded;
		// Checked here so nonsense neither claims a document nor reaches the repo's error printing.
		// Decoded once here; the read-only check, the change limits and the claim rule all use it.
		const changes = message.type === 'sync' || message.type === 'request' ? syncChanges(message.data as Uint8Array) : [];
		if (!changes) return this.#close(socket, CLOSE.badMessage, 'bad sync data');
		if (message.type === 'ephemeral' && !isCbor(message.data as Uint8Array)) {
			return this.#close(socket, CLOSE.badMessage, 'bad ephemeral data');
		}
		const refusal = this.hooks.refuse?.(message, changes);
		if (refusal) return this.#close(socket, refusal.code, refusal.reason);

		if (message.type === 'join') {
			if (connection.peerId && connection.peerId !== message.senderId) {
				return this.#close(socket, CLOSE.peerTaken, 'second peer id on one connection');
			}
			const problem = this.#peerIdProblem(connection, message.senderId, socket);
			if (problem) return this.#close(socket, CLOSE.peerTaken, problem);
			connection.peerId = message.senderId;
			// The unit of fairness is the device, not the remote address: behind the reverse proxy the
			// README recommends (or a care home's one internet line) every connection has the same
			// address. A connection with the old shared key counts by its peer id, bound to it here.
			connection.identify(connection.deviceId ?? message.senderId);
			return super.receiveMessage(messageBytes, socket as never);
		}

		if (message.senderId !== connection.peerId) return; // the stock adapter ignores these too
		if (message.type === 'ephemeral') {
			const sessions = (connection.sessions ??= new Set());
			sessions.add(message.sessionId as string);
			if (sessions.size > MAX_SESSIONS) return this.#close(socket, CLOSE.badMessage, 'too many sessions');
		}
		if ((message.type === 'sync' || message.type === 'request') && this.changeGate) {
			const sender = { neighbourhood: connection.neighbourhood, peer: connection.peerId, document: message.documentId as string };
			const refused = this.changeGate.check(sender, { type: message.type, changes });
			if (refused) return this.#close(socket, refused.code, refused.reason);
		}
		if (typeof message.documentId === 'string') {
			// Only content claims a document new to the relay, and only until a root lists it (claims.ts).
			if (message.type === 'sync' && this.#registry.ownerOf(message.documentId) === undefined) {
				if (changes.length === 0) return this.#askForContent(message);
				if (!this.#mayClaim(connection)) return this.#close(socket, CLOSE.tooMany, 'too many new documents');
				this.#registry.claimProvisionally(message.documentId, connection.neighbourhood);
			}
			if (!mayUse(this.#registry, connection.neighbourhood, message.documentId)) {
				// Unknown ids never reach the repo: each would become a handle that is never evicted.
				if (message.type === 'request' || message.type === 'sync') this.#unavailable(message);
				return;
			}
		}
		let delivered = message;
		if ((message.type === 'sync' || message.type === 'request') && changes.length > 0 && this.referee) {
			const sender = { neighbourhood: connection.neighbourhood, member: connection.memberId, device: connection.deviceId, document: message.documentId as string };
			const verdict = this.referee.judge(sender, changes);
			// A message that waited behind another may need documents of its own: those are loaded too.
			const toLoad = verdict.kind === 'load' ? verdict.documents.filter((id) => !replay?.has(id)) : [];
			if (toLoad.length > 0) return this.#holdUntilLoaded(connection, socket, messageBytes, toLoad);
			if (verdict.kind === 'wait') {
				const stored = this.hooks.stored ?? (async () => undefined);
				const settle = () => this.referee?.settled(verdict.document, verdict.changes);
				return this.#holdUntil(connection, socket, messageBytes, () => stored(verdict.document, verdict.changes).finally(settle), 'the changes it accepted to be stored', [verdict.document], new Set());
			}
			if (verdict.kind === 'vouch') {
				// What the paired relays said (or that none answered) is kept for each change asked, so the
				// replay judges: held again only for changes beyond one question's limit.
				const vouch = this.hooks.vouch ?? (async () => undefined);
				return this.#holdUntil(connection, socket, messageBytes, () => vouch(sender.neighbourhood, sender.document, verdict.changes), 'paired relays to answer', [sender.document], new Set());
			}
			// Loaded and still not in memory (the disk failed it, or it took too long): the changes can be
			// neither judged nor dropped in silence. Closed as "cannot store now": the device keeps them
			// and sends them again.
			if (verdict.kind === 'load') return this.#close(socket, LIMIT_CLOSE.neighbourhoodFull, 'document could not be loaded to judge');
			if (verdict.kind === 'cut') {
				this.#tellRefused(connection, message, verdict.refused);
				const data = encodeSyncMessage({ ...decodeSyncMessage(message.data as Uint8Array), changes: verdict.keep });
				delivered = { ...message, data };
			}
			if (verdict.accepted.length > 0) this.hooks.accepted?.(sender, verdict.accepted, verdict.vouched);
		}
		this.#deliver(delivered, socket);
	}

	/**
	 * What the stock adapter does with a message once it decoded it (2.5.6), without decoding it a
	 * second time: this runs for every message, and the fan-out of one change is hundreds.
	 */
	#deliver(message: Decoded, socket: WebSocket) {
		if (message.type === 'sync' && typeof message.documentId === 'string') this.metrics?.syncReceived(message.senderId, message.documentId);
		if (this.sockets[message.senderId as keyof typeof this.sockets] !== (socket as never)) return;
		this.emit('message', message as unknown as Message);
	}

	/** Keeps this and every later message of the connection, in order, until the documents are in memory. */
	#holdUntilLoaded(connection: Connection, socket: WebSocket, messageBytes: Uint8Array, documents: string[]) {
		const load = this.hooks.load ?? (async () => undefined);
		this.#holdUntil(connection, socket, messageBytes, () => load(documents), 'documents to load', documents, new Set(documents));
	}

	/**
	 * Keeps this and every later message of the connection, in order, until `ready` settles (which
	 * loads `loaded`, if anything: the held messages are not held again for those). The
	 * documents stay in memory until every held message is handled: an idle relay unloads what
	 * nobody used for a while, and a load slower than that would otherwise be undone before the
	 * held changes are judged (and the device cut off as if the disk had failed).
	 */
	#holdUntil(connection: Connection, socket: WebSocket, messageBytes: Uint8Array, ready: () => Promise<void>, what: string, documents: string[], loaded: ReadonlySet<string>) {
		connection.held = [messageBytes];
		const pin = this.hooks.pin?.(documents);
		if (pin) (connection.pins ??= []).push(pin);
		this.#log.debug({ neighbourhood: connection.neighbourhood, peer: connection.peerId, documents }, `waiting for ${what}`);
		// Everything this device writes waits meanwhile: a long wait is worth an operator's look.
		const slow = setTimeout(() => this.#log.warn({ neighbourhood: connection.neighbourhood, peer: connection.peerId, documents }, `still waiting for ${what} to judge`), 2000);
		slow.unref();
		ready()
			.catch((error: unknown) => this.#log.error({ err: error, documents }, `waiting for ${what} to judge failed`))
			.finally(() => {
				clearTimeout(slow);
				const queue = connection.held ?? [];
				connection.held = undefined;
				while (queue.length > 0 && !connection.closing) {
					this.receiveMessage(queue.shift()!, socket, true, loaded);
					// Another document to load: the rest waits behind the message that asked for it.
					if (connection.held) {
						(connection.held as Uint8Array[]).push(...queue);
						return;
					}
				}
				// Each handled message is now automerge-repo's own work, which the unloader waits for.
				for (const release of connection.pins?.splice(0) ?? []) release();
			});
	}

	/**
	 * Tells the device which of its changes went nowhere and why, on the document they were for: it
	 * takes them back and sends what it did afterwards again. Logged without content: who, which
	 * document, which rule.
	 */
	#tellRefused(connection: Connection, message: Decoded, refused: readonly RuleRefusal[]) {
		const first = refused[0];
		this.#log.warn(
			{
				neighbourhood: connection.neighbourhood,
				member: connection.memberId,
				device: connection.deviceId,
				document: message.documentId,
				rule: first?.rule ?? 'document-unavailable',
				// Keys only, cut short: a hostile key could carry words, and words are content.
				path: first?.path.slice(0, 4).map((step) => step.slice(0, 40)),
				changes: refused.length
			},
			'change refused by rule'
		);
		// Only what a rule refused: the device makes what merely built on it again (src/lib/rules/refusal.ts).
		const named = refused.filter((r) => !UNTOLD_RULES.has(r.rule));
		if (named.length === 0) return;
		const data = encodeRefusal({
			noaber: REFUSED,
			changes: named.slice(0, 1000).map((r) => r.hash),
			rule: named[0].rule,
			path: named[0].path.slice(0, 16).map((step) => step.slice(0, 200))
		});
		super.send({
			type: 'ephemeral',
			senderId: this.peerId!,
			targetId: message.senderId,
			documentId: message.documentId,
			sessionId: REFEREE_SESSION,
			count: ++this.#refereeCount,
			data
		} as unknown as Message);
	}

	override send(message: Message): void {
		if ('documentId' in message && message.documentId && 'targetId' in message) {
			const neighbourhood = this.neighbourhoodOf(message.targetId);
			// "Unavailable" tells nothing; everything else goes only to the owning neighbourhood.
			if (message.type !== 'doc-unavailable' && !mayUse(this.#registry, neighbourhood, message.documentId)) return;
			if (message.type === 'sync') this.metrics?.syncSent(message.targetId, message.documentId);
		}
		this.metrics?.messageOut();
		if (this.hooks.send) return this.hooks.send(message, (m) => super.send(m));
		super.send(message);
	}

	/**
	 * The app's peer ids carry its device id (src/lib/access/secret.ts): only that device may use
	 * them. An open peer id is taken over only by the same device (a phone reconnecting before the
	 * relay saw its old socket go), never by another member who learnt it from presence messages.
	 */
	#peerIdProblem(connection: Connection, peerId: string, socket: WebSocket): string | undefined {
		const claimed = deviceOfPeer(peerId);
		if (claimed !== undefined && claimed !== connection.deviceId) return 'peer id of another device';
		const holder = this.sockets[peerId as keyof typeof this.sockets] as WebSocket | undefined;
		const holderConnection = holder && holder !== socket ? this.connections.get(holder) : undefined;
		if (!holderConnection || holder!.readyState !== holder!.OPEN) return undefined;
		if (holderConnection.neighbourhood !== connection.neighbourhood) return 'peer id in use';
		if (holderConnection.deviceId !== connection.deviceId) return 'peer id in use';
		return undefined;
	}

	/** Closes every connection that what it showed at the door no longer lets in; returns how many. */
	closeRevoked(check: (shown: Shown) => Entry | Refusal): number {
		let closed = 0;
		for (const socket of this.#server.clients) {
			const connection = this.connections.get(socket);
			if (!connection || connection.closing) continue;
			const entry = check(connection);
			if (typeof entry !== 'string' && entry.neighbourhood === connection.neighbourhood) continue;
			const code = entry === 'removed' ? CLOSE.removed : entry === 'waiting' ? CLOSE.waiting : CLOSE.invalidKey;
			this.#close(socket, code, entry === 'removed' ? 'removed' : 'invalid key');
			closed += 1;
		}
		return closed;
	}
}
