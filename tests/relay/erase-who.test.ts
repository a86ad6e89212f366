// Who may erase whom, and erasing people who left: a manager erases a member who asked on paper,
// an intermediary records that a resident withdrew consent and the resident is erased, nobody
// else may; the last manager cannot erase themself away. Members who left longer ago than the
// period the managers set (12 months unless changed) are erased by the relay's daily round.
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { addManaged, join as joinProfile, leave } from '../../src/lib/members/mutations.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { rulesFor } from '../../src/lib/rules/documents.ts';
import { accessCall, client, eventually, find, hostNeighbourhood, newMember, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

function allFiles(folder: string): string {
	return readdirSync(folder)
		.map((name) => {
			const path = join(folder, name);
			return statSync(path).isDirectory() ? allFiles(path) : readFileSync(path).toString('latin1');
		})
		.join('\n');
}

async function membersOn(credential: string, root: string): Promise<{ repo: Repo; members: DocHandle<MembersDoc> }> {
	const repo = client(relay!, credential);
	repos.push(repo);
	const rootHandle = await find<RootDoc>(repo, root);
	await eventually(() => rootHandle.isReady(), Boolean);
	const members = await find<MembersDoc>(repo, String(rootHandle.doc()!.docs.members));
	await eventually(() => members.isReady(), Boolean);
	return { repo, members };
}

/** Stops a device before its member is erased, so it does not knock on the closed door meanwhile. */
async function putAway(repo: Repo) {
	repos.splice(repos.indexOf(repo), 1);
	await repo.shutdown();
}

const MONTH = 31 * 24 * 60 * 60 * 1000;

describe('who may erase whom', () => {
	it('a manager erases a member, an intermediary a resident whose consent was withdrawn; others may not', { timeout: 30_000 }, async () => {
		relay = await startTestRelay({ rules: rulesFor });
		const hosted = await hostNeighbourhood(relay, 'De Linde');
		const carla = newMember(relay.access, hosted.id, { name: 'Carla Papier' });
		const ingrid = newMember(relay.access, hosted.id, { name: 'Ingrid', roles: ['intermediary'] });
		const dirk = newMember(relay.access, hosted.id, { name: 'Dirk' });
		const henk = 'henk-resident-0001';
		expect(relay.access.addManaged(hosted.id, ingrid.memberId, henk, 'Henk Zonderfoon')).toBeUndefined();

		const c = await membersOn(carla.credential, hosted.root);
		joinProfile(c.members, carla.memberId, { ...blankProfile(), name: 'Carla Papier', phone: '0612121212', phoneVisibility: 'members' });
		const i = await membersOn(ingrid.credential, hosted.root);
		joinProfile(i.members, ingrid.memberId, { ...blankProfile(), name: 'Ingrid' });
		addManaged(i.members, henk, { ...blankProfile(), name: 'Henk Zonderfoon', phone: '0503434343', phoneVisibility: 'members' }, { by: ingrid.memberId, how: 'in-person' });
		const relayMembers = () => relay!.repo.handles[c.members.documentId]?.doc() as MembersDoc | undefined;
		await eventually(() => relayMembers(), (doc) => doc?.members[henk] !== undefined && doc?.members[carla.memberId] !== undefined);
		// Raw bytes: a change large enough is stored deflated, so only what stays readable is looked for here
		// (tests/relay/erase.test.ts decodes every change too).
		await eventually(() => allFiles(relay!.data), (all) => all.includes('Henk Zonderfoon'));

		// Dirk is nobody's intermediary nor a manager; Ingrid does not act for Carla.
		expect((await accessCall(relay.url, 'erase', { memberId: carla.memberId }, dirk.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'erase', { memberId: carla.memberId }, ingrid.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'erase', { memberId: 'not valid!' }, hosted.key)).status).toBe(400);
		expect((await accessCall(relay.url, 'erase', { memberId: carla.memberId })).status).toBe(401);
		// The last manager would lock the neighbourhood out.
		expect(await accessCall(relay.url, 'erase', { memberId: hosted.memberId }, hosted.key)).toEqual({ status: 409, body: { error: 'lastManager' } });

		// Carla asked on paper (her phone is off): the manager erases her.
		await putAway(c.repo);
		expect(await accessCall(relay.url, 'erase', { memberId: carla.memberId }, hosted.key)).toEqual({ status: 200, body: { documents: 1 } });
		// Henk withdrew his consent: Ingrid erases him, consent record and all.
		expect(await accessCall(relay.url, 'erase', { memberId: henk }, ingrid.credential)).toEqual({ status: 200, body: { documents: 1 } });

		const all = allFiles(relay.data);
		for (const word of ['Carla Papier', '0612121212', 'Henk Zonderfoon', '0503434343', 'in-person']) expect(all, word).not.toContain(word);
		const doc = relayMembers()!;
		expect(String(doc.members[henk]!.name)).toBe('oud-lid');
		expect(doc.members[henk]!.consent).toBeUndefined();
		expect(String(doc.members[ingrid.memberId]!.name)).toBe('Ingrid');
		expect(relay.access.members(hosted.id).history[0]).toMatchObject({ action: 'erased member', by: ingrid.memberId, member: henk });
	});

	it('erases members who left longer ago than the period the managers set, and nobody else', { timeout: 30_000 }, async () => {
		relay = await startTestRelay({ rules: rulesFor });
		const hosted = await hostNeighbourhood(relay, 'De Linde');
		const people = ['Oud Vertrokken', 'Kort Weg', 'Blijft Hier'].map((name) => ({ name, access: newMember(relay!.access, hosted.id, { name }) }));
		const [longGone, recentlyGone, staying] = people;
		const devices: Repo[] = [];
		for (const person of people) {
			const device = await membersOn(person.access.credential, hosted.root);
			devices.push(device.repo);
			joinProfile(device.members, person.access.memberId, { ...blankProfile(), name: person.name });
			// Leaving is a change to a profile the relay has: made in one go with joining, it is refused.
			await eventually(() => relay!.repo.handles[device.members.documentId]?.doc() as MembersDoc | undefined, (doc) => doc?.members[person.access.memberId] !== undefined);
			if (person === longGone) leave(device.members, person.access.memberId, new Date(Date.now() - 13 * MONTH));
			if (person === recentlyGone) leave(device.members, person.access.memberId, new Date(Date.now() - 2 * MONTH));
		}
		const root = relay.repo.handles[hosted.root.replace('automerge:', '') as never]?.doc() as RootDoc;
		const relayMembers = () => relay!.repo.handles[String(root.docs.members).replace('automerge:', '') as never]?.doc() as MembersDoc | undefined;
		await eventually(() => relayMembers(), (doc) => people.every((p) => doc?.members[p.access.memberId]) && doc!.members[recentlyGone!.access.memberId]!.leftAt !== undefined && doc!.members[longGone!.access.memberId]!.leftAt !== undefined);

		for (const repo of devices.slice(0, 2)) await putAway(repo);
		expect((await accessCall(relay.url, 'erasures', {}, hosted.key)).body.eraseAfterMonths).toBe(12);
		expect(await relay.eraser.sweep()).toBe(1);
		const names = () => Object.values(relayMembers()!.members).map((m) => String(m.name)).sort();
		expect(names()).toEqual(['Blijft Hier', 'Kort Weg', 'oud-lid']);
		// Once erased, not again.
		expect(await relay.eraser.sweep()).toBe(0);

		// Only a manager sets the period; a month, and the one who left two months ago is due too.
		expect((await accessCall(relay.url, 'eraseAfter', { months: 1 }, staying!.access.credential)).status).toBe(403);
		expect((await accessCall(relay.url, 'eraseAfter', { months: 0 }, hosted.key)).status).toBe(400);
		expect((await accessCall(relay.url, 'eraseAfter', { months: 1 }, hosted.key)).status).toBe(200);
		expect((await accessCall(relay.url, 'erasures', {}, staying!.access.credential)).body.eraseAfterMonths).toBe(1);
		expect(await relay.eraser.sweep()).toBe(1);
		expect(names()).toEqual(['Blijft Hier', 'oud-lid', 'oud-lid']);
		expect(allFiles(relay.data)).not.toContain('Kort Weg');
	});
});
