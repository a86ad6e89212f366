// The relay as doorkeeper: every device its own credential, tickets that open no document by
// themselves, removal that takes effect at once, and roles that only the relay grants.
import * as A from '@automerge/automerge/slim';
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { cbor, generateAutomergeUrl } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { AccessBook, LINK_CODE_MS } from '../../relay/access-book.ts';
import { main } from '../../relay/cli.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addManager, updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { parseInvite } from '../../src/lib/neighbourhood/invite.ts';
import { readNeighbourhood } from '../../src/lib/neighbourhood/view.ts';
import * as v from 'valibot';
import { imm } from '../../src/lib/automerge/immutable.ts';
import { Granted } from '../../src/lib/access/api.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { newMember as newMemberDoc } from '../../src/lib/members/mutations.ts';
import {
	accessCall,
	client,
	door,
	eventually,
	find,
	hostNeighbourhood,
	joinWith,
	nameOf,
	rawSocket,
	socketUrl,
	startTestRelay,
	stopAfterEach,
	type TestRelay
} from './harness.ts';
import { newMember } from './members.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRing } from '../../src/lib/crypto/keys.ts';
import { openRingWithSecret, sealRingWithSecret } from '../../src/lib/crypto/ring-transfer.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const quiet = { log: () => undefined, error: () => undefined };

/** A device's repo and its root handle, ready. */
async function deviceOn(credential: string, root: string): Promise<{ repo: Repo; root: DocHandle<RootDoc> }> {
	const repo = client(relay!, credential);
	repos.push(repo);
	// Asked once through the door: the stock client stops waiting for the network after a second,
	// and on a busy machine it would then hold an unavailable handle.
	await eventually(() => repo.peers.length, (n) => n > 0, 30_000).catch(() => undefined);
	return { repo, root: await find<RootDoc>(repo, root) };
}

/** Joins as the app does after a ticket: an honest peer id that carries the device id. */
function joinFrame(senderId: string): Uint8Array {
	return cbor.encode({ type: 'join', senderId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] });
}

describe('the door', () => {
	it('refuses no key, a wrong one, a key in the address, and the ticket of an invite used as a key, with 4401', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		expect(await rawSocket(door(relay)).closed).toBe(4401);
		expect(await rawSocket(door(relay, 'AAAAAAAAAAAAAAAAAAAAAAAA')).closed).toBe(4401);
		// The key in the address, as a proxy's access log would keep it, opens nothing.
		expect(await rawSocket({ url: `${socketUrl(relay)}?key=${encodeURIComponent(hosted.key)}` }).closed).toBe(4401);
		// What an invite link carries is a ticket to join, not a way into any document.
		const { ticket } = relay.access.makeTicket(hosted.id, {});
		expect(await rawSocket(door(relay, ticket)).closed).toBe(4401);
		const invite = parseInvite(`${relay.url}/join#r=${encodeURIComponent(socketUrl(relay))}&d=${hosted.root}&t=${ticket}`)!;
		expect(invite.ticket).toBe(ticket);
	});

	it('lets a credential into its own neighbourhood only, even by a document URL', async () => {
		relay = await startTestRelay();
		const a = await hostNeighbourhood(relay, 'Lindenbuurt');
		const b = await hostNeighbourhood(relay, 'Beukenbuurt');
		const intruder = client(relay, a.key);
		const resident = client(relay, b.key);
		repos.push(intruder, resident);

		const stolen = await find<RootDoc>(intruder, b.root);
		expect(stolen.isReady()).toBe(false);
		expect(stolen.state).toBe('unavailable');

		// The intruder makes up content under B's URL and pushes it: the relay never takes it.
		const fake = intruder.import<RootDoc>(A.save(A.from<Record<string, unknown>>({ name: 'Overgenomen' })), {
			docId: b.root.replace('automerge:', '') as never
		});
		fake.change((d) => void ((d as unknown as { name: string }).name = 'Overgenomen!'));
		await new Promise((r) => setTimeout(r, 500));

		const real = await find<RootDoc>(resident, b.root);
		expect(nameOf(real.doc())).toBe('Beukenbuurt');
		expect(relay.registry.ownerOf(b.root)).toBe(b.id);
	});

	it('refuses a member who connects under another member’s peer id, and the other stays connected', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const annasPeer = `${anna.deviceId}~page1`;
		const annas = rawSocket(door(relay, anna.credential));
		await annas.opened;
		annas.socket.send(joinFrame(annasPeer));
		await eventually(() => relay!.adapter.neighbourhoodOf(annasPeer), Boolean);

		// Bert read Anna's peer id from a presence message and tries it, now and when she is gone.
		const bertsTry = rawSocket(door(relay, bert.credential));
		await bertsTry.opened;
		bertsTry.socket.send(joinFrame(annasPeer));
		expect(await bertsTry.closed).toBe(4409);
		expect(annas.socket.readyState).toBe(annas.socket.OPEN);
		// Even a peer id that was never used, as long as it carries another device's id.
		const again = rawSocket(door(relay, bert.credential));
		await again.opened;
		again.socket.send(joinFrame(`${anna.deviceId}~other`));
		expect(await again.closed).toBe(4409);
		annas.socket.close();
	});

	it('closes a removed member’s connections within 2 s, refuses them after, and the others keep syncing', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const annasSocket = rawSocket(door(relay, anna.credential));
		await annasSocket.opened;
		const bertsDevice = await deviceOn(bert.credential, hosted.root);
		const managers = await deviceOn(hosted.key, hosted.root);

		const feedBefore = relay.registry.feedToken(hosted.id);
		const removed = await accessCall(relay.url, 'removeMember', { memberId: anna.memberId }, hosted.key);
		expect(removed.status).toBe(200);
		const closedAt = Date.now();
		expect(await annasSocket.closed).toBe(4403);
		expect(Date.now() - closedAt).toBeLessThan(2000);
		expect(await rawSocket(door(relay, anna.credential)).closed).toBe(4403);
		expect((await accessCall(relay.url, 'me', {}, anna.credential)).status).toBe(403);

		updateDetails(managers.root, emptyDetails('Lindenbuurt (na het weggaan van Anna)'));
		await eventually(() => nameOf(bertsDevice.root.doc()), (name) => name === 'Lindenbuurt (na het weggaan van Anna)');
		// She was a member: the agenda's feed address, which she could have seen, is replaced.
		expect(relay.registry.find(hosted.id)?.feedToken).not.toBe(feedBefore);
		expect(relay.access.members(hosted.id).members.find((m) => m.id === anna.memberId)?.status).toBe('removed');
	});

	it('removes one lost device and keeps the member’s other device connected', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const { code } = relay.access.linkCode(relay.access.holder(anna.credential) as never);
		const tablet = await accessCall(relay.url, 'link', { root: hosted.root, code }, undefined);
		expect(tablet.status).toBe(201);
		const phone = rawSocket(door(relay, anna.credential));
		const tabletSocket = rawSocket(door(relay, tablet.body.credential as string));
		await Promise.all([phone.opened, tabletSocket.opened]);

		expect((await accessCall(relay.url, 'removeDevice', { deviceId: anna.deviceId }, hosted.key)).status).toBe(200);
		expect(await phone.closed).toBe(4403);
		expect(tabletSocket.socket.readyState).toBe(tabletSocket.socket.OPEN);
		tabletSocket.socket.close();
	});
});

describe('the home screen with the credential', () => {
	it('a member let in at once gets the neighbourhood’s home screen; one who waits for approval gets none of it', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const root = await relay.repo.find<RootDoc>(hosted.root as AutomergeUrl);
		updateDetails(root, { ...emptyDetails('Lindenbuurt'), description: 'Samen in de Lindenbuurt', contactName: 'Sanne', contactPhone: '020 123 4567' });
		const members = await relay.repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
		members.change((doc) => {
			for (const [id, name] of [['anna-00001', 'Anna'], ['bert-00001', 'Bert']]) doc.members[id] = newMemberDoc(id, { ...blankProfile(), name }, '2026-01-01T00:00:00.000Z');
		});
		const made = await accessCall(relay.url, 'makeTicket', {}, hosted.key);

		const joined = await accessCall(relay.url, 'join', { root: hosted.root, ticket: made.body.ticket, name: 'Carla' });
		expect(joined.body.status).toBe('active');
		expect(joined.body.home).toEqual({
			name: 'Lindenbuurt',
			description: 'Samen in de Lindenbuurt',
			area: '',
			contact: { name: 'Sanne', phone: '020 123 4567', hours: '' },
			modules: { help: true, agenda: true, map: true },
			members: 2,
			manager: false,
			actsForOthers: false
		});
		// The app reads it with the answer's own definition.
		expect(v.parse(Granted, joined.body).home?.name).toBe('Lindenbuurt');

		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const { code } = relay.access.linkCode(relay.access.holder(anna.credential) as never);
		const tablet = await accessCall(relay.url, 'link', { root: hosted.root, code });
		expect(tablet.body.home).toMatchObject({ name: 'Lindenbuurt', members: 2 });

		await accessCall(relay.url, 'settings', { approval: 'approval' }, hosted.key);
		const asked = await accessCall(relay.url, 'join', { root: hosted.root, ticket: made.body.ticket, name: 'Dirk' });
		expect(asked.body.status).toBe('waiting');
		expect(asked.body).not.toHaveProperty('home');
		expect(JSON.stringify(asked.body)).not.toContain('020 123 4567');

		// A device with no home screen kept asks for it with `me` (one just let in after waiting).
		const carla = joined.body.credential as string;
		expect((await accessCall(relay.url, 'me', { home: true }, carla)).body.home).toEqual(joined.body.home);
		expect((await accessCall(relay.url, 'me', {}, carla)).body).not.toHaveProperty('home');
		const waiting = await accessCall(relay.url, 'me', { home: true }, asked.body.credential as string);
		expect(waiting.body.status).toBe('waiting');
		expect(waiting.body).not.toHaveProperty('home');
		expect((await accessCall(relay.url, 'approve', { memberId: asked.body.memberId }, hosted.key)).status).toBe(200);
		expect((await accessCall(relay.url, 'me', { home: true }, asked.body.credential as string)).body.home).toMatchObject({ name: 'Lindenbuurt', members: 2 });
	});

	it('lets a member in without it when the relay cannot read the members list', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const root = await relay.repo.find<RootDoc>(hosted.root as AutomergeUrl);
		// A list nobody has: the relay cannot make the home screen, and joining must not fail on it.
		root.change((doc) => {
			doc.docs.members = imm(generateAutomergeUrl());
		});
		const made = await accessCall(relay.url, 'makeTicket', {}, hosted.key);
		const joined = await accessCall(relay.url, 'join', { root: hosted.root, ticket: made.body.ticket, name: 'Carla' });
		expect(joined.status).toBe(201);
		expect(joined.body).toMatchObject({ status: 'active', name: 'Carla' });
		expect(joined.body).not.toHaveProperty('home');
	});
});

describe('linking a second device', () => {
	it('works once with a code made on my own device, and the code opens nothing by itself', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const made = await accessCall(relay.url, 'linkCode', {}, anna.credential);
		expect(made.status).toBe(201);
		const code = made.body.code as string;
		expect(await rawSocket(door(relay, code)).closed).toBe(4401);

		const linked = await accessCall(relay.url, 'link', { root: hosted.root, code, label: 'tablet' });
		expect(linked.status).toBe(201);
		expect(linked.body).toMatchObject({ memberId: anna.memberId, status: 'active', name: 'Anna' });
		expect(linked.body.credential).not.toBe(anna.credential);
		expect((await accessCall(relay.url, 'link', { root: hosted.root, code })).status).toBe(403);
		const tablet = await deviceOn(linked.body.credential as string, hosted.root);
		expect(nameOf(tablet.root.doc())).toBe('Lindenbuurt');
	});

	it("hands the new device its member's sealed key ring once, which the relay keeps only until the code is used", async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const ring = await startRing(anna.memberId);
		const { secret, box } = await sealRingWithSecret(ring);
		const made = await accessCall(relay.url, 'linkCode', { ring: box }, anna.credential);
		expect(made.status).toBe(201);
		const stored = await readFile(join(relay.data, 'access', `${hosted.id}.json`), 'utf8');
		expect(stored).toContain(box);
		expect(stored).not.toContain(secret);
		expect(stored).not.toContain(ring.keys[0]!.priv);
		const linked = await accessCall(relay.url, 'link', { root: hosted.root, code: made.body.code, label: 'tablet' });
		expect(linked.body.ring).toBe(box);
		expect(await openRingWithSecret(linked.body.ring as string, secret)).toEqual(ring);
		expect(await readFile(join(relay.data, 'access', `${hosted.id}.json`), 'utf8')).not.toContain(box);
		expect((await accessCall(relay.url, 'linkCode', { ring: 'not a sealed ring' }, anna.credential)).status).toBe(400);
	});

	it("keeps a member's ring sealed to each of their devices, and after a device is removed asks one other device for a new key", async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const cor = newMember(relay.access, hosted.id, { name: 'Cor' });
		const url = relay.url;
		const linkDevice = async () => {
			const made = await accessCall(url, 'linkCode', {}, bert.credential);
			return (await accessCall(url, 'link', { root: hosted.root, code: made.body.code })).body as { credential: string; deviceId: string };
		};
		const [tablet, laptop] = [await linkDevice(), await linkDevice()];
		const key = (c: string) => c.repeat(43);
		expect((await accessCall(relay.url, 'keyring', { boxKey: key('a') }, bert.credential)).body).toEqual({ devices: [], rotate: false });
		await accessCall(relay.url, 'keyring', { boxKey: key('b') }, tablet.credential);
		await accessCall(relay.url, 'keyring', { boxKey: key('c') }, laptop.credential);
		const phone = (await accessCall(relay.url, 'keyring', { boxKey: key('a') }, bert.credential)).body as { devices: { id: string }[] };
		expect(phone.devices.map((d) => d.id).sort()).toEqual([tablet.deviceId, laptop.deviceId].sort());
		expect((await accessCall(relay.url, 'putKeyring', { rings: { [tablet.deviceId]: { ring: 'aa.bb', n: 1 } }, rotated: false }, bert.credential)).status).toBe(200);
		expect((await accessCall(relay.url, 'keyring', { boxKey: key('b') }, tablet.credential)).body).toMatchObject({ ring: { ring: 'aa.bb', n: 1 }, rotate: false });
		// Nobody stores a ring for another member's device.
		expect((await accessCall(relay.url, 'putKeyring', { rings: { [tablet.deviceId]: { ring: 'cc.dd', n: 9 } }, rotated: false }, cor.credential)).status).not.toBe(200);

		expect((await accessCall(relay.url, 'removeDevice', { deviceId: laptop.deviceId }, hosted.key)).status).toBe(200);
		const asked = (await accessCall(relay.url, 'keyring', { boxKey: key('b') }, tablet.credential)).body as { rotate: boolean; devices: { id: string }[] };
		expect(asked.rotate).toBe(true);
		expect(asked.devices.map((d) => d.id)).toEqual([bert.deviceId]);
		// Only one device is asked at a time, so two do not each make a new key.
		expect(((await accessCall(relay.url, 'keyring', { boxKey: key('a') }, bert.credential)).body as { rotate: boolean }).rotate).toBe(false);
		await accessCall(relay.url, 'putKeyring', { rings: { [bert.deviceId]: { ring: 'ee.ff', n: 2 } }, rotated: true }, tablet.credential);
		expect(((await accessCall(relay.url, 'keyring', { boxKey: key('b') }, tablet.credential)).body as { rotate: boolean }).rotate).toBe(false);
		expect((await accessCall(relay.url, 'keyring', { boxKey: key('a') }, bert.credential)).body).toMatchObject({ ring: { ring: 'ee.ff', n: 2 } });
	});

	it('refuses a code after ten minutes', () => {
		let now = Date.parse('2026-12-01T10:00:00Z');
		const book = new AccessBook(relayless(), () => now);
		const anna = newMember(book, 'lindenbuurt', { name: 'Anna' });
		const holder = book.holder(anna.credential);
		const { code } = book.linkCode(holder as never);
		now += LINK_CODE_MS - 1000;
		const { code: second } = book.linkCode(holder as never);
		now += 2000;
		expect(book.link('lindenbuurt', code, '')).toEqual({ refused: 'expired' });
		now -= 2000;
		expect(book.link('lindenbuurt', second, '')).toMatchObject({ memberId: anna.memberId });
	});
});

function relayless(): string {
	return `${process.env.TMPDIR ?? '/tmp'}/noaber-book-${Math.random().toString(36).slice(2)}`;
}

describe('joining', () => {
	it('with approval on, a new member syncs nothing until a manager lets them in, then gets in by itself', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		expect((await accessCall(relay.url, 'settings', { approval: 'approval' }, hosted.key)).status).toBe(200);
		const made = await accessCall(relay.url, 'makeTicket', {}, hosted.key);
		const ticket = made.body.ticket as string;
		expect((await accessCall(relay.url, 'ticket', { root: hosted.root, ticket })).body).toEqual({ name: 'Lindenbuurt', phone: '', categories: expect.arrayContaining(['boodschappen', 'vervoer']), approval: 'approval' });

		const joined = await accessCall(relay.url, 'join', { root: hosted.root, ticket, name: 'Carla' });
		expect(joined.body.status).toBe('waiting');
		const credential = joined.body.credential as string;
		expect(await rawSocket(door(relay, credential)).closed).toBe(4423);
		expect((await accessCall(relay.url, 'me', {}, credential)).body.status).toBe('waiting');
		// A waiting member cannot let themself in.
		expect((await accessCall(relay.url, 'approve', { memberId: joined.body.memberId }, credential)).status).toBe(403);

		const waiting = await accessCall(relay.url, 'members', {}, hosted.key);
		expect((waiting.body.members as Array<{ name: string; status: string }>).filter((m) => m.status === 'waiting').map((m) => m.name)).toEqual(['Carla']);
		expect((await accessCall(relay.url, 'approve', { memberId: joined.body.memberId }, hosted.key)).status).toBe(200);
		const carla = await deviceOn(credential, hosted.root);
		expect(nameOf(carla.root.doc())).toBe('Lindenbuurt');
	});

	it('without a ticket (from the public page) always waits; a withdrawn or expired ticket lets nobody in', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const asked = await accessCall(relay.url, 'join', { root: hosted.root, name: 'Dirk' });
		expect(asked.body.status).toBe('waiting');

		const made = await accessCall(relay.url, 'makeTicket', {}, hosted.key);
		expect((await accessCall(relay.url, 'withdrawTicket', { ticketId: made.body.id }, hosted.key)).status).toBe(200);
		expect((await accessCall(relay.url, 'join', { root: hosted.root, ticket: made.body.ticket, name: 'Eva' })).status).toBe(403);
		const ended = await accessCall(relay.url, 'makeTicket', { expiresAt: '2020-01-01T00:00:00.000Z' }, hosted.key);
		expect((await accessCall(relay.url, 'join', { root: hosted.root, ticket: ended.body.ticket, name: 'Eva' })).body).toEqual({ error: 'expired' });
		// Making a new ticket disconnects nobody: the manager's own device is still in.
		expect((await accessCall(relay.url, 'me', {}, hosted.key)).status).toBe(200);
	});

	it('a personal invitation lets one named person in once, without approval', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		await accessCall(relay.url, 'settings', { approval: 'approval' }, hosted.key);
		const made = await accessCall(relay.url, 'makeTicket', { personal: 'Mevrouw Jansen' }, hosted.key);
		const link = `${relay.url}/join#r=${encodeURIComponent(socketUrl(relay))}&d=${hosted.root}&t=${made.body.ticket}`;
		const jansen = await joinWith(relay.url, link, 'Mevrouw Jansen');
		expect(jansen.status).toBe('active');
		await expect(joinWith(relay.url, link, 'Iemand anders')).rejects.toThrow('403');
	});
});

describe('roles', () => {
	it('a member cannot become manager by changing a document; a manager appoints one, and the last manager stays', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna' });
		const device = await deviceOn(anna.credential, hosted.root);
		// Anna writes herself into the root's list of managers, as a stock client can.
		addManager(device.root, anna.memberId);
		const read = readNeighbourhood(device.root.doc());
		expect(read.ok && read.neighbourhood.managers).toContain(anna.memberId);

		expect((await accessCall(relay.url, 'me', {}, anna.credential)).body.roles).toEqual([]);
		expect((await accessCall(relay.url, 'members', {}, anna.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'removeMember', { memberId: hosted.memberId }, anna.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'roles', { memberId: anna.memberId, roles: ['manager'] }, anna.credential)).status).toBe(403);

		const notices: unknown[] = [];
		device.root.on('ephemeral-message', ({ message }) => notices.push(message));
		expect((await accessCall(relay.url, 'roles', { memberId: anna.memberId, roles: ['agenda', 'map'] }, hosted.key)).status).toBe(200);
		expect((await accessCall(relay.url, 'me', {}, anna.credential)).body.roles).toEqual(['agenda', 'map']);
		// Her open device hears that access changed, so the app asks again at once.
		await eventually(() => notices, (seen) => seen.some((m) => (m as { noaber?: string }).noaber === 'access-changed'));
		// Handing over: the last manager cannot step down before someone else runs the neighbourhood.
		expect((await accessCall(relay.url, 'roles', { memberId: hosted.memberId, roles: [] }, hosted.key)).body).toEqual({ error: 'lastManager' });
		await accessCall(relay.url, 'roles', { memberId: anna.memberId, roles: ['manager'] }, hosted.key);
		expect((await accessCall(relay.url, 'roles', { memberId: hosted.memberId, roles: [] }, hosted.key)).status).toBe(200);
		const handedOver = await accessCall(relay.url, 'members', {}, anna.credential);
		expect(handedOver.status).toBe(200);
		// The handover shows in the history, newest first.
		expect((handedOver.body.history as unknown[]).slice(0, 2)).toEqual([
			expect.objectContaining({ action: 'roles', by: hosted.memberId, member: hosted.memberId, roles: [] }),
			expect.objectContaining({ action: 'roles', by: hosted.memberId, member: anna.memberId, roles: ['manager'] })
		]);
	});
});

describe('the old shared key', () => {
	it('keeps working until closed, upgrades a device to its own credential once, and is refused after the manager closes it', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		// A neighbourhood from before December 2026: its record still holds the shared member key.
		const oldKey = 'OudeSleutelVanDeFlyer2025';
		relay.registry.setOldKey(hosted.id, oldKey);
		const managers = await deviceOn(hosted.key, hosted.root);
		addManager(managers.root, 'oud-lid-anna-01');
		// The relay reads her roles from its own copy of the root: the change must be there first.
		const relayRoot = await relay.repo.find<RootDoc>(hosted.root as AutomergeUrl);
		await eventually(() => JSON.stringify(relayRoot.doc()), (doc) => doc.includes('oud-lid-anna-01'));

		const legacy = rawSocket(door(relay, oldKey));
		await legacy.opened;
		const upgraded = await accessCall(relay.url, 'upgrade', { root: hosted.root, memberId: 'oud-lid-anna-01', name: 'Anna' }, oldKey);
		expect(upgraded.status).toBe(201);
		expect(upgraded.body).toMatchObject({ memberId: 'oud-lid-anna-01', status: 'active' });
		// Roles she had in the root before the update are taken over once.
		expect((await accessCall(relay.url, 'me', {}, upgraded.body.credential as string)).body.roles).toEqual(['manager']);
		// Once only: someone else with the old flyer cannot take a copy of her access.
		expect((await accessCall(relay.url, 'upgrade', { root: hosted.root, memberId: 'oud-lid-anna-01' }, oldKey)).body).toEqual({ error: 'used' });

		const closed = await accessCall(relay.url, 'closeOldKey', {}, hosted.key);
		expect(closed.status).toBe(200);
		expect(await legacy.closed).toBe(4401);
		expect(await rawSocket(door(relay, oldKey)).closed).toBe(4401);
		expect((await accessCall(relay.url, 'upgrade', { root: hosted.root, memberId: 'oud-lid-bert-01' }, oldKey)).status).toBe(403);
		const anna = await deviceOn(upgraded.body.credential as string, hosted.root);
		expect(nameOf(anna.root.doc())).toBe('Lindenbuurt');
	});
});

describe('guessing', () => {
	it('stops an address after 20 wrong tickets or credentials in ten minutes, at the API and at /sync', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		for (let i = 0; i < 20; i++) {
			const guess = `${'G'.repeat(16)}.${String(i).padStart(22, 'A')}`;
			expect((await accessCall(relay.url, 'join', { root: hosted.root, ticket: guess, name: 'Raad' })).status).toBe(403);
		}
		// Now even a right ticket is refused from this address, and so is a socket.
		const { ticket } = relay.access.makeTicket(hosted.id, {});
		expect((await accessCall(relay.url, 'join', { root: hosted.root, ticket, name: 'Eerlijk' })).body).toEqual({ error: 'tooMany' });
		expect(await rawSocket(door(relay, hosted.key)).closed).toBe(4429);
	});
});

describe('residents without a device', () => {
	it('an intermediary records whom they act for; a plain member cannot', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const carer = newMember(relay.access, hosted.id, { name: 'Mantelzorger', roles: ['intermediary'] });
		const plain = newMember(relay.access, hosted.id, { name: 'Buur' });
		expect((await accessCall(relay.url, 'managed', { memberId: 'bewoner-zonder-tel-1', name: 'Mevrouw Smit' }, carer.credential)).status).toBe(200);
		expect((await accessCall(relay.url, 'managed', { memberId: 'bewoner-zonder-tel-2', name: 'Meneer Bos' }, plain.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'me', {}, carer.credential)).body.actsFor).toEqual(['bewoner-zonder-tel-1']);
	});
});

describe('the operator', () => {
	it('creates a neighbourhood from the shell while the relay runs; its first invitation makes a manager', async () => {
		relay = await startTestRelay();
		const out: string[] = [];
		expect(
			await main(['create', 'Nieuwe', 'buurt', '--json'], { log: (l) => out.push(l), error: () => undefined }, {
				NOABER_DATA: relay.data,
				NOABER_PUBLIC_URL: relay.url
			})
		).toBe(0);
		const created = JSON.parse(out.at(-1)!) as { invite: string; relay: string; root: string };
		expect(created.relay).toBe(`ws://127.0.0.1:${relay.port}/sync`);
		const first = await joinWith(relay.url, created.invite, 'Fatima');
		expect((await accessCall(relay.url, 'me', {}, first.credential)).body.roles).toEqual(['manager']);
		const device = await deviceOn(first.credential, created.root);
		const root = await eventually(() => device.root, (h) => h.isReady());
		expect(nameOf(root.doc())).toBe('Nieuwe buurt');
	});

	it('never writes a credential, ticket, code or the old key into the logs', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		relay.registry.setOldKey(hosted.id, 'OudeSleutelVanDeFlyer2025');
		const secrets = [hosted.key];
		const made = await accessCall(relay.url, 'makeTicket', {}, hosted.key);
		secrets.push(made.body.ticket as string);
		const bert = await accessCall(relay.url, 'join', { root: hosted.root, ticket: made.body.ticket, name: 'Bert' });
		secrets.push(bert.body.credential as string);
		const code = await accessCall(relay.url, 'linkCode', {}, bert.body.credential as string);
		secrets.push(code.body.code as string);
		await accessCall(relay.url, 'link', { root: hosted.root, code: code.body.code });
		await accessCall(relay.url, 'upgrade', { root: hosted.root, memberId: 'oud-lid-anna-01' }, 'OudeSleutelVanDeFlyer2025');
		secrets.push('OudeSleutelVanDeFlyer2025');
		await deviceOn(hosted.key, hosted.root);
		await rawSocket(door(relay, `${hosted.key}x`)).closed;
		await main(['close-old-key', hosted.id], quiet, { NOABER_DATA: relay.data });
		await eventually(() => relay!.logs.join(''), (logs) => logs.includes('access changed on disk'));
		const logs = relay.logs.join('');
		for (const secret of secrets) {
			expect(logs).not.toContain(secret);
			expect(logs).not.toContain(secret.split('.').at(-1));
		}
		expect(logs).not.toContain('key=');
	});
});
