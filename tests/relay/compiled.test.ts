// The relay compiled at build time runs with plain Node, as a production install has it: no
// TypeScript, no runtime compiler, and only the packages listed as dependencies.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { chmod, chown, copyFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repo } from '@automerge/automerge-repo/slim';
import { createFromShell, freePort, startChild, type Child } from './child.ts';
import { client, fakeApp, find, shutdown, tempDir } from './harness.ts';

const run = promisify(execFile);
const production = { NODE_ENV: 'production' };

async function filesIn(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesIn(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
	return nested.flat();
}

/** The packages a compiled file imports: bare names, without a subpath. */
function packagesImported(code: string): string[] {
	const specifiers = [...code.matchAll(/(?:^|[\s;])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"'.][^"']*)["']|import\(\s*["']([^"'.][^"']*)["']\s*\)/gm)].map((m) => m[1] ?? m[2]);
	return specifiers.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

let relay: Child | undefined;
let installed: Child | undefined;
let contained: Child | undefined;
let device: Repo | undefined;
let data: string;

beforeAll(async () => {
	await run(process.execPath, ['relay/build.mjs']);
	data = await mkdtemp(join(tmpdir(), 'noaber-compiled-'));
}, 60_000);

afterAll(async () => {
	if (device) await shutdown(device);
	for (const child of [relay, installed, contained]) {
		child?.child.kill('SIGTERM');
		await child?.exited;
	}
	await rm(data, { recursive: true, force: true });
});

describe('the compiled relay', () => {
	it('imports only Node itself and the packages a production install has', async () => {
		const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { dependencies: Record<string, string> };
		const files = (await filesIn('relay-build')).filter((f) => f.endsWith('.js'));
		expect(files.length).toBeGreaterThan(0);
		const imported = new Set((await Promise.all(files.map((f) => readFile(f, 'utf8')))).flatMap(packagesImported));
		const builtin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);
		const missing = [...imported].filter((name) => !builtin(name) && !(name in pkg.dependencies));
		expect(missing).toEqual([]);
		// The bundle really was read: the relay's own storage and sync packages are among its imports.
		expect(imported).toContain('@automerge/automerge-repo-storage-nodefs');
		expect(imported).not.toContain('tsx');
	});

	it('answers --version, and starts healthy and ready to store', async () => {
		const { stdout } = await run(process.execPath, ['bin/noaber.js', '--version'], { env: { ...process.env, ...production } });
		const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
		expect(stdout.trim()).toBe(`noaber ${version}`);

		relay = await startChild(data, production);
		const health = (await (await fetch(`http://127.0.0.1:${relay.port}/healthz`)).json()) as { ok: boolean };
		expect(health.ok).toBe(true);
		const ready = await fetch(`http://127.0.0.1:${relay.port}/readyz`);
		expect(ready.status).toBe(200);
	});

	it('installs for production without TypeScript or a runtime compiler, and a device syncs through it', async () => {
		// What a server gets: the compiled relay, the command, and the production packages, installed
		// from npm's cache (filled by the install these tests run in).
		const server = tempDir('noaber-production-');
		for (const file of ['package.json', 'package-lock.json']) await copyFile(file, join(server, file));
		await cp('bin', join(server, 'bin'), { recursive: true });
		await cp('relay-build', join(server, 'relay-build'), { recursive: true });
		await run('npm', ['ci', '--omit=dev', '--omit=optional', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: server, env: { ...process.env, NODE_ENV: 'production' } });
		for (const absent of ['tsx', 'typescript', 'esbuild', 'vite', 'svelte']) expect(existsSync(join(server, 'node_modules', absent)), absent).toBe(false);
		expect(existsSync(join(server, 'node_modules', '@automerge', 'automerge-repo'))).toBe(true);

		// Started without NODE_ENV=production: with no tsx to be found, the command runs the compiled relay.
		const folder = tempDir('noaber-production-data-');
		installed = await startChild(folder, { NODE_ENV: '', NOABER_APP: fakeApp() }, [join(server, 'bin', 'noaber.js'), 'relay']);
		expect((await fetch(`http://127.0.0.1:${installed.port}/`)).status).toBe(200);
		const hosted = await createFromShell(folder, installed.port);
		device = client(installed, hosted.key);
		const root = await find<{ name?: unknown }>(device, hosted.root);
		await root.whenReady();
		expect(root.doc().name).toBe('Lindenbuurt');

		// The container's last stage is this install: the same command, the same files, run by an
		// unprivileged user, checked by its HEALTHCHECK (no container runtime is needed to run these).
		const stage = (await readFile('Dockerfile', 'utf8')).split(/^FROM /m).at(-1)!;
		expect(stage).toMatch(/^RUN npm ci --omit=dev --omit=optional /m);
		expect(stage.match(/^COPY .*$/gm)).toEqual([
			'COPY package.json package-lock.json ./',
			'COPY bin ./bin',
			'COPY --from=build /app/build ./build',
			'COPY --from=build /app/relay-build ./relay-build'
		]);
		expect(stage).toMatch(/^USER node$/m);
		const healthcheck = /^HEALTHCHECK .*? CMD (.+)$/m.exec(stage)?.[1];
		expect(healthcheck).toBeDefined();
		if (process.getuid?.() !== 0) return;
		// Nobody (65534) can write only the data folder: the app and the packages are read-only to it,
		// as the container's root filesystem is.
		const nobody = { uid: 65534, gid: 65534 };
		const app = fakeApp();
		for (const dir of [server, app]) await chmod(dir, 0o755);
		const volume = tempDir('noaber-volume-');
		await chown(volume, nobody.uid, nobody.gid);
		contained = await startChild(volume, { NODE_ENV: 'production', NOABER_APP: app, HOST: '127.0.0.1' }, [join(server, 'bin', 'noaber.js'), 'relay'], { ...nobody, cwd: server });
		expect((await fetch(`http://127.0.0.1:${contained.port}/readyz`)).status).toBe(200);
		await run('sh', ['-c', healthcheck!], { env: { ...process.env, PORT: String(contained.port) } });
		await expect(run('sh', ['-c', healthcheck!], { env: { ...process.env, PORT: String(await freePort()) } })).rejects.toThrow();
	}, 180_000);
});

