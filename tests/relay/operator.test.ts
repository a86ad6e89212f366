// The operator's access commands (`noaber members`, `remove-member`, `remove-device`, `tickets`,
// `withdraw-ticket`, `invite`, `close-old-key`) against a running relay: what they change reaches
// the relay's open connections, and what they print is what an operator needs.
import { describe, expect, it } from 'vitest';
import { main } from '../../relay/cli.ts';
import { accessCall, door, eventually, hostNeighbourhood, joinWith, rawSocket, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';
import { newMember } from './members.ts';

let relay: TestRelay | undefined;
stopAfterEach(() => relay);

/** Runs `noaber …` in-process against the test relay's data folder; returns exit code and output. */
async function noaber(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; json: () => unknown }> {
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) }, { NOABER_DATA: relay?.data ?? tempDir(), NOABER_PUBLIC_URL: relay?.url });
	return { code, out, err, json: () => JSON.parse(out.at(-1)!) };
}

interface MemberOut {
	id: string;
	name: string;
	status: string;
	roles: string[];
	devices: Array<{ id: string; label: string; since: string }>;
}

describe('the operator removes people from the shell', () => {
	it('removing a member closes their open connection with 4403 within 2 s; the others stay connected', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const feedBefore = relay.registry.feedToken(hosted.id);
		const annas = rawSocket(door(relay, anna.credential));
		const berts = rawSocket(door(relay, bert.credential));
		await Promise.all([annas.opened, berts.opened]);

		const listed = await noaber('members', 'Lindenbuurt', '--json');
		expect(listed.code).toBe(0);
		const members = (listed.json() as { members: MemberOut[] }).members;
		expect(members.find((m) => m.id === anna.memberId)).toMatchObject({ name: 'Anna', status: 'active', devices: [{ id: anna.deviceId, label: 'test' }] });

		const removed = await noaber('remove-member', 'Lindenbuurt', anna.memberId);
		expect(removed.code).toBe(0);
		expect(removed.out.join('\n')).toContain('Anna');
		const at = Date.now();
		expect(await annas.closed).toBe(4403);
		expect(Date.now() - at).toBeLessThan(2000);
		expect(berts.socket.readyState).toBe(berts.socket.OPEN);
		expect(await rawSocket(door(relay, anna.credential)).closed).toBe(4403);
		// The agenda feed's address she could have seen is replaced, as when a manager removes her.
		await eventually(() => (relay!.registry.reloadIfChanged(), relay!.registry.find(hosted.id)?.feedToken), (token) => token !== feedBefore, 3000);
		expect(removed.out.join('\n')).toContain('noaber feed Lindenbuurt');

		const again = await noaber('remove-member', hosted.id, anna.memberId);
		expect(again.code).toBe(1);
		expect(again.err.join('')).toContain('already removed');
		berts.socket.close();
	});

	it('removing one lost device closes only that device; the member’s other device stays in', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const code = (await accessCall(relay.url, 'linkCode', {}, anna.credential)).body.code as string;
		const tablet = await accessCall(relay.url, 'link', { root: hosted.root, code, label: 'tablet' });
		const phone = rawSocket(door(relay, anna.credential));
		const tabletSocket = rawSocket(door(relay, tablet.body.credential as string));
		await Promise.all([phone.opened, tabletSocket.opened]);

		const removed = await noaber('remove-device', hosted.id, anna.deviceId, '--json');
		expect(removed.code).toBe(0);
		expect(removed.json()).toMatchObject({ deviceId: anna.deviceId, memberId: anna.memberId, removed: true, otherDevices: 1 });
		expect(await phone.closed).toBe(4403);
		expect(tabletSocket.socket.readyState).toBe(tabletSocket.socket.OPEN);
		const members = ((await noaber('members', hosted.id, '--json')).json() as { members: MemberOut[] }).members;
		expect(members.find((m) => m.id === anna.memberId)?.devices.map((d) => d.label)).toEqual(['tablet']);
		tabletSocket.socket.close();
	});

	it('the last manager cannot be removed; after a manager’s invitation from the shell is used, they can be', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const managers = rawSocket(door(relay, hosted.key));
		await managers.opened;
		const refused = await noaber('remove-member', 'Lindenbuurt', hosted.memberId);
		expect(refused.code).toBe(1);
		expect(refused.err.join('')).toMatch(/last manager of Lindenbuurt/);
		expect((await accessCall(relay.url, 'me', {}, hosted.key)).body.roles).toEqual(['manager']);
		expect(managers.socket.readyState).toBe(managers.socket.OPEN);

		// The manager lost her only phone: the operator lets a new manager in, then the old entry can go.
		const handover = await noaber('invite', 'Lindenbuurt', '--for', 'Fatima', '--manager', '--json');
		expect(handover.json()).toMatchObject({ personal: 'Fatima', manager: true });
		const fatima = await joinWith(relay.url, (handover.json() as { invite: string }).invite, 'Fatima');
		expect((await accessCall(relay.url, 'me', {}, fatima.credential)).body.roles).toEqual(['manager']);
		expect((await noaber('remove-member', 'Lindenbuurt', hosted.memberId)).code).toBe(0);
		expect(await managers.closed).toBe(4403);
	});
});

describe('the operator handles invitations from the shell', () => {
	it('withdraw-ticket makes an invite link refuse; a personal invitation with an end date works once', async () => {
		relay = await startTestRelay();
		await hostNeighbourhood(relay, 'Lindenbuurt');
		const made = await noaber('invite', 'Lindenbuurt', '--json');
		expect(made.code).toBe(0);
		const { invite, ticketId } = made.json() as { invite: string; ticketId: string };

		const listed = (await noaber('tickets', 'Lindenbuurt', '--json')).json() as Array<{ id: string; state: string; personal?: string }>;
		expect(listed.find((t) => t.id === ticketId)).toMatchObject({ state: 'open' });
		expect(listed.find((t) => t.id === ticketId)?.personal).toBeUndefined();
		const withdrawn = await noaber('withdraw-ticket', 'Lindenbuurt', ticketId);
		expect(withdrawn.code).toBe(0);
		await expect(joinWith(relay.url, invite, 'Eva')).rejects.toThrow('403');
		const after = (await noaber('tickets', 'Lindenbuurt', '--json')).json() as Array<{ id: string; state: string }>;
		expect(after.find((t) => t.id === ticketId)?.state).toBe('withdrawn');

		// The link is the last line, for the operator to copy; the date is the last day it works.
		const personal = await noaber('invite', 'Lindenbuurt', '--for', 'Mevrouw Jansen', '--until', '2099-01-31');
		expect(personal.code).toBe(0);
		expect(personal.out.join('\n')).toContain('Mevrouw Jansen');
		const link = personal.out.at(-1)!;
		expect(link).toMatch(/\/join#.*&t=/);
		const tickets = (await noaber('tickets', 'Lindenbuurt', '--json')).json() as Array<{ personal?: string; expiresAt?: string }>;
		expect(tickets.find((t) => t.personal === 'Mevrouw Jansen')?.expiresAt).toBe('2099-01-31T23:00:00.000Z');
		expect((await joinWith(relay.url, link, 'Mevrouw Jansen')).status).toBe('active');
		await expect(joinWith(relay.url, link, 'Iemand anders')).rejects.toThrow('403');
	});

	it('members --json lists a member who waits for approval', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		await accessCall(relay.url, 'settings', { approval: 'approval' }, hosted.key);
		const asked = await accessCall(relay.url, 'join', { root: hosted.root, name: 'Carla' });
		expect(asked.body.status).toBe('waiting');

		const listed = await noaber('members', 'Lindenbuurt', '--json');
		const view = listed.json() as { approval: string; members: MemberOut[] };
		expect(view.approval).toBe('approval');
		expect(view.members.filter((m) => m.status === 'waiting').map((m) => m.name)).toEqual(['Carla']);
		const plain = await noaber('members', 'Lindenbuurt');
		expect(plain.out.join('\n')).toMatch(/waiting for approval \(1\)[^]*Carla/);
	});

	it('no ticket, credential or link code reaches the relay’s logs while the operator works', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const annas = rawSocket(door(relay, anna.credential));
		await annas.opened;
		const made = (await noaber('invite', 'Lindenbuurt', '--for', 'Bert', '--json')).json() as { invite: string; ticketId: string };
		const bert = await joinWith(relay.url, made.invite, 'Bert');
		const code = (await accessCall(relay.url, 'linkCode', {}, bert.credential)).body.code as string;
		await noaber('remove-member', 'Lindenbuurt', anna.memberId);
		expect(await annas.closed).toBe(4403);
		await noaber('close-old-key', 'Lindenbuurt');
		await eventually(() => relay!.logs.join(''), (logs) => logs.includes('access changed on disk'));

		const logs = relay.logs.join('');
		const ticket = new URLSearchParams(made.invite.split('#')[1]).get('t')!;
		for (const secret of [ticket, anna.credential, bert.credential, hosted.key, code]) {
			expect(logs).not.toContain(secret);
			expect(logs).not.toContain(secret.split('.').at(-1));
		}
	});
});

describe('the operator mistypes', () => {
	it('an unknown neighbourhood, member, device or ticket exits 1 naming what to run; bad usage exits 2', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const ticketsBefore = ((await noaber('tickets', hosted.id, '--json')).json() as unknown[]).length;
		const nobody = await noaber('members', 'Eikenbuurt');
		expect([nobody.code, nobody.err.join('')]).toEqual([1, 'No neighbourhood "Eikenbuurt" on this relay. See: noaber list']);
		const member = await noaber('remove-member', 'Lindenbuurt', 'onbekend-lid-01');
		expect(member.code).toBe(1);
		expect(member.err.join('')).toContain('See: noaber members Lindenbuurt');
		const device = await noaber('remove-device', 'Lindenbuurt', '-onbekendApparaat');
		expect(device.code).toBe(1);
		expect(device.err.join('')).toContain('See: noaber members Lindenbuurt');
		const ticket = await noaber('withdraw-ticket', 'Lindenbuurt', 'onbekendTicket1');
		expect(ticket.code).toBe(1);
		expect(ticket.err.join('')).toContain('See: noaber tickets Lindenbuurt');

		expect((await noaber('remove-member', 'Lindenbuurt')).code).toBe(2);
		expect((await noaber('members')).code).toBe(2);
		expect((await noaber('members', 'Lindenbuurt', '--for', 'Anna')).code).toBe(2);
		expect((await noaber('invite', 'Lindenbuurt', '--until', '31-01-2027')).code).toBe(2);
		expect((await noaber('invite', 'Lindenbuurt', '--until', '2020-01-31')).code).toBe(2);
		expect((await noaber('invite', 'Lindenbuurt', '--for', ' ')).code).toBe(2);
		// The refused invitations made no ticket.
		expect(((await noaber('tickets', hosted.id, '--json')).json() as unknown[]).length).toBe(ticketsBefore);
	});
});
