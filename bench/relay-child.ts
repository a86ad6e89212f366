// A relay checkout started the way an operator starts it (`node bin/noaber.js relay`), in a process
// of its own: what is measured is the relay, not the event loop of whoever measures it. Any checkout
// works (for example the base commit beside this branch), as long as it has its node_modules.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { AccessBook } from '../relay/access-book.ts';
import { newMember } from '../tests/relay/members.ts';
import { promisify } from 'node:util';

import { doorAt, readsKeyFromAddress, type Door } from '../tests/relay/door.ts';

const run = promisify(execFile);

export interface RelayChild {
	port: number;
	/** Where a member of this relay connects, showing `key` the way this checkout reads it. */
	door(key: string): Door;
	/** http://127.0.0.1:port */
	url: string;
	/** Everything the relay printed (its JSON log included). */
	output(): string;
	/** Whether the process has exited, and how. */
	exitCode(): number | null | undefined;
	/** The most memory the process has held so far (resident set high-water mark, Linux), in bytes. */
	peakMemory(): number | undefined;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((done) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/**
 * `nodeArgs`: e.g. ['--cpu-prof'] to see where the relay spends its time. `port` and `env` (e.g.
 * NOABER_PUBLIC_URL) for a relay whose links must be known before it starts.
 */
export async function startRelayChild(options: {
	checkout?: string;
	data: string;
	logLevel?: string;
	nodeArgs?: string[];
	port?: number;
	env?: NodeJS.ProcessEnv;
}): Promise<RelayChild> {
	const checkout = resolve(options.checkout ?? '.');
	const port = options.port ?? (await freePort());
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(checkout, 'bin/noaber.js'), 'relay'], {
		cwd: checkout,
		env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: options.data, LOG_LEVEL: options.logLevel ?? 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	let exit: number | null | undefined;
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const exited = new Promise<void>((r) => child.once('exit', (code) => ((exit = code), r())));
	// A relay started for a measurement must not outlive it, even when the measurement fails.
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	void exited.then(() => process.off('exit', kill));
	const url = `http://127.0.0.1:${port}`;
	try {
		await until(() => fetch(`${url}/healthz`).then((r) => r.ok, () => exit !== undefined), 30_000, 'relay did not answer /healthz');
		if (exit !== undefined) throw new Error(`relay exited with ${exit}: ${output}`);
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	}
	const legacy = readsKeyFromAddress(checkout);
	return {
		door: (key) => doorAt(port, key, legacy),
		port,
		url,
		output: () => output,
		exitCode: () => exit,
		peakMemory() {
			try {
				const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
				return kb ? Number(kb) * 1024 : undefined;
			} catch {
				return undefined;
			}
		},
		async stop() {
			if (exit !== undefined) return;
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(killer);
		}
	};
}

export interface CreatedNeighbourhood {
	id: string;
	key: string;
	root: string;
	/** The link a resident opens to join. */
	invite: string;
}

/** Creates a neighbourhood with the checkout's own operator command, as an operator would. */
export async function createWithCli(options: { checkout?: string; data: string; name: string; port: number; origin?: string }): Promise<CreatedNeighbourhood> {
	const checkout = resolve(options.checkout ?? '.');
	const { stdout } = await run(process.execPath, [join(checkout, 'bin/noaber.js'), 'create', options.name, '--json'], {
		cwd: checkout,
		env: { ...process.env, NOABER_DATA: options.data, NOABER_PUBLIC_URL: options.origin ?? `http://localhost:${options.port}` }
	});
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<CreatedNeighbourhood, 'key'> & { key?: string };
	// A relay of before December 2026 prints its shared key; a newer one a first invitation, so the
	// benchmark's device gets its own credential as the operator's command would make it.
	const key = created.key ?? newMember(new AccessBook(options.data), created.id, { name: 'Bench', roles: ['manager'] }).credential;
	return { ...created, key };
}

