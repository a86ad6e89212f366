// A change waits for its documents to be loaded before the relay judges it, and meanwhile the
// device's later messages wait too. The relay loads from its own disk only: a document it holds
// nothing whole of is asked from the devices, and the device that has it may be the very one
// waiting. Seen in the browser suite as a new device that did not get a fresh post for a minute.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import type { Repo } from '@automerge/automerge-repo/slim';
import { rulesFor } from '../../src/lib/rules/documents.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import type { Role } from '../../src/lib/access/roles.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankPost, createPost, markDone } from '../../src/lib/help/mutations.ts';
import { addManaged, join as joinNeighbourhood } from '../../src/lib/members/mutations.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import { client, eventually, find, hostNeighbourhood, newMember, shutdown, startTestRelay, type HostedForTest, type TestRelay } from './harness.ts';

describe('a change waiting to be judged', () => {
	let relay: TestRelay;
	let hosted: HostedForTest;
	const repos: Repo[] = [];
	beforeEach(async () => {
		relay = await startTestRelay({ rules: rulesFor });
		hosted = await hostNeighbourhood(relay, 'De Linde');
	});
	afterEach(async () => {
		await shutdown(...repos.splice(0), relay);
	});

	async function device(name: string, roles: Role[] = []) {
		const access = newMember(relay.access, hosted.id, { name, roles });
		const repo = client(relay, access.credential);
		repos.push(repo);
		const root = await find<RootDoc>(repo, hosted.root);
		await eventually(() => root.isReady(), Boolean);
		const members = await find<MembersDoc>(repo, String(root.doc()!.docs.members));
		await eventually(() => members.isReady(), Boolean);
		joinNeighbourhood(members, access.memberId, { ...blankProfile(), name });
		return { repo, root, members, memberId: access.memberId };
	}

	/** A quarter the device starts and lists, once the relay holds it: the device's copy and the relay's. */
	async function quarterOnRelay({ repo, root }: Awaited<ReturnType<typeof device>>) {
		const board = repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		root.change((d) => {
			d.docs.help[board.url] = new A.ImmutableString('2026Q4');
		});
		const stored = await eventually(() => relay.repo.handles[board.documentId], Boolean);
		await eventually(() => stored.isReady(), Boolean);
		return { board, stored };
	}

	/** A busy relay: what it accepted reaches its copies only after a while. Returns the hashes it accepted, as they come. */
	function slowToStore(): string[] {
		const access = relay.repo.shareConfig.access;
		relay.repo.shareConfig = {
			...relay.repo.shareConfig,
			access: async (peer, documentId) => {
				await new Promise((resolve) => setTimeout(resolve, 400));
				return access(peer, documentId);
			}
		};
		const accepted: string[] = [];
		const hook = relay.adapter.hooks.accepted;
		relay.adapter.hooks.accepted = (sender, changes, vouched) => {
			accepted.push(...changes.map((c) => c.hash));
			hook?.(sender, changes, vouched);
		};
		return accepted;
	}

	it('does not wait on the devices for a document the relay holds nothing whole of', async () => {
		const ann = await device('Ann');
		const board = ann.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		// Left on the relay's disk by an earlier life of this document (a peer's sync state, a copy
		// cut short): the folder is there, a document is not.
		const folder = join(relay.data, 'documents', board.documentId.slice(0, 2), board.documentId.slice(2), 'sync-state');
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'stray'), 'x');
		ann.root.change((d) => {
			d.docs.help[board.url] = new A.ImmutableString('2026Q4');
		});
		createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Wie helpt met de heg?' }, { memberId: ann.memberId });

		// A neighbour's device opened afterwards gets the post in seconds, not after a minute.
		const bo = await device('Bo');
		await eventually(() => Object.keys(bo.root.doc()?.docs.help ?? {}).length, (n) => n > 0);
		const seen = await find<HelpDoc>(bo.repo, board.url);
		await eventually(() => (seen.isReady() ? Object.keys(seen.doc().posts).length : 0), (n) => n === 1, 8000);
		expect(relay.logs.join('')).not.toContain('still waiting for documents');
	});

	it("judges a device's change against what the relay accepted from it a moment before, also while that is still being stored", async () => {
		const ann = await device('Ann');
		const { board, stored } = await quarterOnRelay(ann);
		const accepted = slowToStore();
		const refusals: unknown[] = [];
		board.on('ephemeral-message', ({ message }) => {
			if ((message as { noaber?: string })?.noaber === 'refused') refusals.push(message);
		});

		const postId = createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Wie haalt mijn recept op?' }, { memberId: ann.memberId });
		const made = A.getHeads(board.doc())[0]!;
		await eventually(() => accepted.includes(made), Boolean);
		// She was helped at once: the relay has taken her post, but not yet stored it.
		expect(A.hasHeads(stored.doc(), [made])).toBe(false);
		markDone(board, postId, { memberId: ann.memberId });

		const bo = await device('Bo');
		const seen = await find<HelpDoc>(bo.repo, board.url);
		await eventually(() => (seen.isReady() ? String(seen.doc().posts[postId]?.status ?? '') : ''), (status) => status === 'done');
		expect(refusals).toEqual([]);
		expect(relay.logs.join('')).not.toContain('change refused by rule');
	});

	it('lets an intermediary post for a resident they added a moment before, while the relay is still storing that resident', async () => {
		const vera = await device('Vera', ['intermediary']);
		const { board } = await quarterOnRelay(vera);
		const accepted = slowToStore();

		addManaged(vera.members, 'henk-0001', { ...blankProfile(), name: 'Henk' }, { by: vera.memberId, how: 'phone' });
		const added = A.getHeads(vera.members.doc())[0]!;
		await eventually(() => accepted.includes(added), Boolean);
		const postId = createPost(board, { ...blankPost('request'), category: 'vervoer', title: 'Henk moet naar de huisarts' }, { memberId: 'henk-0001', actedBy: vera.memberId });

		const bo = await device('Bo');
		const seen = await find<HelpDoc>(bo.repo, board.url);
		await eventually(() => (seen.isReady() ? String(seen.doc().posts[postId]?.title ?? '') : ''), (title) => title === 'Henk moet naar de huisarts');
		expect(relay.logs.join('')).not.toContain('change refused by rule');
	});
});
