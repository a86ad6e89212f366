// Figures of issue #16: how long the relay takes from `node bin/noaber.js relay` until /healthz
// answers, and its memory then, run from the TypeScript sources (through tsx, as a development
// checkout does) and compiled (relay-build/, NODE_ENV=production, as a production install does).
// Both are measured in one run, interleaved (sources, compiled, sources, …) so load on the machine
// hits them alike. Run `npm run build` first: the compiled relay is read from relay-build/.
//   npx tsx bench/relay-start.ts [--runs 7]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/relay/child.ts';
import { median } from './timing.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
if (!existsSync('relay-build/cli.js')) throw new Error('run `npm run build` first: relay-build/cli.js is missing');

type Mode = 'sources' | 'compiled';
const env: Record<Mode, NodeJS.ProcessEnv> = { sources: {}, compiled: { NODE_ENV: 'production' } };

async function startOnce(mode: Mode): Promise<{ ms: number; rssMb: number }> {
	const data = await mkdtemp(join(tmpdir(), 'noaber-start-'));
	const port = await freePort();
	const started = performance.now();
	const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], {
		env: { ...process.env, ...env[mode], PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'warn' },
		stdio: 'ignore'
	});
	try {
		for (;;) {
			if (child.exitCode !== null) throw new Error(`${mode}: the relay exited with ${child.exitCode}`);
			const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false);
			if (ok) break;
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		const ms = performance.now() - started;
		const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
		const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
		return { ms, rssMb: rssKb / 1024 };
	} finally {
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));
		await rm(data, { recursive: true, force: true });
	}
}

const results: Record<Mode, { ms: number[]; rss: number[] }> = { sources: { ms: [], rss: [] }, compiled: { ms: [], rss: [] } };
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
// One untimed start each: the disk cache holds the files for every timed run alike.
await startOnce('sources');
await startOnce('compiled');
for (let i = 0; i < runs; i++) {
	for (const mode of ['sources', 'compiled'] as const) {
		const { ms, rssMb } = await startOnce(mode);
		results[mode].ms.push(ms);
		results[mode].rss.push(rssMb);
	}
}
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| relay | start to /healthz, median (min–max) | RSS then, median |');
console.log('|---|---|---|');
for (const mode of ['sources', 'compiled'] as const) {
	const { ms, rss } = results[mode];
	console.log(`| ${mode} | ${median(ms).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${median(rss).toFixed(0)} MB |`);
}
