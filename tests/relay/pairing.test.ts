// Two relays as two operators run them (child processes, two data folders): the library's operator
// makes a pairing code, the neighbourhood's manager adds the library's relay through their own, and
// from then on members, devices and roles are the same at both doors, also after one was down.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Repo } from '@automerge/automerge-repo/slim';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { CLOSE } from '../../relay/guard.ts';
import { secretsIn } from '../../src/lib/access/secret-shape.ts';
import { inviteLink } from '../../src/lib/neighbourhood/invite.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { accessCall, client, door, eventually, find, joinWith, nameOf, rawSocket, shutdown, tempDir } from './harness.ts';
import { freePort, shell, startRelayAt } from './two-relays.ts';

const children: ChildProcess[] = [];
const repos: Repo[] = [];

afterAll(async () => {
	await shutdown(...repos.splice(0));
	for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const startChild = (data: string, port: number) => startRelayAt(data, port, children);

describe('a second relay, paired with a one-time code', () => {
	const dataA = tempDir();
	const dataB = tempDir();
	let portA = 0;
	let portB = 0;
	let a: Awaited<ReturnType<typeof startChild>>;
	let b: Awaited<ReturnType<typeof startChild>>;
	const A = () => `http://127.0.0.1:${portA}`;
	const B = () => `http://127.0.0.1:${portB}`;
	let created: Record<string, string>;
	let manager: { credential: string; deviceId: string };

	it('lets a manager add the library’s relay with its operator’s code; their own credential then opens its door', async () => {
		[portA, portB] = [await freePort(), await freePort()];
		// The pairing code can be made whether or not B runs: both relays' operators at once.
		const startA = async () => {
			created = await shell(dataA, portA, 'create', 'Lindenbuurt', '--json');
			a = await startChild(dataA, portA);
		};
		const [pairing] = await Promise.all([shell(dataB, portB, 'pairing-code', '--json'), startA(), startChild(dataB, portB).then((child) => (b = child))]);
		manager = (await eventually(() => joinWith(A(), created.invite!, 'Fatima').catch(() => undefined), Boolean))!;
		expect(pairing.relay).toBe(B());
		// Refusals the manager can act on, and nothing used up by them.
		const add = (body: unknown, credential = manager.credential) => accessCall(A(), 'addRelay', body, credential);
		expect(await add({ url: B(), code: `${pairing.code!.split('.')[0]}.${'x'.repeat(40)}` })).toMatchObject({ status: 403, body: { error: 'ticket' } });
		expect(await add({ url: `http://127.0.0.1:${await freePort()}`, code: pairing.code })).toMatchObject({ status: 502, body: { error: 'unreachable' } });
		expect(await accessCall(B(), 'me', {}, manager.credential)).toMatchObject({ status: 401 });

		const added = await add({ url: B(), code: pairing.code });
		expect(added).toEqual({ status: 201, body: { relay: `ws://127.0.0.1:${portB}/sync` } });
		expect(await add({ url: B(), code: pairing.code })).toMatchObject({ status: 403, body: { error: 'used' } });
		const me = await accessCall(B(), 'me', {}, manager.credential);
		expect(me).toMatchObject({ status: 200, body: { roles: ['manager'], name: 'Fatima' } });

		// B hosts the neighbourhood's documents as devices bring them: the manager's device, connected
		// to both, brings the root, and a device that only reaches B reads it.
		const fatima = client({ port: portA }, manager.credential);
		repos.push(fatima);
		// On a busy machine the stock client may call itself ready before the relay let it in: it would
		// then find the document 'unavailable' (automerge-repo 2.5.6). Asked once it is connected.
		await eventually(() => fatima.peers.length, (n) => n > 0, 20_000);
		expect(nameOf((await find<RootDoc>(fatima, created.root!)).doc())).toBe('Lindenbuurt');
		// Then it connects to B too, as a device does once the root lists B.
		fatima.networkSubsystem.addNetworkAdapter(new KeyedClientAdapter(`ws://127.0.0.1:${portB}/sync`, manager.credential, 100));
		// A device that asked before the root reached B hears 'unavailable': each try is a fresh device.
		const root = await eventually(
			async () => {
				const onlyB = client({ port: portB }, manager.credential);
				try {
					await eventually(() => onlyB.peers.length, (n) => n > 0, 20_000);
					const handle = await find<RootDoc>(onlyB, created.root!);
					return handle.isReady() ? nameOf(handle.doc()) : undefined;
				} finally {
					await shutdown(onlyB);
				}
			},
			(name) => name === 'Lindenbuurt',
			15_000
		);
		expect(root).toBe('Lindenbuurt');
	}, 120_000);

	it('lets a member who joined on one relay in at the other, and shuts a removed device out at both', async () => {
		const ticket = await accessCall(A(), 'makeTicket', {}, manager.credential);
		expect(ticket.status).toBe(201);
		const invite = inviteLink(A(), { relay: `ws://127.0.0.1:${portA}/sync`, root: created.root!, ticket: ticket.body.ticket as string });
		const anna = await joinWith(A(), invite, 'Anna');
		// Polled as the manager sees it: polling with Anna's credential would count as guessing at B's door.
		const knownAt = (origin: string, memberId: string) =>
			eventually(
				() => accessCall(origin, 'members', {}, manager.credential),
				(r) => (r.body.members as Array<{ id: string }> | undefined)?.some((m) => m.id === memberId) === true
			);
		await knownAt(B(), anna.memberId).catch((e: unknown) => {
			console.log('A SAYS', a.output(), 'B SAYS', b.output());
			throw e;
		});
		expect(await accessCall(B(), 'me', {}, anna.credential)).toMatchObject({ status: 200, body: { name: 'Anna', roles: [] } });
		// The invitation was replicated too: a neighbour joins at the library's relay with it, and is known at A.
		const bert = await joinWith(B(), invite, 'Bert');
		await knownAt(A(), bert.memberId);
		expect(await accessCall(A(), 'me', {}, bert.credential)).toMatchObject({ status: 200, body: { name: 'Bert' } });

		const annaAtB = rawSocket(door({ port: portB }, anna.credential));
		await annaAtB.opened;
		expect((await accessCall(A(), 'removeDevice', { deviceId: anna.deviceId }, manager.credential)).status).toBe(200);
		expect(await annaAtB.closed).toBe(CLOSE.removed);
		expect(await accessCall(B(), 'me', {}, anna.credential)).toMatchObject({ status: 403, body: { error: 'removed' } });
		expect(await accessCall(A(), 'me', {}, anna.credential)).toMatchObject({ status: 403, body: { error: 'removed' } });
	}, 40_000);

	it('brings a relay that was down up to date when it returns', async () => {
		const bert = (await accessCall(A(), 'members', {}, manager.credential)).body.members as Array<{ id: string; name: string }>;
		const bertId = bert.find((m) => m.name === 'Bert')!.id;
		await shutdown(...repos.splice(0));
		b.child.kill('SIGTERM');
		expect(await b.exited).toBe(0);

		expect((await accessCall(A(), 'roles', { memberId: bertId, roles: ['agenda'] }, manager.credential)).status).toBe(200);
		b = await startChild(dataB, portB);
		const fatimaAtB = await eventually(
			() => accessCall(B(), 'members', {}, manager.credential),
			(r) => (r.body.members as Array<{ id: string; roles: string[] }> | undefined)?.find((m) => m.id === bertId)?.roles.join() === 'agenda'
		);
		expect(fatimaAtB.status).toBe(200);

		b.child.kill('SIGTERM');
		a.child.kill('SIGTERM');
		expect(await Promise.all([b.exited, a.exited])).toEqual([0, 0]);
		// Peer secrets, credentials and the pairing code stay out of both relays' logs.
		expect(secretsIn(a.output() + b.output())).toEqual([]);
		expect(a.output()).toContain('relay added');
	}, 60_000);
});
