// A neighbourhood whose relay is gone for good comes to a new relay from a member's own copy: the
// operator's one-time code, the adopting device as first manager, its documents taken as the
// neighbourhood's, and another member's device following with an invitation as the member it is.
import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { AdoptCodes, ADOPT_CODE_MS } from '../../relay/adopt-codes.ts';
import { main } from '../../relay/cli.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import { newMember as newProfile } from '../../src/lib/members/mutations.ts';
import { createNeighbourhood } from '../../src/lib/neighbourhood/create.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { reseedRelays } from '../../src/lib/neighbourhood/mutations.ts';
import { updateProfile } from '../../src/lib/members/mutations.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { rulesFor } from '../../src/lib/rules/documents.ts';
import { client, eventually, find, nameOf, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const MANAGER = 'manager-0001';
const ANNA = 'anna-000001';

/** A member's device's copy of Lindenbuurt, made while its old relay still ran: two members. */
function oldCopy() {
	const repo = new Repo();
	const created = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), {
		relays: ['wss://oude-server.example/sync'],
		manager: { id: MANAGER, profile: { ...blankProfile(), name: 'Fatima' } }
	});
	created.members.change((doc) => {
		doc.members[ANNA] = newProfile(ANNA, { ...blankProfile(), name: 'Anna' }, new Date().toISOString());
	});
	const documents: Array<{ doc: () => unknown }> = [created.root, created.members, created.map];
	return { created, saved: (i: number) => Buffer.from(A.save(documents[i]!.doc() as A.Doc<unknown>)).toString('base64') };
}

async function call(action: string, body: unknown, credential?: string) {
	const response = await fetch(`${relay!.url}/api/adopt/${action}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const adoptBody = (code: string, root: string) => ({ code, root, name: 'Lindenbuurt', memberId: MANAGER, memberName: 'Fatima', label: 'tablet' });
const idOf = (url: string) => url.replace('automerge:', '');

describe('re-seeding a relay from a member device', () => {
	it('the operator code works once, not after its week, and not when mistyped', async () => {
		relay = await startTestRelay();
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
		expect(await main(['adopt-code', '--json'], out, { NOABER_DATA: relay.data, NOABER_PUBLIC_URL: 'https://buurt.example.nl' })).toBe(0);
		const made = JSON.parse(lines[0]!) as { code: string; relay: string; expiresAt: string };
		expect(made.relay).toBe('wss://buurt.example.nl/sync');
		expect(Date.parse(made.expiresAt) - Date.now()).toBeGreaterThan(ADOPT_CODE_MS - 60_000);
		const { created } = oldCopy();

		const wrong = `${made.code.split('.')[0]}.${'A'.repeat(22)}`;
		expect(await call('adopt', adoptBody(wrong, created.root.url))).toEqual({ status: 403, body: { error: 'code' } });
		const old = new AdoptCodes(relay.data, () => Date.now() - ADOPT_CODE_MS - 1000).make();
		expect(await call('adopt', adoptBody(old.code, created.root.url))).toEqual({ status: 403, body: { error: 'expired' } });
		expect(relay.registry.list()).toEqual([]);

		const first = await call('adopt', adoptBody(made.code, created.root.url));
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({ memberId: MANAGER, roles: ['manager'], status: 'active' });
		const other = oldCopy().created;
		expect(await call('adopt', adoptBody(made.code, other.root.url))).toEqual({ status: 403, body: { error: 'used' } });
	});

	it('the adopting device brings its copy as the neighbourhood, the others come from the documents, and a second adopt is refused', async () => {
		relay = await startTestRelay({ rules: rulesFor });
		const { created, saved } = oldCopy();
		const adopted = await call('adopt', adoptBody(new AdoptCodes(relay.data).make().code, created.root.url));
		const credential = adopted.body.credential as string;

		// Nothing the root does not list, and nothing from a device that did not adopt.
		const stray = new Repo().create<Record<string, unknown>>({ posts: {} });
		const strayBody = { document: idOf(stray.url), data: Buffer.from(A.save(stray.doc())).toString('base64') };
		for (const [i, handle] of [created.root, created.members, created.map].entries()) {
			expect((await call('seed', { document: idOf(handle.url), data: saved(i) }, credential)).status).toBe(200);
		}
		expect(await call('seed', strayBody, credential)).toEqual({ status: 403, body: { error: 'unlisted' } });

		const id = relay.registry.list()[0]!.id;
		for (const handle of [created.root, created.members, created.map]) expect(relay.registry.ownerOf(handle.url)).toBe(id);
		// Anna is a member here without a device; the adopting manager is the first manager.
		const members = relay.access.members(id).members;
		expect(members.find((m) => m.id === ANNA)).toMatchObject({ name: 'Anna', status: 'active', roles: [], devices: [] });
		expect(members.find((m) => m.id === MANAGER)).toMatchObject({ roles: ['manager'] });

		// The manager's device reads its neighbourhood from the new relay and, as manager there, lists
		// the new relay first: the referee lets that through.
		const device = client(relay, credential);
		repos.push(device);
		const root = await find<RootDoc>(device, created.root.url);
		expect(nameOf(await eventually(() => root.doc(), (doc) => nameOf(doc) === 'Lindenbuurt'))).toBe('Lindenbuurt');
		reseedRelays(root, 'ws://nieuwe-server.example/sync');
		const relayCopy = () => relay!.repo.handles[idOf(created.root.url) as never]?.doc() as RootDoc | undefined;
		await eventually(() => relayCopy()?.relays.map(String), (relays) => relays?.[0] === 'ws://nieuwe-server.example/sync');
		expect(relayCopy()!.relays.map(String)).toEqual(['ws://nieuwe-server.example/sync', 'wss://oude-server.example/sync']);

		expect(await call('adopt', adoptBody(new AdoptCodes(relay.data).make().code, created.root.url))).toEqual({ status: 409, body: { error: 'hosted' } });
	});

	it('a member device follows with an invitation as the member it is, once, and writes as herself; it cannot seed', async () => {
		relay = await startTestRelay({ rules: rulesFor });
		const { created, saved } = oldCopy();
		const adopted = await call('adopt', adoptBody(new AdoptCodes(relay.data).make().code, created.root.url));
		const manager = adopted.body.credential as string;
		for (const [i, handle] of [created.root, created.members].entries()) await call('seed', { document: idOf(handle.url), data: saved(i) }, manager);
		const id = relay.registry.list()[0]!.id;

		const ticket = relay.access.makeTicket(id, { personal: 'Anna' }).ticket;
		const stranger = relay.access.makeTicket(id, {}).ticket;
		// A link for anyone does not make its holder the manager by naming them.
		expect(await call('rejoin', { root: created.root.url, ticket: stranger, memberId: MANAGER })).toEqual({ status: 404, body: { error: 'unknown' } });
		expect(await call('rejoin', { root: created.root.url, ticket, memberId: 'nobody-00001' })).toEqual({ status: 404, body: { error: 'unknown' } });
		// A member with a role comes back only with a personal invitation.
		relay.access.seedMembers(id, [{ id: 'bram-0000001', name: 'Bram', roles: ['agenda'], left: false }]);
		expect(await call('rejoin', { root: created.root.url, ticket: stranger, memberId: 'bram-0000001' })).toEqual({ status: 403, body: { error: 'forbidden' } });
		const anna = await call('rejoin', { root: created.root.url, ticket, memberId: ANNA, label: 'telefoon' });
		expect(anna.status).toBe(201);
		expect(anna.body).toMatchObject({ memberId: ANNA, status: 'active', roles: [] });
		expect(await call('rejoin', { root: created.root.url, ticket: stranger, memberId: ANNA })).toEqual({ status: 404, body: { error: 'unknown' } });

		// Her own profile, changed through the new relay, as the member she was: the referee takes it.
		const phone = client(relay, anna.body.credential as string);
		repos.push(phone);
		const members = await find<MembersDoc>(phone, created.members.url);
		await eventually(() => members.isReady(), Boolean);
		updateProfile(members, ANNA, { ...blankProfile(), name: 'Anna de Boer' });
		const relayMembers = () => relay!.repo.handles[idOf(created.members.url) as never]?.doc() as MembersDoc | undefined;
		await eventually(() => String(relayMembers()?.members[ANNA]?.name ?? ''), (name) => name === 'Anna de Boer');

		const data = saved(0);
		expect(await call('seed', { document: idOf(created.root.url), data }, anna.body.credential as string)).toEqual({ status: 403, body: { error: 'forbidden' } });
	});
});
