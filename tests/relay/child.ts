// The relay as a child process, as the operator runs it, for tests where a crash must really stop it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { AccessBook } from '../../relay/access-book.ts';
import { eventually } from './harness.ts';
import { newMember } from './members.ts';

const run = promisify(execFile);

export interface Child {
	child: ChildProcess;
	port: number;
	output(): string;
	exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * Starts `noaber relay` (or another script with the same environment) and waits for /healthz;
 * `as` runs it as another user (only a test run as root can), from another folder.
 */
export async function startChild(data: string, env: NodeJS.ProcessEnv = {}, args = ['bin/noaber.js', 'relay'], as: { uid?: number; gid?: number; cwd?: string } = {}): Promise<Child> {
	const port = await freePort();
	const child = spawn(process.execPath, args, {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		...as
	});
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => child.exitCode !== null), Boolean, 20_000);
	if (child.exitCode !== null) throw new Error(`relay exited at start: ${output}`);
	return { child, port, output: () => output, exited };
}

export async function createFromShell(data: string, port: number, name = 'Lindenbuurt') {
	const { stdout } = await run(process.execPath, ['bin/noaber.js', 'create', name, '--json'], {
		env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://localhost:${port}` }
	});
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: string; invite: string; relay: string; root: string };
	// The first manager's device, let in as the operator's command would (another process's view of
	// the data folder): a running relay reads it at the door.
	const { credential } = newMember(new AccessBook(data), created.id, { name: 'Wijkverbinder', roles: ['manager'] });
	return { ...created, key: credential };
}
