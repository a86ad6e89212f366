// The kill -9 experiment of issue #10, shared by tests/relay/crash.test.ts and bench/crash-loss.ts:
// a relay (of any checkout) as a child process, two stock clients writing numbered entries into one
// document of a neighbourhood, the relay killed at a random moment, restarted, and every entry
// that the OTHER client had received before the kill looked for on the relay. No vitest here: the
// bench runs it under plain tsx.
// The full entry point loads the wasm; the /slim imports below only use it.
import '@automerge/automerge';
import { Repo, type AutomergeUrl, type DocHandle, type PeerId, type PeerMetadata } from '@automerge/automerge-repo/slim';
import type { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { doorAddress, doorAt, readsKeyFromAddress, type Door } from './door.ts';
import { AccessBook } from '../../relay/access-book.ts';
import { newMember } from './members.ts';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

type Entries = Record<string, number>;
export interface CrashDoc {
	a: Entries;
	b: Entries;
}

export interface CrashOptions {
	/** The project folder whose `bin/noaber.js relay` is started. */
	checkout: string;
	rounds?: number;
	/**
	 * The clients write until each has received this many of the other's entries of the round, so
	 * every round tests something however busy the machine is…
	 */
	crossed?: number;
	/** …and then for a time drawn evenly from this range (ms), so kills land anywhere between saves. */
	writeMs?: [number, number];
	/** How often each client writes an entry (ms). */
	everyMs?: number;
	progress?: (line: string) => void;
}

export interface CrashResult {
	rounds: number;
	/** Entries one client had received from the other through the relay before a kill. */
	acknowledged: number;
	/** Of those, the ones the relay no longer had after its restart. */
	lost: number;
	/** Some of the lost entries, for the report. */
	examples: string[];
}

const run = promisify(execFile);

async function until<T>(read: () => T, ok: (value: T) => boolean, what: string, ms = 15_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * The stock client, with two things a test of a killed relay needs: the stock adapter throws on
 * ECONNRESET (an uncaught exception in the test process) and its reconnect timer outlives
 * `disconnect()`; a client that comes back after the restart would hand the relay what it lost.
 */
class KillTolerantClientAdapter extends KeyedClientAdapter {
	#stopped = false;

	constructor(to: Door) {
		super(doorAddress(to), to.legacy ? undefined : to.key, 100);
		this.onError = () => undefined;
	}

	override connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
		if (!this.#stopped) super.connect(peerId, peerMetadata);
	}

	override disconnect(): void {
		this.#stopped = true;
		if (this.socket) super.disconnect();
	}

	override send(message: Parameters<WebSocketClientAdapter['send']>[0]): void {
		try {
			super.send(message);
		} catch {
			// "Websocket not ready": the relay just died; the change stays in this client.
		}
	}
}

interface Relay {
	child: ChildProcess;
	exited: Promise<void>;
	output: () => string;
}

async function startRelay(checkout: string, data: string, port: number): Promise<Relay> {
	const child = spawn(process.execPath, [join(checkout, 'bin/noaber.js'), 'relay'], {
		cwd: checkout,
		// Numbered entries in a plain document, no neighbourhood's: the relay's plumbing, not its rules.
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'warn', NOABER_RULES: 'off' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`relay exited on start: ${output}`);
		if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false)) break;
		if (Date.now() > deadline) throw new Error(`relay did not start: ${output}`);
		await new Promise((r) => setTimeout(r, 20));
	}
	return { child, exited, output: () => output };
}

function newClient(to: Door): Repo {
	return new Repo({ network: [new KillTolerantClientAdapter(to)] });
}

/** Waits until this client holds everything the relay holds of the document (same heads). */
async function syncedWithRelay(repo: Repo, handle: DocHandle<CrashDoc>) {
	await until(
		() => {
			const relay = repo.peers[0];
			const storageId = relay ? repo.getStorageIdOfPeer(relay) : undefined;
			return storageId ? handle.getSyncInfo(storageId)?.lastHeads?.join() : undefined;
		},
		(heads) => heads !== undefined && heads === handle.heads().join(),
		'client in sync with the relay'
	);
}

async function open(repo: Repo, url: AutomergeUrl): Promise<DocHandle<CrashDoc>> {
	const handle = await repo.find<CrashDoc>(url, { allowableStates: ['ready', 'unavailable'] });
	return until(() => handle, (h) => h.isReady(), 'document ready');
}

export async function runCrashRounds(options: CrashOptions): Promise<CrashResult> {
	const { checkout, rounds = 20, crossed = 5, writeMs = [0, 300], everyMs = 5, progress = () => undefined } = options;
	const data = mkdtempSync(join(tmpdir(), 'noaber-crash-'));
	const port = await freePort();
	const { stdout } = await run(process.execPath, [join(checkout, 'bin/noaber.js'), 'create', 'Kraakbuurt', '--json'], {
		cwd: checkout,
		env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://127.0.0.1:${port}` }
	});
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: string; key?: string };
	// A relay of before December 2026 prints its shared key; a newer one a first invitation, so the
	// device gets its own credential as the operator's command would make it.
	const key = created.key ?? newMember(new AccessBook(data), created.id, { name: 'Kraak', roles: ['manager'] }).credential;
	const door = doorAt(port, key, readsKeyFromAddress(checkout));

	let relay = await startRelay(checkout, data, port);
	/**
	 * Entry ids ("a/3-17") one client had received from the other before a kill, per document. A
	 * new document each round keeps documents small, so a round costs the same at the end as at the
	 * start; the last round looks at every document again, for losses that show up later.
	 */
	const acknowledged = new Map<AutomergeUrl, Set<string>>();
	const lost = new Set<string>();
	let count = 0;
	const check = async (repo: Repo, url: AutomergeUrl) => {
		const expected = acknowledged.get(url) ?? new Set<string>();
		const handle = await repo.find<CrashDoc>(url, { allowableStates: ['ready', 'unavailable'] });
		// A relay that lost the whole document says it is unavailable.
		const ready = await until(() => handle.isReady(), Boolean, 'document ready', 5000).catch(() => false);
		if (ready) await syncedWithRelay(repo, handle);
		const doc = ready ? handle.doc() : { a: {}, b: {} };
		for (const id of expected) {
			const [who, entry] = id.split('/') as ['a' | 'b', string];
			if (!(entry in doc[who])) lost.add(id);
		}
	};

	try {
		for (let round = 1; round <= rounds + 1; round++) {
			const t0 = Date.now();
			const marks: string[] = [];
			const mark = (what: string) => marks.push(`${what} ${Date.now() - t0}`);
			const anna = newClient(door);
			const bert = newClient(door);
			try {
				// Anna is fresh: what she gets from the relay is what the relay kept through the kill.
				const previous = [...acknowledged.keys()];
				for (const url of round > rounds ? previous : previous.slice(-1)) await check(anna, url);
				mark('checked');
				if (round > rounds) break;
				const annas = anna.create<CrashDoc>({ a: {}, b: {} });
				await syncedWithRelay(anna, annas);
				const berts = await open(bert, annas.url);
				await syncedWithRelay(bert, berts);
				mark('opened');
				const received = new Set<string>();
				acknowledged.set(annas.url, received);

				let n = 0;
				const writing = setInterval(() => {
					n += 1;
					annas.change((d) => void (d.a[`${round}-${n}`] = n));
					berts.change((d) => void (d.b[`${round}-${n}`] = n));
				}, everyMs);
				await until(() => Math.min(Object.keys(berts.doc().a).length, Object.keys(annas.doc().b).length), (c) => c >= crossed, 'entries crossing');
				mark('crossed');
				const [low, high] = writeMs;
				await new Promise((r) => setTimeout(r, low + Math.random() * (high - low)));
				relay.child.kill('SIGKILL');
				clearInterval(writing);
				await relay.exited;
				// Everything the relay sent before it died has arrived once the clients see it gone.
				await until(() => anna.peers.length + bert.peers.length, (peers) => peers === 0, 'clients see the relay gone');
				mark('gone');
				for (const entry of Object.keys(berts.doc().a)) received.add(`a/${entry}`);
				for (const entry of Object.keys(annas.doc().b)) received.add(`b/${entry}`);
				count += received.size;
				progress(`round ${round}: ${n} entries written per client, ${received.size} received by the other client (${marks.join(', ')} ms)`);
			} finally {
				await Promise.allSettled([anna.shutdown(), bert.shutdown()]);
			}
			const restart = Date.now();
			relay = await startRelay(checkout, data, port);
			progress(`  restarted in ${Date.now() - restart} ms`);
			if (lost.size > 0) progress(`lost so far: ${lost.size}`);
		}
	} finally {
		relay.child.kill('SIGTERM');
		await relay.exited;
	}
	return { rounds, acknowledged: count, lost: lost.size, examples: [...lost].slice(0, 10) };
}
