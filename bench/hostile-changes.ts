// Figures for the hostile changes of issue #10: for each, the close code the sender got, the
// longest time the relay did not answer /healthz while it was handled, and the relay's peak memory
// (VmHWM) afterwards. The relay runs as the operator runs it, as a child process.
// Run: npx tsx bench/hostile-changes.ts
import '@automerge/automerge';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDeflateRaw } from 'node:zlib';
import { bigValue, chunk, DeepChain, sendChanges } from '../tests/relay/hostile-changes.ts';
import { doorAt } from '../tests/relay/door.ts';
import { AccessBook } from '../relay/access-book.ts';
import { newMember } from '../tests/relay/members.ts';

const run = promisify(execFile);

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** A compressed change that inflates to `bytes` zeros, deflated in pieces so the bench stays small too. */
async function bomb(bytes: number): Promise<Uint8Array> {
	const deflate = createDeflateRaw({ level: 9 });
	const parts: Buffer[] = [];
	deflate.on('data', (part: Buffer) => parts.push(part));
	const done = new Promise((resolve) => deflate.once('end', resolve));
	const zeros = Buffer.alloc(1024 * 1024);
	for (let written = 0; written < bytes; written += zeros.length) {
		if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
	}
	deflate.end();
	await done;
	return chunk(2, Buffer.concat(parts));
}

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const memory = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

const data = mkdtempSync(join(tmpdir(), 'noaber-hostile-'));
const port = await freePort();
const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], {
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'error' },
	stdio: 'ignore'
});
try {
	const health = `http://127.0.0.1:${port}/healthz`;
	for (let ok = false; !ok; ) ok = await fetch(health).then((r) => r.ok).catch(() => false);
	const { stdout } = await run(process.execPath, ['bin/noaber.js', 'create', 'Benchbuurt', '--json'], {
		env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://localhost:${port}` }
	});
	const created = JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: string; key?: string; root: string };
	const hosted = { ...created, key: created.key ?? newMember(new AccessBook(data), created.id, { name: 'Bench', roles: ['manager'] }).credential };
	// The relay polls the registry every second; a fresh key may need a moment.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const socket = doorAt(port, hosted.key);

	let lastAnswer = performance.now();
	let longest = 0;
	let watching = true;
	const watcher = (async () => {
		while (watching) {
			const ok = await fetch(health, { signal: AbortSignal.timeout(180_000) }).then((r) => r.ok).catch(() => false);
			const now = performance.now();
			if (ok) {
				longest = Math.max(longest, now - lastAnswer);
				lastAnswer = now;
			}
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();

	const built = new DeepChain('stapel');
	const attacks: Array<[string, () => Promise<Uint8Array[][]>]> = [
		['maps nested 10,000 deep (one change)', async () => [[new DeepChain('aanval').grow(10_000)]]],
		['maps nested 3,000 deep in the root', async () => [[new DeepChain('aanval').grow(3_000)]]],
		['nesting built up 10 levels a message', async () => [[built.grow(10)], [built.grow(10)], [built.grow(10)]]],
		['compressed change inflating to 1 GB', async () => [[await bomb(1024 * 1024 * 1024)]]],
		['3.5 MB changes until the document is over 16 MB', async () => [0, 1, 2, 3, 4].map((i) => [bigValue(`bijlage${i}`, 3.5 * 1024 * 1024)])]
	];
	console.log(`relay pid ${child.pid}, memory at start ${mb(memory(child.pid!, 'VmRSS'))}`);
	console.log('| hostile input | sent | close code | longest /healthz silence | relay peak memory |');
	console.log('|---|---|---|---|---|');
	for (const [name, make] of attacks) {
		const batches = await make();
		const sent = batches.flat().reduce((n, c) => n + c.length, 0);
		lastAnswer = performance.now();
		longest = 0;
		const code = await sendChanges(socket, hosted.root, batches);
		// Whatever the relay still does with it shows in the next answers.
		await new Promise((resolve) => setTimeout(resolve, 500));
		console.log(`| ${name} | ${(sent / 1024).toFixed(1)} KB | ${code} | ${Math.round(longest)} ms | ${mb(memory(child.pid!, 'VmHWM'))} |`);
	}
	watching = false;
	await watcher;
} finally {
	child.kill('SIGTERM');
}
