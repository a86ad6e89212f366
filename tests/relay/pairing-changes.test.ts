// Two paired relays and a device connected to both: it passes on to one relay what other members
// wrote through the other. That relay asks its peer whose those changes are, so they count as
// their author's, not as the passing device's: the author keeps writing through either relay, and
// a member who forges another's changes gets nowhere at either.
import * as A from '@automerge/automerge/slim';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { join, updateProfile } from '../../src/lib/members/mutations.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { inviteLink } from '../../src/lib/neighbourhood/invite.ts';
import { addRelay } from '../../src/lib/neighbourhood/mutations.ts';
import { imm } from '../../src/lib/automerge/immutable.ts';
import { accessCall, client, eventually, find, joinWith, shutdown, tempDir } from './harness.ts';
import { freePort, shell, startRelayAt, type RelayProcess } from './two-relays.ts';

const children: ChildProcess[] = [];
const repos: Repo[] = [];

afterAll(async () => {
	await shutdown(...repos.splice(0));
	for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A device that reached the relay before it asks for anything (see fairness.test.ts). */
async function connected(port: number, credential: string): Promise<Repo> {
	const repo = client({ port }, credential);
	repos.push(repo);
	await eventually(() => repo.peers.length, (n) => n > 0, 30_000);
	return repo;
}

async function opened<T>(repo: Repo, url: string): Promise<DocHandle<T>> {
	const handle = await find<T>(repo, url);
	await eventually(() => handle.isReady(), Boolean, 30_000);
	return handle;
}

/** The name a device that reaches only this relay reads for a member; each try is a fresh device. */
async function nameAt(port: number, credential: string, membersUrl: string, memberId: string): Promise<string | undefined> {
	const repo = await connected(port, credential);
	try {
		const handle = await find<MembersDoc>(repo, membersUrl);
		await eventually(() => handle.isReady(), Boolean, 5000).catch(() => undefined);
		const member = handle.isReady() ? handle.doc().members[memberId] : undefined;
		return member ? String(member.name) : undefined;
	} finally {
		repos.splice(repos.indexOf(repo), 1);
		await shutdown(repo);
	}
}

/** The member each actor is bound to in a relay's data folder (actors.ts). */
function bindings(data: string, neighbourhood: string): Map<string, string> {
	const lines = readFileSync(joinPath(data, 'actors', `${neighbourhood}.jsonl`), 'utf8').split('\n').filter(Boolean);
	return new Map(lines.map((line) => JSON.parse(line) as { actor: string; member: string }).map((b) => [b.actor, b.member]));
}

describe('a device connected to two paired relays', () => {
	const dataA = tempDir();
	const dataB = tempDir();
	let portA = 0;
	let portB = 0;
	let b: RelayProcess;
	let created: Record<string, string>;
	let manager: { credential: string; memberId: string };
	let anna: { credential: string; memberId: string };
	let bert: { credential: string; memberId: string };
	let membersUrl = '';

	it('passes on what a member wrote through one relay, and the other relay counts it as that member’s', async () => {
		[portA, portB] = [await freePort(), await freePort()];
		const A_ = `http://127.0.0.1:${portA}`;
		const B_ = `http://127.0.0.1:${portB}`;
		created = await shell(dataA, portA, 'create', 'Lindenbuurt', '--json');
		const [pairing] = await Promise.all([shell(dataB, portB, 'pairing-code', '--json'), startRelayAt(dataA, portA, children), startRelayAt(dataB, portB, children).then((started) => (b = started))]);
		manager = (await eventually(() => joinWith(A_, created.invite!, 'Fatima').catch(() => undefined), Boolean))!;
		expect(await accessCall(A_, 'addRelay', { url: B_, code: pairing.code }, manager.credential)).toMatchObject({ status: 201 });
		const ticket = await accessCall(A_, 'makeTicket', {}, manager.credential);
		const invite = inviteLink(A_, { relay: `ws://127.0.0.1:${portA}/sync`, root: created.root!, ticket: ticket.body.ticket as string });
		anna = await joinWith(A_, invite, 'Anna');
		bert = await joinWith(A_, invite, 'Bert');
		// Known at B's door too (access replication), as the manager sees it.
		await eventually(
			() => accessCall(B_, 'members', {}, manager.credential),
			(r) => (r.body.members as Array<{ id: string }> | undefined)?.filter((m) => m.id === anna.memberId || m.id === bert.memberId).length === 2,
			30_000
		);

		// The manager's tablet is connected to both relays, as a device is once the root lists both.
		const fatima = await connected(portA, manager.credential);
		const root = await opened<RootDoc>(fatima, created.root!);
		// As the app does once the pairing is made: the root lists B too.
		expect(addRelay(root, `ws://127.0.0.1:${portB}/sync`)).toBe(true);
		membersUrl = String(root.doc().docs.members);
		await opened<MembersDoc>(fatima, membersUrl);
		fatima.networkSubsystem.addNetworkAdapter(new KeyedClientAdapter(`ws://127.0.0.1:${portB}/sync`, manager.credential, 100));

		// Anna's phone reaches only A; she writes her profile there.
		const annasPhone = await connected(portA, anna.credential);
		const annasMembers = await opened<MembersDoc>(annasPhone, membersUrl);
		join(annasMembers, anna.memberId, { ...blankProfile(), name: 'Anna' });
		const annasActor = A.getActorId(annasMembers.doc());

		// The manager's tablet passes it on to B, where it is Anna's, not the manager's.
		await eventually(() => nameAt(portB, manager.credential, membersUrl, anna.memberId), (name) => name === 'Anna', 30_000);
		expect(bindings(dataB, created.id!).get(annasActor)).toBe(anna.memberId);
		expect(b.output()).not.toContain('actor-of-another');

		// With the tablet gone, Anna's phone finds B itself, and what she writes there is let through.
		await shutdown(fatima);
		repos.splice(repos.indexOf(fatima), 1);
		annasPhone.networkSubsystem.addNetworkAdapter(new KeyedClientAdapter(`ws://127.0.0.1:${portB}/sync`, anna.credential, 100));
		updateProfile(annasMembers, anna.memberId, { ...blankProfile(), name: 'Anna de Vries' });
		await eventually(() => nameAt(portB, manager.credential, membersUrl, anna.memberId), (name) => name === 'Anna de Vries', 30_000);
		expect(b.output()).not.toContain('change refused by rule');
	}, 150_000);

	it('lets no member pass off a change as another’s at the other relay', async () => {
		// Bert takes Anna's actor from her history and writes a change with it, at B only.
		const bertsPhone = await connected(portB, bert.credential);
		const members = await opened<MembersDoc>(bertsPhone, membersUrl);
		const annasActor = [...bindings(dataB, created.id!)].find(([, member]) => member === anna.memberId)![0];
		const forged = A.change(A.clone(members.doc(), { actor: annasActor }), (d) => {
			d.members[anna.memberId]!.name = imm('Anna (vervalst)');
		});
		members.update(() => forged);
		// B asked A, which never held it and knows the actor as Anna's: it went nowhere.
		await eventually(() => b.output(), (out) => out.includes('"rule":"not-vouched"'), 30_000);
		expect(await nameAt(portB, manager.credential, membersUrl, anna.memberId)).toBe('Anna de Vries');
		expect(await nameAt(portA, manager.credential, membersUrl, anna.memberId)).toBe('Anna de Vries');
	}, 90_000);
});
