// The relay as the operator runs it: a child process started by the `noaber` command.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { parseInvite } from '../../src/lib/neighbourhood/invite.ts';
import { accessCall, client, eventually, find, joinWith, shutdown, tempDir, nameOf } from './harness.ts';
import type { Repo } from '@automerge/automerge-repo/slim';

const run = promisify(execFile);
const children: ChildProcess[] = [];
const repos: Repo[] = [];

afterEach(async () => {
	await shutdown(...repos.splice(0));
	for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function startChild(data: string, port: number) {
	const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false), Boolean, 20_000);
	return { child, output: () => output, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
}

async function createFromShell(data: string, port: number) {
	const { stdout } = await run(process.execPath, ['bin/noaber.js', 'create', 'Lindenbuurt', '--json'], {
		env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://localhost:${port}` }
	});
	return JSON.parse(stdout.trim().split('\n').at(-1)!) as { id: string; invite: string; relay: string; root: string };
}

/** The relay has every change of this handle: its last known heads equal ours. */
async function relayHas(repo: Repo, handle: { heads(): string[]; getSyncInfo(id: never): { lastHeads: string[] } | undefined }) {
	await eventually(
		() => {
			const relayPeer = repo.peers[0];
			const storageId = relayPeer ? repo.getStorageIdOfPeer(relayPeer) : undefined;
			return storageId ? handle.getSyncInfo(storageId as never)?.lastHeads?.join() : undefined;
		},
		(heads) => heads === handle.heads().join()
	);
}


describe('the relay process', () => {
	it('prints where to open the app and a one-time setup link on the first start', async () => {
		const data = tempDir();
		const port = await freePort();
		const relay = await startChild(data, port);
		await eventually(relay.output, (out) => out.includes('/setup#token='));
		expect(relay.output()).toContain(`open http://localhost:${port}`);
		const link = relay.output().match(new RegExp(`http://localhost:${port}/setup#token=[\\w-]{20,}`))?.[0];
		expect(link).toBeDefined();
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);

		// Until somebody uses it, every start shows the same link again.
		const again = await startChild(data, port);
		await eventually(again.output, (out) => out.includes('/setup#token='));
		expect(again.output()).toContain(link);
		again.child.kill('SIGTERM');
		expect(await again.exited).toBe(0);
	});

	it('lets the first manager in once with the invite the shell printed, and makes new invitations while the relay runs', async () => {
		const data = tempDir();
		const port = await freePort();
		const created = await createFromShell(data, port);
		const relay = await startChild(data, port);
		const origin = `http://127.0.0.1:${port}`;
		const manager = await joinWith(origin, created.invite, 'Fatima');
		expect(manager.status).toBe('active');
		const me = await accessCall(origin, 'me', {}, manager.credential);
		expect(me.body.roles).toEqual(['manager']);
		// The first manager's invitation is personal: it lets one person in, once.
		await expect(joinWith(origin, created.invite, 'Iemand anders')).rejects.toThrow('403');

		const { stdout } = await run(process.execPath, ['bin/noaber.js', 'invite', 'Lindenbuurt'], {
			env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://localhost:${port}` }
		});
		const fresh = stdout.trim().split('\n').at(-1)!;
		const resident = await joinWith(origin, fresh, 'Anna');
		expect((await accessCall(origin, 'me', {}, resident.credential)).body.roles).toEqual([]);

		const anna = client({ port }, resident.credential);
		repos.push(anna);
		expect(nameOf((await find<RootDoc>(anna, created.root)).doc())).toBe('Lindenbuurt');
		// A second relay on the same port explains itself and exits instead of hanging.
		await expect(
			run(process.execPath, ['bin/noaber.js', 'relay'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NOABER_DATA: tempDir() }, timeout: 15_000 })
		).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`Port ${port} is already in use`) });
		await shutdown(...repos.splice(0));
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);
		for (const secret of [manager.credential, resident.credential, parseInvite(created.invite)!.ticket!, parseInvite(fresh)!.ticket!]) {
			expect(relay.output()).not.toContain(secret.split('.')[1]);
		}
	}, 30_000);

	it('keeps what reached its disk through kill -9, and flushes on SIGTERM', async () => {
		const data = tempDir();
		const port = await freePort();
		const created = await createFromShell(data, port);
		expect(created.invite).toMatch(/^http:\/\/localhost:\d+\/join#r=ws%3A%2F%2Flocalhost%3A\d+%2Fsync&d=automerge:\w+&t=[\w-]+\.[\w-]+$/);
		const first = await startChild(data, port);
		const { credential } = await joinWith(`http://127.0.0.1:${port}`, created.invite);

		const anna = client({ port }, credential);
		repos.push(anna);
		const root = await find<RootDoc>(anna, created.root);
		expect(nameOf(root.doc())).toBe('Lindenbuurt');
		updateDetails(root, emptyDetails('Lindenbuurt na kill -9'));
		await relayHas(anna, root as never);
		await new Promise((r) => setTimeout(r, 300)); // the relay's save debounce
		// The stock Node client throws on a reset connection: leave before the relay is killed.
		await shutdown(...repos.splice(0));

		first.child.kill('SIGKILL');
		await first.exited;

		const second = await startChild(data, port);
		const bert = client({ port }, credential);
		repos.push(bert);
		const after = await find<RootDoc>(bert, created.root);
		expect(nameOf(after.doc())).toBe('Lindenbuurt na kill -9');

		updateDetails(after, emptyDetails('Lindenbuurt na SIGTERM'));
		await relayHas(bert, after as never);
		await shutdown(...repos.splice(0));
		second.child.kill('SIGTERM');
		expect(await second.exited).toBe(0);

		const third = await startChild(data, port);
		const carla = client({ port }, credential);
		repos.push(carla);
		expect(nameOf((await find<RootDoc>(carla, created.root)).doc())).toBe('Lindenbuurt na SIGTERM');
		await shutdown(...repos.splice(0));
		third.child.kill('SIGTERM');
		expect(await third.exited).toBe(0);
	}, 60_000);

	it('prints the calendar feed address and replaces it while the relay runs', async () => {
		const data = tempDir();
		const port = await freePort();
		const env = { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: `http://127.0.0.1:${port}` };
		const created = await createFromShell(data, port);
		const relay = await startChild(data, port);

		const printed = await run(process.execPath, ['bin/noaber.js', 'feed', 'Lindenbuurt', '--json'], { env });
		const feed = JSON.parse(printed.stdout) as { id: string; name: string; ical: string };
		expect(feed).toEqual({ id: created.id, name: 'Lindenbuurt', ical: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${port}/ical/[\\w-]{32}\\.ics$`)) });
		const served = await fetch(feed.ical);
		expect(served.status).toBe(200);
		expect(await served.text()).toContain('BEGIN:VCALENDAR');

		const rotated = await run(process.execPath, ['bin/noaber.js', 'feed', 'Lindenbuurt', '--rotate'], { env });
		const [message, address] = rotated.stdout.trim().split('\n');
		expect(message).toBe('The old calendar address no longer works. Subscribers need this new one:');
		expect(address).toMatch(/\/ical\/[\w-]{32}\.ics$/);
		expect(address).not.toBe(feed.ical);
		// At once, not after the next poll.
		expect((await fetch(feed.ical)).status).toBe(404);
		expect((await fetch(address)).status).toBe(200);

		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);
		for (const secret of [feed.ical, address].map((url) => url.split('/ical/')[1])) expect(relay.output()).not.toContain(secret);
	}, 30_000);

	it('the operator command prints the invite link as the last line, and explains mistakes', async () => {
		const data = tempDir();
		const env = { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: 'https://buurt.example.nl' };
		const { stdout } = await run(process.execPath, ['bin/noaber.js', 'create', 'Lindenbuurt'], { env });
		const last = stdout.trim().split('\n').at(-1)!;
		expect(last).toMatch(/^https:\/\/buurt\.example\.nl\/join#r=wss%3A%2F%2Fbuurt\.example\.nl%2Fsync&d=automerge:\w+&t=[\w-]+\.[\w-]+$/);

		// Each time a new ticket: handing out a new link disconnects nobody.
		const invite = await run(process.execPath, ['bin/noaber.js', 'invite', 'Lindenbuurt'], { env });
		const again = invite.stdout.trim().split('\n').at(-1)!;
		expect(again).toMatch(/^https:\/\/buurt\.example\.nl\/join#.*&t=[\w-]+\.[\w-]+$/);
		expect(again).not.toBe(last);

		const list = await run(process.execPath, ['bin/noaber.js', 'list', '--json'], { env });
		expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'Lindenbuurt' })]);

		await expect(run(process.execPath, ['bin/noaber.js', 'invite', 'Nergensbuurt'], { env })).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringContaining('No neighbourhood "Nergensbuurt"')
		});
		await expect(run(process.execPath, ['bin/noaber.js', 'fly'], { env })).rejects.toMatchObject({
			code: 2,
			stderr: expect.stringContaining('Unknown command "fly"')
		});
		await expect(run(process.execPath, ['bin/noaber.js', 'create'], { env })).rejects.toMatchObject({
			code: 2,
			stderr: expect.stringContaining('Give the neighbourhood a name')
		});
		await expect(run(process.execPath, ['bin/noaber.js', 'create', '--hlep'], { env })).rejects.toMatchObject({
			code: 2,
			stderr: expect.stringContaining('Unknown option "--hlep"')
		});
		// Help after a command is the list of commands, with their options.
		expect((await run(process.execPath, ['bin/noaber.js', 'create', '--help'], { env })).stdout).toContain('noaber create <name> [--json]');
	}, 30_000);
});
