// A relay from any checkout, started as the operator starts it (`node bin/noaber.js relay`) with a
// fresh data folder and one neighbourhood, and a watcher that polls /healthz and reads its memory.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Target } from './hostile-peer.ts';
import { AccessBook } from '../relay/access-book.ts';
import { newMember } from '../tests/relay/members.ts';
import { readsKeyFromAddress } from '../tests/relay/door.ts';

const run = promisify(execFile);

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
	/** Milliseconds after the start of the watch. */
	at: number;
}

export interface RunningRelay extends Target {
	checkout: string;
	data: string;
	root: string;
	child: ChildProcess;
	/** Resolves when the process ends, however it ends. */
	exited: Promise<Exit>;
	exit: Exit | undefined;
	/** The last lines it printed, for a reason when it dies. */
	output(): string;
	/** Stops it and starts it again on the same data folder, as an operator's restart does. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export const HEALTH_POLL_MS = 50;

async function freePort(): Promise<number> {
	return new Promise((done) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function healthy(port: number): Promise<boolean> {
	return fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })
		.then((r) => r.ok)
		.catch(() => false);
}

/**
 * Environment a fixed relay may honour; `NOABER_SYNC_TIMEOUT_MS` shortens automerge-repo's 60 s
 * wait for a document nobody sends. Only 127.0.0.1 is ever used. `NOABER_RULES=off`: these cases
 * sync plain documents that are no neighbourhood's (`{ n: 1 }`), which the modules' rules (#12)
 * rightly refuse, so with them on the honest member of a case could not even open its document.
 * What the rules cost is measured by `bench/referee.ts`; relays from before #12 ignore the setting.
 */
export function relayEnvironment(port: number, data: string): NodeJS.ProcessEnv {
	return {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		NOABER_DATA: data,
		NOABER_PUBLIC_URL: `http://127.0.0.1:${port}`,
		NOABER_APP: join(data, 'no-app'),
		LOG_LEVEL: 'warn',
		NOABER_SYNC_TIMEOUT_MS: '2000',
		NOABER_RULES: 'off'
	};
}

/** Asks a relay to stop; one that hangs on its way down is killed, as a service manager would. */
async function shutDown(child: ChildProcess): Promise<void> {
	const gone = new Promise((done) => child.once('exit', done));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await gone;
	clearTimeout(timer);
}

export async function startRelay(checkout: string, settings: Record<string, string> = {}): Promise<RunningRelay> {
	const dir = resolve(checkout);
	const data = mkdtempSync(join(tmpdir(), 'noaber-hostile-'));
	const port = await freePort();
	// The compiled relay, as a production install runs it: through tsx it holds ~130 MB more.
	const env = { ...relayEnvironment(port, data), NODE_ENV: 'production', ...settings };
	const { stdout } = await run(process.execPath, ['bin/noaber.js', 'create', 'Vijandige buurt', '--json'], { cwd: dir, env });
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: string; key?: string; root: string; relay: string };
	// Before December 2026 the relay printed its shared key; since then each device has a credential.
	const hosted = { ...created, key: created.key ?? newMember(new AccessBook(data), created.id, { name: 'Bench', roles: ['manager'] }).credential };
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-8000);
	};
	const started = Date.now();
	let restarting = false;
	let ended: (exit: Exit) => void = () => undefined;
	const spawnRelay = () => {
		const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		child.once('exit', (code, signal) => {
			if (restarting) return;
			relay.exit = { code, signal, at: Date.now() - started };
			ended(relay.exit);
		});
		return child;
	};
	const relay: RunningRelay = {
		checkout: dir,
		data,
		port,
		key: hosted.key,
		legacy: readsKeyFromAddress(dir),
		root: hosted.root.replace('automerge:', ''),
		child: spawnRelay(),
		exit: undefined,
		exited: new Promise((done) => (ended = done)),
		output: () => output,
		async restart() {
			restarting = true;
			await shutDown(relay.child);
			restarting = false;
			relay.child = spawnRelay();
			await untilHealthy();
		},
		async stop() {
			if (!relay.exit) await shutDown(relay.child);
			rmSync(data, { recursive: true, force: true });
		}
	};
	const untilHealthy = async () => {
		const deadline = Date.now() + 30_000;
		while (!(await healthy(port))) {
			if (relay.exit || Date.now() > deadline) {
				await relay.stop();
				throw new Error(`relay in ${dir} did not start:\n${output}`);
			}
			await new Promise((r) => setTimeout(r, 100));
		}
	};
	await untilHealthy();
	return relay;
}

export interface Watched {
	/** Longest time from a /healthz request that got no answer until the next answer (or the end). */
	longestSilenceMs: number;
	/** Highest resident memory sampled (VmRSS), and the kernel's high-water mark when still alive. */
	peakRssBytes: number;
	highWaterBytes: number | undefined;
	/** Resident memory at the end of the watch (undefined when the relay is gone). */
	endRssBytes: number | undefined;
}

export interface Watch {
	rss(): number | undefined;
	stop(): Promise<Watched>;
}

export function readStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

// In a worker thread: the benchmark's own work (crafting, flooding, stock clients) must not delay
// the polls, or a busy benchmark would look like a silent relay.
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { port, pid, every } = workerData;
let pendingSince, longest = 0, peak = 0, stopping = false;
const rss = () => {
	try {
		const m = /^VmRSS:\\s+(\\d+) kB/m.exec(readFileSync('/proc/' + pid + '/status', 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch { return undefined; }
};
const sampler = setInterval(() => {
	const now = rss();
	if (now !== undefined) { peak = Math.max(peak, now); parentPort.postMessage({ rss: now }); }
}, every);
(async () => {
	while (!stopping) {
		const sent = Date.now();
		pendingSince ??= sent;
		try {
			const res = await fetch('http://127.0.0.1:' + port + '/healthz', { cache: 'no-store' });
			await res.arrayBuffer();
			if (res.ok) { longest = Math.max(longest, Date.now() - pendingSince); pendingSince = undefined; }
		} catch {}
		await new Promise((r) => setTimeout(r, every));
	}
})();
parentPort.on('message', () => {
	stopping = true;
	clearInterval(sampler);
	const now = rss();
	if (now !== undefined) peak = Math.max(peak, now);
	if (pendingSince !== undefined) longest = Math.max(longest, Date.now() - pendingSince);
	parentPort.postMessage({ done: { longestSilenceMs: longest, peakRssBytes: peak, endRssBytes: now } });
});
`;

export function watch(relay: RunningRelay): Watch {
	const pid = relay.child.pid!;
	const worker = new Worker(WATCHER, { eval: true, workerData: { port: relay.port, pid, every: HEALTH_POLL_MS } });
	let last: number | undefined;
	let result: ((watched: Watched) => void) | undefined;
	worker.on('message', (message: { rss?: number; done?: Omit<Watched, 'highWaterBytes'> }) => {
		if (message.rss !== undefined) last = message.rss;
		if (message.done) result?.({ ...message.done, highWaterBytes: readStatus(pid, 'VmHWM') });
	});
	return {
		rss: () => last,
		stop: () =>
			new Promise<Watched>((done) => {
				result = (watched) => {
					void worker.terminate();
					done(watched);
				};
				worker.postMessage('stop');
			})
	};
}
