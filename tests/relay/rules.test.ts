// The relay as referee with the modules' real rules (issue #12), tried as an angry member would:
// a stock automerge-repo client holding an ordinary member's valid credential makes itself
// manager, renames the neighbourhood, edits and hides a neighbour's post, empties the member list
// and deletes every key of every document it can reach. Nothing of it is stored or reaches the
// other member; the device is told, takes it back (the app's own Refusals, as on a phone), and what
// it does next that the rules allow reaches the neighbours.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { rulesFor } from '../../src/lib/rules/documents.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankPost, createPost, editPost, hide } from '../../src/lib/help/mutations.ts';
import { join } from '../../src/lib/members/mutations.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import { Refusals } from '../../src/lib/automerge/refusals.svelte.ts';
import { client, eventually, find, hostNeighbourhood, newMember, shutdown, startTestRelay, type HostedForTest, type TestRelay } from './harness.ts';

const imm = (value: string) => new A.ImmutableString(value);
const PERIOD = '2026Q4';

describe('the relay refuses what the rules forbid, whoever sends it', () => {
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

	async function device(credential: string) {
		const repo = client(relay, credential);
		repos.push(repo);
		const root = await find<RootDoc>(repo, hosted.root);
		await eventually(() => root.isReady(), Boolean);
		const members = await find<MembersDoc>(repo, String(root.doc()!.docs.members));
		await eventually(() => members.isReady(), Boolean);
		return { repo, root, members };
	}
	const ready = async <T,>(handle: Promise<DocHandle<T>>) => {
		const h = await handle;
		await eventually(() => h.isReady(), Boolean);
		return h;
	};

	it('an ordinary member can neither take over nor empty the neighbourhood, and still takes part afterwards', async () => {
		// Ann, an ordinary member, starts this quarter's board with a request of her own.
		const annAccess = newMember(relay.access, hosted.id, { name: 'Ann' });
		const ann = await device(annAccess.credential);
		join(ann.members, annAccess.memberId, { ...blankProfile(), name: 'Ann' });
		const board = ann.repo.create<HelpDoc>(newPeriodDoc(PERIOD));
		ann.root.change((d) => {
			d.docs.help[board.url] = imm(PERIOD);
		});
		const postId = createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen op vrijdag' }, { memberId: annAccess.memberId });

		const vandalAccess = newMember(relay.access, hosted.id, { name: 'Victor' });
		const vandal = await device(vandalAccess.credential);
		const refusals = new Refusals({ repo: vandal.repo, root: hosted.root, isRelay: (peer) => peer.startsWith('noaber-relay-') });
		await eventually(() => Object.keys(vandal.root.doc()?.docs.help ?? {}).length, (n) => n === 1);
		const vboard = await ready(find<HelpDoc>(vandal.repo, board.url));
		await eventually(() => vboard.doc()?.posts[postId] !== undefined, Boolean);
		const map = await ready(find<Record<string, unknown>>(vandal.repo, Object.keys(vandal.root.doc()!.docs.map)[0]));

		const me = { memberId: vandalAccess.memberId };
		vandal.root.change((d) => {
			d.managers[vandalAccess.memberId] = true;
		});
		vandal.root.change((d) => {
			d.name = 'Vandalen';
		});
		editPost(vboard, postId, { ...blankPost('request'), category: 'boodschappen', title: 'Weg ermee' }, me);
		hide(vboard, postId, 'zomaar', me);
		for (const handle of [vandal.root, vandal.members, vboard, map] as Array<DocHandle<Record<string, unknown>>>) {
			handle.change((d) => {
				for (const key of Object.keys(d)) delete d[key];
			});
		}
		// Every document the vandal touched: the device is told, and takes each refused change back.
		await eventually(() => refusals.items.length, (n) => n >= 4);
		await eventually(() => vandal.root.doc()?.name, (name) => name === 'De Linde');

		// The vandal's phone now does what any member may: ask for help itself.
		await eventually(() => vboard.doc()?.posts?.[postId] !== undefined, Boolean);
		const own = createPost(vboard, { ...blankPost('request'), category: 'klussen', title: 'Lamp ophangen' }, me);

		const other = await device(newMember(relay.access, hosted.id, { name: 'Bert' }).credential);
		const oboard = await ready(find<HelpDoc>(other.repo, board.url));
		await eventually(() => oboard.doc()?.posts[own] !== undefined, Boolean);
		const seen = oboard.doc()!.posts[postId];
		expect(String(seen.title)).toBe('Boodschappen op vrijdag');
		expect(seen.hidden).toBeNull();
		expect(other.root.doc()!.name).toBe('De Linde');
		expect(Object.keys(other.root.doc()!.managers)).not.toContain(vandalAccess.memberId);
		expect(Object.keys(other.root.doc()!.docs.help)).toEqual([board.url]);
		expect(Object.keys(other.members.doc()!.members)).toContain(annAccess.memberId);
		const omap = await ready(find<Record<string, unknown>>(other.repo, Object.keys(other.root.doc()!.docs.map)[0]));
		expect(Object.keys(omap.doc()!).length).toBeGreaterThan(0);

		const log = relay.logs.join('');
		expect(log).toContain('change refused by rule');
		expect(log).not.toContain('Vandalen');
		expect(log).not.toContain('Weg ermee');
	}, 60_000);
});
