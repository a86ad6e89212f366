// The relay as referee, with a fixture rule (only a manager renames the neighbourhood) so that what
// is tested is the referee's part: a refused change is stored nowhere and seen by nobody, the device
// is told, who wrote a change comes from the credential, and allowed changes go on as before. The
// modules' real rules are tested beside each module and end to end in rules.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { isManager, type Rule } from '../../src/lib/rules/judge.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { client, eventually, find, hostNeighbourhood, newMember, shutdown, startTestRelay, type HostedForTest, type TestRelay } from './harness.ts';

const onlyManagersRename: Rule = (edit, who) => (edit.path[0] === 'name' && !isManager(who) ? 'test.rename-manager' : undefined);

interface Notice {
	noaber: string;
	changes: string[];
	rule: string;
	path: string[];
}

function notices(handle: DocHandle<unknown>): Notice[] {
	const heard: Notice[] = [];
	handle.on('ephemeral-message', ({ message }) => {
		const m = message as Partial<Notice>;
		if (m?.noaber === 'refused') heard.push(m as Notice);
	});
	return heard;
}

describe('the relay as referee', () => {
	let relay: TestRelay;
	let hosted: HostedForTest;
	const repos: Repo[] = [];
	const others: TestRelay[] = [];
	beforeEach(async () => {
		relay = await startTestRelay({ rules: () => onlyManagersRename });
		hosted = await hostNeighbourhood(relay, 'De Linde');
	});
	afterEach(async () => {
		await shutdown(...repos.splice(0), relay, ...others.splice(0));
	});
	const open = async (key: string) => {
		const repo = client(relay, key);
		repos.push(repo);
		const handle = await find<RootDoc>(repo, hosted.root);
		await eventually(() => handle.isReady(), Boolean);
		return handle;
	};

	it('stores and passes on nothing of a refused change, and tells the device which change and why', async () => {
		const manager = await open(hosted.key);
		const member = newMember(relay.access, hosted.id, { name: 'Bert' });
		const vandal = await open(member.credential);
		const heard = notices(vandal);
		vandal.change((d) => {
			d.name = 'Vandalen';
		});
		const refusedHash = A.getHeads(vandal.doc())[0];
		await eventually(() => heard.length, (n) => n > 0);
		expect(heard[0]).toMatchObject({ changes: [refusedHash], rule: 'test.rename-manager', path: ['name'] });

		// A manager's rename afterwards arrives: the relay stayed in sync with everyone honest.
		manager.change((d) => {
			d.description = 'Buurt aan de Linde';
		});
		const late = await open(newMember(relay.access, hosted.id).credential);
		await eventually(() => late.doc()?.description, (text) => text === 'Buurt aan de Linde');
		expect(late.doc()?.name).toBe('De Linde');
		expect(manager.doc()?.name).toBe('De Linde');
		const stored = await find<RootDoc>(relay.repo, hosted.root);
		expect(A.hasHeads(stored.doc()!, [refusedHash])).toBe(false);

		const log = relay.logs.join('');
		expect(log).toContain('change refused by rule');
		expect(log).toContain(member.memberId);
		expect(log).toContain('test.rename-manager');
		expect(log).not.toContain('Vandalen');
	});

	it('passes on and records the allowed change of a message that also carries a refused one', async () => {
		const member = newMember(relay.access, hosted.id, { name: 'Bert' });
		const device = await open(member.credential);
		const heard = notices(device);
		// Two changes in one update: they travel in one sync message, which the relay cuts.
		device.update((d) => {
			const described = A.change(d, (x) => {
				x.description = 'Koffie op dinsdag';
			});
			return A.change(described, (x) => {
				x.name = 'Vandalen';
			});
		});
		const [allowed, refused] = A.getChanges(A.init(), device.doc()!).slice(-2).map((c) => A.decodeChange(c).hash);
		await eventually(() => heard.length, (n) => n > 0);
		expect(heard[0].changes).toEqual([refused]);

		const late = await open(newMember(relay.access, hosted.id).credential);
		await eventually(() => late.doc()?.description, (text) => text === 'Koffie op dinsdag');
		expect(late.doc()?.name).toBe('De Linde');
		relay.changeLog.flush();
		const recorded = relay.changeLog.query(hosted.id, { member: member.memberId }).map((r) => r.hash);
		expect(recorded).toContain(allowed);
		expect(recorded).not.toContain(refused);
	});

	it("refuses a change made with another member's actor, even where the rule allows it", async () => {
		const manager = await open(hosted.key);
		manager.change((d) => {
			d.description = 'Van de wijkverbinder';
		});
		const managerActor = A.getActorId(manager.doc()!);
		const member = newMember(relay.access, hosted.id, { name: 'Bert' });
		const forger = await open(member.credential);
		await eventually(() => forger.doc()?.description, (text) => text === 'Van de wijkverbinder');
		const heard = notices(forger);
		// As a tampered app would: write as the manager's actor, so the history would name them.
		forger.update((d) => A.change(A.clone(d, { actor: managerActor }), (x) => A.updateText(x, ['description'], 'Nep namens de wijkverbinder')));
		await eventually(() => heard.length, (n) => n > 0);
		expect(heard[0].rule).toBe('actor-of-another');
		expect(manager.doc()?.description).toBe('Van de wijkverbinder');
	});

	it('refuses every change from a device still on the old shared key: nobody can say whose it is', async () => {
		const oldKey = 'OudeSleutelVanDeFlyer2025';
		relay.registry.setOldKey(hosted.id, oldKey);
		const manager = await open(hosted.key);
		const legacy = await open(oldKey);
		const heard = notices(legacy);
		legacy.change((d) => {
			d.description = 'Zonder naam';
		});
		await eventually(() => heard.length, (n) => n > 0);
		expect(heard[0].rule).toBe('member-unknown');
		expect(manager.doc()?.description).not.toBe('Zonder naam');
	});

	it('holds a change until the document it is judged against is in memory, and what follows waits behind it', async () => {
		const member = await open(newMember(relay.access, hosted.id, { name: 'Bert' }).credential);
		const referee = relay.adapter.referee!;
		const judge = referee.judge.bind(referee);
		let loads = 0;
		// As when the relay unloaded the root while the device was quiet: the first judging asks for it.
		referee.judge = (sender, entries) => (loads++ === 0 ? { kind: 'load', documents: [sender.document] } : judge(sender, entries));
		const heard = notices(member);
		member.change((d) => {
			d.description = 'Eerste';
		});
		member.change((d) => {
			d.name = 'Niet van Bert';
		});
		member.change((d) => {
			d.area.description = 'Na de weigering';
		});
		await eventually(() => heard.flatMap((n) => n.changes).length, (n) => n === 1);
		const reader = await open(hosted.key);
		await eventually(() => reader.doc()?.description, (text) => text === 'Eerste');
		expect(reader.doc()?.name).toBe('De Linde');
		// Built on the refused rename, it cannot be applied without it: refused too, until the device rebases.
		expect(reader.doc()?.area.description).not.toBe('Na de weigering');
		expect(heard.map((n) => n.rule)).toContain('test.rename-manager');
		expect(relay.logs.join('')).toContain('waiting for documents to load');
	});

	it('keeps what it loaded to judge changes in memory until they are judged, also when loading took longer than a document may stay idle', async () => {
		const quick = await startTestRelay({ rules: () => onlyManagersRename, idleUnloadMs: 250 });
		others.push(quick);
		const linden = await hostNeighbourhood(quick, 'De Es');
		const writer = client(quick, linden.key);
		repos.push(writer);
		const root = await find<RootDoc>(writer, linden.root);
		await eventually(() => root.isReady(), Boolean);
		const map = await find<Record<string, unknown>>(writer, Object.keys(root.doc().docs.map)[0]!);
		await eventually(() => map.isReady(), Boolean);
		// The device is quiet and the relay lets go of the neighbourhood's documents.
		await eventually(() => [root, map].some((h) => h.documentId in quick.repo.handles), (loaded) => !loaded, 10_000);
		// A busy machine: loading them again takes longer than a document may stay idle.
		const load = quick.adapter.hooks.load!;
		quick.adapter.hooks.load = async (ids) => {
			await load(ids);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		};
		// Two documents at once: the second's change waits behind the first's, and needs its own document loaded.
		root.change((d) => {
			d.description = 'Na het wachten';
		});
		map.change((d) => {
			d.note = 'Ook gezien';
		});
		const reader = client(quick, linden.key);
		repos.push(reader);
		const [seenRoot, seenMap] = [await find<RootDoc>(reader, linden.root), await find<Record<string, unknown>>(reader, map.url)];
		await eventually(() => [seenRoot.doc()?.description, seenMap.doc()?.note], ([a, b]) => a === 'Na het wachten' && b === 'Ook gezien', 10_000);
		const log = quick.logs.join('');
		expect(log).toContain('waiting for documents to load');
		expect(log).not.toContain('could not be loaded to judge');
	});
});
