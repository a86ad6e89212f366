import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../relay/registry.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { readNeighbourhood } from '../../src/lib/neighbourhood/view.ts';
import { main } from '../../relay/cli.ts';
import { client, eventually, find, hostNeighbourhood, rawSocket, door, socketUrl, startTestRelay, type TestRelay, stopAfterEach } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const quiet = { log: () => undefined, error: () => undefined };

describe('member keys', () => {
	it('refuses a connection without a key or with a wrong key, with code 4401', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		expect(await rawSocket(door(relay)).closed).toBe(4401);
		expect(await rawSocket(door(relay, 'AAAAAAAAAAAAAAAAAAAAAAAA')).closed).toBe(4401);
		// The key in the address, as a proxy's access log would keep it, opens nothing.
		expect(await rawSocket({ url: `${socketUrl(relay)}?key=${encodeURIComponent(hosted.key)}` }).closed).toBe(4401);
		expect(relay.logs.join('')).toContain('invalid key');
	});

	it('a member of one neighbourhood cannot read or change another’s document, even by its URL', async () => {
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
		expect(fake.url).toBe(b.root);
		fake.change((d) => void ((d as unknown as { name: string }).name = 'Overgenomen!'));
		await new Promise((r) => setTimeout(r, 500));

		const real = await find<RootDoc>(resident, b.root);
		expect(real.isReady()).toBe(true);
		const read = readNeighbourhood(real.doc());
		expect(read.ok && read.neighbourhood.name).toBe('Beukenbuurt');
		expect(relay.registry.ownerOf(b.root)).toBe(b.id);
	});

	it('a rotated key is refused, and open connections with it are closed', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const open = rawSocket(door(relay, hosted.key));
		await open.opened;

		// The operator rotates from the shell, in another process's view of the same folder.
		const out: string[] = [];
		const code = await main(['rotate-key', 'Lindenbuurt', '--json'], { log: (l) => out.push(l), error: () => undefined }, {
			NOABER_DATA: relay.data
		});
		expect(code).toBe(0);
		const rotated = JSON.parse(out.at(-1)!) as { key: string; invite: string };
		expect(rotated.key).not.toBe(hosted.key);
		expect(rotated.invite).toContain(`k=${rotated.key}`);

		expect(await open.closed).toBe(4401);
		expect(await rawSocket(door(relay, hosted.key)).closed).toBe(4401);

		const fresh = client(relay, rotated.key);
		repos.push(fresh);
		const root = await find<RootDoc>(fresh, hosted.root);
		expect(root.isReady()).toBe(true);
	});

	it('picks up a neighbourhood created from the shell while it runs', async () => {
		relay = await startTestRelay();
		const out: string[] = [];
		expect(await main(['create', 'Nieuwe', 'buurt', '--json'], { log: (l) => out.push(l), error: () => undefined }, {
			NOABER_DATA: relay.data,
			NOABER_PUBLIC_URL: relay.url
		})).toBe(0);
		const created = JSON.parse(out.at(-1)!) as { invite: string; relay: string; root: string; key: string };
		expect(created.relay).toBe(`ws://127.0.0.1:${relay.port}/sync`);
		const resident = client(relay, created.key);
		repos.push(resident);
		const root = await eventually(() => find<RootDoc>(resident, created.root), (h) => h.isReady());
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.name).toBe('Nieuwe buurt');
		updateDetails(root, emptyDetails('Nieuwe buurt (Oost)'));
	});

	it('never writes a key or setup token into the logs', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const resident = client(relay, hosted.key);
		repos.push(resident);
		await find(resident, hosted.root);
		await rawSocket(door(relay, `${hosted.key}x`)).closed;
		await main(['rotate-key', hosted.id], quiet, { NOABER_DATA: relay.data });
		await eventually(() => relay!.logs.join(''), (logs) => logs.includes('registry changed'));
		const logs = relay.logs.join('');
		expect(logs).not.toContain(hosted.key);
		expect(logs).not.toContain(new Registry(relay.data).find(hosted.id)!.key);
		expect(logs).not.toContain('key=');
	});
});
