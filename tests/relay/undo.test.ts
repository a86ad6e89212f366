// "Wijzigingen" and undo through the relay's access API: who changed what is recorded as the relay
// saw it arrive, and a manager's undo reaches every device as one change that keeps what others
// did meanwhile. Non-managers are refused.
import * as A from '@automerge/automerge/slim';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import type { ChangeItem } from '../../src/lib/access/api.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { main } from '../../relay/cli.ts';
import { accessCall, client, eventually, find, hostNeighbourhood, nameOf, shutdown, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';
import { newMember } from './members.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

async function deviceOn(credential: string, root: string): Promise<{ repo: Repo; root: DocHandle<RootDoc> }> {
	const repo = client(relay!, credential);
	repos.push(repo);
	const handle = await find<RootDoc>(repo, root);
	await eventually(() => handle.isReady(), (ok) => ok);
	return { repo, root: handle };
}

const categories = (doc: RootDoc | undefined) => (doc?.settings.helpCategories ?? []).map((c) => c.val);

describe('undoing a member’s changes through the relay', () => {
	it('records who changed what, and a manager undoes one member’s changes on every device while another’s stay', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const carla = newMember(relay.access, hosted.id, { name: 'Carla' });
		const b = await deviceOn(bert.credential, hosted.root);
		const c = await deviceOn(carla.credential, hosted.root);
		const before = b.root.doc()!;
		const categoriesBefore = categories(before);
		const mapIndexBefore = Object.keys(before.docs.map);
		expect(categoriesBefore.length).toBeGreaterThan(3);
		const since = new Date(Date.now() - 1);

		// Bert renames the neighbourhood, empties the categories and the map's index, rewrites the description.
		b.root.change((d) => {
			A.updateText(d, ['name'], 'Gekaapt');
			A.updateText(d, ['description'], 'Alles weg');
			d.settings.helpCategories.splice(0, d.settings.helpCategories.length);
			for (const url of Object.keys(d.docs.map)) delete d.docs.map[url];
		});
		await eventually(() => nameOf(c.root.doc()), (name) => name === 'Gekaapt');
		// Carla then writes a new description, which must stay.
		c.root.change((d) => A.updateText(d, ['description'], 'Buurt aan de Linde'));
		await eventually(() => relay!.repo.handles[c.root.documentId]?.doc() as RootDoc | undefined, (d) => String(d?.description) === 'Buurt aan de Linde');

		// What the relay recorded: member and device as the credential said, never content.
		relay.changeLog.flush();
		const records = relay.changeLog.query(hosted.id, { member: bert.memberId });
		expect(records.length).toBeGreaterThan(0);
		expect(records.every((r) => r.device === bert.deviceId)).toBe(true);

		// Carla may not look or undo: only managers.
		expect(await accessCall(relay.url, 'changes', {}, carla.credential)).toEqual({ status: 403, body: { error: 'forbidden' } });
		expect((await accessCall(relay.url, 'undo', { member: bert.memberId, since: since.toISOString() }, carla.credential)).status).toBe(403);

		const listed = await accessCall(relay.url, 'changes', { member: bert.memberId }, hosted.key);

		expect(listed.status).toBe(200);
		const items = listed.body.changes as ChangeItem[];
		expect(items.length).toBeGreaterThan(0);
		expect(items[0]).toMatchObject({ member: bert.memberId, recorded: true, undo: false, module: 'neighbourhood', target: 'settings', action: 'edited' });

		const undone = await accessCall(relay.url, 'undo', { member: bert.memberId, since: since.toISOString() }, hosted.key);
		expect(undone.status).toBe(200);
		expect(undone.body.documents).toEqual([expect.objectContaining({ module: 'neighbourhood', kept: 1 })]);

		// Every device sees the neighbourhood as it was, with Carla's description.
		for (const device of [b, c]) {
			const doc = await eventually(() => device.root.doc(), (d) => nameOf(d) === 'Lindenbuurt' && categories(d).length === categoriesBefore.length);
			expect(categories(doc)).toEqual(categoriesBefore);
			expect(doc!.settings.helpCategories.every((x) => A.isImmutableString(x))).toBe(true);
			expect(Object.keys(doc!.docs.map)).toEqual(mapIndexBefore);
			expect(String(doc!.description)).toBe('Buurt aan de Linde');
		}

		// Asked twice, nothing more is written: it was undone already.
		const again = await accessCall(relay.url, 'undo', { member: bert.memberId, since: since.toISOString() }, hosted.key);
		expect((again.body.documents as Array<{ changes: number }>).map((d) => d.changes)).toEqual([0]);

		// The undo shows in the list as the manager's, and in the access history.
		const after = (await accessCall(relay.url, 'changes', {}, hosted.key)).body.changes as ChangeItem[];
		expect(after[0]).toMatchObject({ member: hosted.memberId, undo: true });
		const members = await accessCall(relay.url, 'members', {}, hosted.key);
		expect((members.body.history as Array<{ action: string; member?: string }>)[0]).toMatchObject({ member: bert.memberId });
		expect((members.body.history as Array<{ action: string }>)[0]!.action).toMatch(/^undid changes since/);
		// The log names members and documents, not what they wrote.
		expect(relay.logs.join('')).not.toContain('Gekaapt');
	});

	it('refuses a malformed undo and one without a credential', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		expect((await accessCall(relay.url, 'undo', { member: 'x', since: 'gisteren' }, hosted.key)).status).toBe(400);
		expect((await accessCall(relay.url, 'undo', { member: hosted.memberId, since: new Date().toISOString() })).status).toBe(401);
	});

	it('from the shell, with the relay stopped: lists a member’s changes, undoes them, and puts a document back to a moment', async () => {
		relay = await startTestRelay();
		const data = relay.data;
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const b = await deviceOn(bert.credential, hosted.root);
		const moment = new Date(Date.now() - 1).toISOString();
		b.root.change((d) => A.updateText(d, ['name'], 'Gekaapt'));
		await eventually(() => nameOf(relay!.repo.handles[b.root.documentId]?.doc()), (name) => name === 'Gekaapt');
		b.root.change((d) => A.updateText(d, ['description'], 'Weg'));
		await eventually(() => String((relay!.repo.handles[b.root.documentId]?.doc() as RootDoc | undefined)?.description), (text) => text === 'Weg');
		await shutdown(...repos.splice(0));
		await relay.close();
		relay = undefined;

		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) };
		const env = { NOABER_DATA: data };
		expect(await main(['changes', hosted.id, '--member', 'Bert'], out, env)).toBe(0);
		expect(lines.filter((l) => l.includes('Bert  edited settings  (neighbourhood)'))).toHaveLength(2);
		expect(await main(['undo', hosted.id, '--member', 'Nobody', '--since', moment], out, env)).toBe(1);
		expect(await main(['undo', hosted.id, '--member', 'Bert'], out, env)).toBe(2);
		// The whole root back to the moment before Bert: both his changes go.
		lines.length = 0;
		expect(await main(['restore', hosted.id, '--document', hosted.root, '--at', moment], out, env)).toBe(0);
		expect(lines.join('\n')).toMatch(/2 later changes undone/);

		relay = await startTestRelay({ data });
		const manager = await deviceOn(hosted.key, hosted.root);
		const doc = await eventually(() => manager.root.doc(), (d) => nameOf(d) === 'Lindenbuurt');
		expect(String(doc!.description)).toBe('');
		// The restore is recorded as the operator's, in the change log and the access history.
		expect(relay.changeLog.query(hosted.id).some((r) => r.undo && r.member === 'operator')).toBe(true);
		expect(relay.access.members(hosted.id).history[0]!.action).toMatch(/^restored a document to /);
	});
});
