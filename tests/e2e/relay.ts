// Starts the real relay (the operator's command) on a free port with a fresh data folder,
// serving the built app, and reads the setup link from what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretsIn } from '../../src/lib/access/secret-shape.ts';

export interface RunningRelay {
	origin: string;
	data: string;
	setupLink: string | undefined;
	output: () => string;
	stop: () => Promise<void>;
}

/** The relays started since the current test began: their logs are printed when it fails. */
export const relaysOfThisTest: RunningRelay[] = [];

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * `rules: 'off'` starts a relay that judges no change (NOABER_RULES=off): for damage a member's
 * device could do before December 2026, which the app must still show and repair or undo.
 */
/**
 * `data` and `port`: start again where a stopped relay was (devices know it by its address), or on
 * a copy of another relay's folder. A given folder is kept at stop.
 */
export async function startRelay(options: { data?: string; port?: number; rules?: 'off'; env?: Record<string, string> } = {}): Promise<RunningRelay> {
	const data = options.data ?? (await mkdtemp(join(tmpdir(), 'noaber-e2e-')));
	const port = options.port ?? (await freePort());
	const origin = `http://localhost:${port}`;
	const child: ChildProcess = spawn(process.execPath, ['bin/noaber.js', 'relay'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			NOABER_DATA: data,
			NOABER_PUBLIC_URL: origin,
			LOG_LEVEL: 'info',
			// The relay as it runs in production: compiled by `npm run build` (relay-build/).
			NODE_ENV: 'production',
			...(options.rules === 'off' ? { NOABER_RULES: 'off' } : {}),
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout?.on('data', (chunk) => (out += chunk));
	child.stderr?.on('data', (chunk) => (out += chunk));
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`relay exited: ${out}`);
		const ok = await fetch(`${origin}/healthz`).then((r) => r.ok).catch(() => false);
		if (ok) break;
		if (Date.now() > deadline) throw new Error(`relay did not start: ${out}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	await new Promise((r) => setTimeout(r, 100));
	const setupLink = out.match(/https?:\/\/\S+\/setup#token=[A-Za-z0-9_-]+/)?.[0];
	const running: RunningRelay = {
		origin,
		data,
		setupLink,
		output: () => out,
		stop: async () => {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				// A relay that does not stop within 15 s is a failure of its own, not a hung test run.
				const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
				await exited;
				clearTimeout(timer);
				if (child.signalCode === 'SIGKILL') throw new Error(`relay did not stop on SIGTERM:\n${out}`);
			}
			// Every credential, ticket and link code stays out of what the relay prints (issue #11).
			const leaked = secretsIn(out);
			if (leaked.length) throw new Error(`a secret reached the relay's output: ${leaked[0]!.slice(0, 8)}…`);
			if (!options.data) await rm(data, { recursive: true, force: true });
		}
	};
	relaysOfThisTest.push(running);
	return running;
}
