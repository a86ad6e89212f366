// Two relays as two operators run them (child processes, two data folders, each on its own port),
// for the tests of a neighbourhood with several relays.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './child.ts';
import { eventually } from './harness.ts';

const run = promisify(execFile);

export interface RelayProcess {
	child: ChildProcess;
	output(): string;
	exited: Promise<number | null>;
}

export { freePort };

const env = (data: string, port: number) => ({
	...process.env,
	PORT: String(port),
	HOST: '127.0.0.1',
	NOABER_DATA: data,
	NOABER_PUBLIC_URL: `http://127.0.0.1:${port}`,
	LOG_LEVEL: process.env.DBG ?? 'info'
});

/** `noaber relay` on this port, serving devices at http://127.0.0.1:<port>; resolves once /healthz answers. */
export async function startRelayAt(data: string, port: number, children: ChildProcess[]): Promise<RelayProcess> {
	const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], { env: env(data, port), stdio: ['ignore', 'pipe', 'pipe'] });
	children.push(child);
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
	await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false), Boolean, 45_000);
	return { child, output: () => output, exited };
}

/** An operator command with `--json`, as the operator of the relay on this port runs it; its last line parsed. */
export async function shell(data: string, port: number, ...args: string[]): Promise<Record<string, string>> {
	const { stdout } = await run(process.execPath, ['bin/noaber.js', ...args], { env: env(data, port) });
	return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string>;
}
