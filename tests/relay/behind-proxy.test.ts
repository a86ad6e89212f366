// Two relays behind one reverse proxy, each with its own data folder and neighbourhoods, told apart
// by host name (README "More than one relay on one machine"). The proxy stands in for Caddy: it
// sends each request, websockets included, to the relay of its Host header, and says in
// X-Forwarded-For who asked. Its host names are loopback addresses (127.0.0.1 and 127.0.0.2), so
// no name needs resolving.
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import { join as joinNeighbourhood } from '../../src/lib/members/mutations.ts';
import { readMembers } from '../../src/lib/members/view.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { clientAt, eventually, find, hostNeighbourhood, rawSocket, shutdown, startTestRelay, type HostedForTest, type TestRelay } from './harness.ts';
import { startHostProxy, type HostProxy } from './proxy.ts';

const stop: Array<{ shutdown?: () => Promise<void>; close?: () => Promise<void> }> = [];
afterEach(async () => {
	await shutdown(...stop.splice(0));
});

const syncAt = (origin: string) => `${origin.replace(/^http/, 'ws')}/sync`;
const documentPath = (relay: TestRelay, url: string) => {
	const id = url.replace(/^automerge:/, '');
	return join(relay.data, 'documents', id.slice(0, 2), id.slice(2));
};

/** Two relays on one proxy: Lindenbuurt at 127.0.0.1, Eikenbuurt at 127.0.0.2. */
async function twoRelays(): Promise<{ proxy: HostProxy; sites: Array<{ origin: string; relay: TestRelay; hosted: HostedForTest }> }> {
	const upstream = new Map<string, number>();
	const proxy = await startHostProxy(['127.0.0.1', '127.0.0.2'], (host) => upstream.get(host));
	stop.push(proxy);
	const sites = [];
	for (const [origin, name] of [[proxy.origins[0]!, 'Lindenbuurt'], [proxy.origins[1]!, 'Eikenbuurt']] as const) {
		// The relay believes X-Forwarded-For from the proxy only (it connects from 127.0.0.1).
		const relay = await startTestRelay({ publicUrl: origin, trustedProxies: '127.0.0.1' });
		stop.push(relay);
		upstream.set(new URL(origin).host, relay.port);
		sites.push({ origin, relay, hosted: await hostNeighbourhood(relay, name) });
	}
	return { proxy, sites };
}

describe('two relays behind one reverse proxy', () => {
	it('keeps each neighbourhood on its own relay and in its own data folder, reached by its own host name', async () => {
		const { proxy, sites } = await twoRelays();
		const [linde, eik] = sites;

		// Two devices of each neighbourhood sync through the proxy under their neighbourhood's name.
		for (const [site, name] of [[linde!, 'Anna'], [eik!, 'Bert']] as const) {
			const writer = clientAt(syncAt(site.origin), site.hosted.key);
			const reader = clientAt(syncAt(site.origin), site.hosted.key);
			stop.push(writer, reader);
			const root = await find<RootDoc>(writer, site.hosted.root);
			await eventually(() => root.isReady(), Boolean);
			const members = await find<MembersDoc>(writer, String(root.doc()!.docs.members));
			await eventually(() => members.isReady(), Boolean);
			joinNeighbourhood(members, site.hosted.memberId, { ...blankProfile(), name });
			const theirs = await find<MembersDoc>(reader, members.url);
			await eventually(() => readMembers(theirs.doc()).items.map((m) => m.name), (names) => names.includes(name));
		}

		// Each relay holds its own neighbourhood only, in memory and in its data folder.
		for (const [site, other] of [[linde!, eik!], [eik!, linde!]]) {
			expect(site.relay.registry.list().map((n) => n.name)).toEqual([site.hosted.name]);
			expect(existsSync(documentPath(site.relay, site.hosted.root))).toBe(true);
			expect(existsSync(documentPath(site.relay, other.hosted.root))).toBe(false);
			// A device of the other neighbourhood knocking at this host is not let in.
			const knock = rawSocket({ url: syncAt(site.origin), key: other.hosted.key });
			expect(await knock.closed).toBe(4401);
		}

		// The public page answers under its own host name only.
		const lindePage = await fetch(`${linde!.origin}/api/public?d=${linde!.hosted.root}`);
		expect(lindePage.status).toBe(200);
		expect(((await lindePage.json()) as { name: string }).name).toBe('Lindenbuurt');
		expect((await fetch(`${eik!.origin}/api/public?d=${linde!.hosted.root}`)).status).toBe(404);

		// A host name the proxy does not serve reaches no relay.
		const misdirected = await new Promise<number>((resolve, reject) =>
			request({ host: '127.0.0.1', port: proxy.port, path: '/healthz', headers: { host: 'elders.example.nl' } }, (res) => resolve(res.statusCode ?? 0))
				.on('error', reject)
				.end()
		);
		expect(misdirected).toBe(421);
	});

	it('shuts out the one who keeps guessing, not everyone behind the proxy', async () => {
		const { sites } = await twoRelays();
		const [linde] = sites;
		const door = { url: syncAt(linde!.origin), key: 'wrong-credential-0000000000000000' };
		// One person's device (address 127.0.0.3) tries twenty wrong credentials through the proxy.
		for (let i = 0; i < 20; i += 1) expect(await rawSocket(door, { localAddress: '127.0.0.3' }).closed).toBe(4401);
		expect(await rawSocket(door, { localAddress: '127.0.0.3' }).closed).toBe(4429);
		expect(linde!.relay.logs.join('')).toContain('"remote":"127.0.0.3"');

		// A neighbour (127.0.0.4) behind the same proxy still gets in with their own credential.
		const neighbour = rawSocket({ url: syncAt(linde!.origin), key: linde!.hosted.key }, { localAddress: '127.0.0.4' });
		await neighbour.opened;
		await eventually(() => linde!.relay.logs.join(''), (log) => log.includes('"msg":"connection opened"'));
		expect(linde!.relay.logs.join('').match(/"remote":"127\.0\.0\.4"[^\n]*connection refused/)).toBeNull();
		neighbour.socket.close();
	});
});
