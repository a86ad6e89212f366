// A real relay on a free port with a temporary data folder, and stock automerge-repo clients.
import { Repo, type AutomergeUrl, type DocHandle, type PeerId, type StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { createHosted, type Hosted } from '../../relay/create.ts';
import { DEFAULT_LIMITS, type Limits } from '../../relay/guard.ts';
import { startRelay, type Relay, type RelayOptions } from '../../relay/main.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { readNeighbourhood } from '../../src/lib/neighbourhood/view.ts';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { doorAt, openDoor, type Door } from './door.ts';
import type { AccessBook } from '../../relay/access-book.ts';
import { newMember } from './members.ts';
import type { Registry } from '../../relay/registry.ts';
import type { Granted } from '../../src/lib/access/api.ts';
import { parseSecret, peerIdFor } from '../../src/lib/access/secret.ts';
import { parseInvite } from '../../src/lib/neighbourhood/invite.ts';
import { secretsIn } from '../../src/lib/access/secret-shape.ts';

export type { Door };

export interface TestRelay extends Relay {
	data: string;
	url: string;
	logs: string[];
}

export function tempDir(prefix = 'noaber-test-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

/** A tiny built app: an index page and one immutable asset. */
export function fakeApp(): string {
	const app = tempDir('noaber-app-');
	mkdirSync(join(app, '_app/immutable'), { recursive: true });
	writeFileSync(join(app, 'index.html'), '<!doctype html><title>Noaber</title><p>app shell</p>');
	writeFileSync(join(app, '_app/immutable/start.abc123.js'), 'console.log(1)');
	return app;
}

export async function startTestRelay(
	options: {
		data?: string;
		app?: string;
		limits?: Partial<Limits>;
		maxPayload?: number;
		storage?: StorageAdapterInterface;
		storageRetryMs?: number;
		rules?: RelayOptions['rules'];
		reportMail?: RelayOptions['reportMail'];
		mail?: RelayOptions['mail'];
		push?: RelayOptions['push'];
		notifications?: boolean;
		publicUrl?: string;
		trustedProxies?: string;
		idleUnloadMs?: number;
	} = {}
): Promise<TestRelay> {
	const data = options.data ?? tempDir();
	const logs: string[] = [];
	const relay = await startRelay({
		port: 0,
		host: '127.0.0.1',
		data,
		publicUrl: options.publicUrl,
		trustedProxies: options.trustedProxies,
		...(options.idleUnloadMs ? { idleUnloadMs: options.idleUnloadMs } : {}),
		app: options.app ?? fakeApp(),
		logLevel: 'debug',
		maxPayload: options.maxPayload ?? 32 * 1024 * 1024,
		limits: { ...DEFAULT_LIMITS, ...options.limits },
		pollMs: 100,
		keyWaitMs: 500,
		storage: options.storage,
		storageRetryMs: options.storageRetryMs,
		rules: options.rules,
		reportMail: options.reportMail,
		mail: options.mail,
		push: options.push,
		notifications: options.notifications ?? true,
		logDestination: new Writable({
			write(chunk, _encoding, done) {
				logs.push(String(chunk));
				done();
			}
		})
	});
	// Every credential, ticket and link code stays out of the log, in every test (issue #11).
	const close = async () => {
		await relay.close();
		const leaked = secretsIn(logs.join(''));
		if (leaked.length) throw new Error(`a secret reached the relay's log: ${leaked[0]!.slice(0, 8)}…`);
	};
	return { ...relay, close, data, url: options.publicUrl ?? `http://127.0.0.1:${relay.port}`, logs };
}

/** A hosted neighbourhood with the credential of its first manager's device (`key`). */
export interface HostedForTest extends Hosted {
	key: string;
	memberId: string;
}

export { newMember };

export async function hostedOn(repo: Repo, registry: Registry, book: AccessBook, name: string, origin = 'http://localhost:3000'): Promise<HostedForTest> {
	const hosted = await createHosted(repo, registry, book, emptyDetails(name), { origin });
	const first = newMember(book, hosted.id, { name: 'Wijkverbinder', roles: ['manager'] });
	return { ...hosted, key: first.credential, memberId: first.memberId };
}

export async function hostNeighbourhood(relay: TestRelay, name: string): Promise<HostedForTest> {
	return hostedOn(relay.repo, relay.registry, relay.access, name, relay.url);
}

export function socketUrl(relay: { port: number }): string {
	return `ws://127.0.0.1:${relay.port}/sync`;
}

/** A stock client; with a device credential its peer id carries the device id, as the app's does. */
export function client(relay: { port: number }, key: string): Repo {
	return clientAt(socketUrl(relay), key);
}

/** A stock client that reaches the relay at `url` (ws://…/sync), for example through a proxy. */
export function clientAt(url: string, key: string): Repo {
	const deviceId = parseSecret(key)?.id;
	const peerId = deviceId ? (peerIdFor(deviceId, randomBytes(6).toString('hex')) as PeerId) : undefined;
	return new Repo({ network: [new KeyedClientAdapter(url, key, 100)], peerId });
}

/**
 * The document as a device gets it. Asked once the device's socket is through: the stock client
 * (automerge-repo 2.5.6) stops waiting for the network after one second, and on a busy machine it
 * would then call a document the relay holds "unavailable". A device the relay turns away asks
 * after a few seconds all the same, and hears nothing.
 */
export async function find<T>(repo: Repo, url: string): Promise<DocHandle<T>> {
	if (repo.networkSubsystem.adapters.length > 0 && repo.peers.length === 0) {
		await eventually(() => repo.peers.length, (n) => n > 0, 5000).catch(() => undefined);
	}
	return repo.find<T>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
}

export async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(value)}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

export const door = (relay: { port: number }, key?: string): Door => doorAt(relay.port, key);

/** Opens a raw websocket (showing the door's key first) and resolves with the close code the relay chose. */
export function rawSocket(to: Door, options: Parameters<typeof openDoor>[1] = {}): { socket: WebSocket; opened: Promise<void>; closed: Promise<number> } {
	const socket = openDoor(to, options);
	socket.on('error', () => undefined);
	const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
	const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
	return { socket, opened, closed };
}

export async function shutdown(...things: Array<{ shutdown?: () => Promise<void>; close?: () => Promise<void> } | undefined>) {
	await Promise.allSettled(
		things.map((t) => (t && 'shutdown' in t && t.shutdown ? t.shutdown() : t?.close?.()))
	);
}

/** The neighbourhood name a client sees in a root document. */
export const nameOf = (doc: unknown): string | undefined => {
	const read = readNeighbourhood(doc);
	return read.ok ? read.neighbourhood.name : undefined;
};

type Closable = { shutdown?: () => Promise<void>; close?: () => Promise<void> };

/**
 * Stops, after each test, the clients pushed onto the returned list and then the relay: clients
 * first, because the stock Node client throws when the relay resets its connection.
 */
export function stopAfterEach(relay: () => TestRelay | undefined): Closable[] {
	const repos: Closable[] = [];
	afterEach(async () => {
		await shutdown(...repos.splice(0));
		await shutdown(relay());
	});
	return repos;
}

/** Calls the relay's access API as the app does: the credential (if any) in the header. */
export async function accessCall(origin: string, action: string, body: unknown, credential?: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${origin}/api/access/${action}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Joins with an invite link over HTTP, as a new device does; returns its credential. */
export async function joinWith(origin: string, invite: string, name = 'Buur'): Promise<Granted> {
	const parsed = parseInvite(invite);
	if (!parsed) throw new Error(`not an invite: ${invite}`);
	const answer = await accessCall(origin, 'join', { root: parsed.root, ticket: parsed.ticket, name });
	if (answer.status !== 201) throw new Error(`join refused: ${answer.status} ${JSON.stringify(answer.body)}`);
	return answer.body as unknown as Granted;
}
