// What a relay refuses from other relays: a pairing for a root it hosts under another id, and an
// exchange without the peer secret. In one process: the two-process story is pairing.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { makePairingCode, checkPairingCode } from '../../relay/pairing.ts';
import { accessCall, hostNeighbourhood, newMember, shutdown, startTestRelay, type TestRelay } from './harness.ts';

const relays: TestRelay[] = [];
afterEach(async () => {
	await shutdown(...relays.splice(0));
});

describe('a relay paired with another', () => {
	it('refuses to pair a root it already hosts under another id, and keeps the code for a right request', async () => {
		const a = await startTestRelay();
		const b = await startTestRelay();
		relays.push(a, b);
		const hosted = await hostNeighbourhood(a, 'Lindenbuurt');
		b.registry.add({ id: 'another-neighbourhood-id', name: 'Kopie', root: hosted.root, documents: [hosted.root] });
		const { code } = makePairingCode(b.data);
		expect(await accessCall(a.url, 'addRelay', { url: b.url, code }, hosted.key)).toMatchObject({ status: 409, body: { error: 'taken' } });
		expect(checkPairingCode(b.data, code)).toBe('ok');
		// A member who is no manager may not add a relay at all.
		const anna = newMember(a.access, hosted.id, { name: 'Anna', roles: [] });
		expect(await accessCall(a.url, 'addRelay', { url: b.url, code }, anna.credential)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
		expect(checkPairingCode(b.data, code)).toBe('ok');
	});

	it('answers an exchange only with the peer secret of that neighbourhood', async () => {
		const a = await startTestRelay();
		const b = await startTestRelay();
		relays.push(a, b);
		const hosted = await hostNeighbourhood(a, 'Lindenbuurt');
		const { code } = makePairingCode(b.data);
		expect((await accessCall(a.url, 'addRelay', { url: b.url, code }, hosted.key)).status).toBe(201);
		const exchange = (authorization?: string) =>
			fetch(`${b.url}/api/peer/exchange`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
				body: JSON.stringify({ neighbourhood: hosted.id, access: { members: {}, devices: {}, tickets: {}, codes: {} } })
			});
		expect((await exchange()).status).toBe(401);
		expect((await exchange(`Bearer ${hosted.key}`)).status).toBe(401);
		// B knows the manager now, and nothing an outsider sent changed that.
		expect(await accessCall(b.url, 'me', {}, hosted.key)).toMatchObject({ status: 200, body: { roles: ['manager'] } });
	});
});
