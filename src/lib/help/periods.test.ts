import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { SlowStorage } from '../../../tests/slow-storage.ts';
import { imm } from '../automerge/immutable.ts';
import type { HelpDoc, HelpIndex } from './document.ts';
import { blankPost, createPost } from './mutations.ts';
import { readHelpIndex } from './document.ts';
import { ensurePeriodDoc as ensureListed, type PeriodStore } from '../automerge/period-index.ts';
import { freshQuarter, loadOrder, postingDoc } from './periods.ts';
import { readPosts } from './view.ts';

/** The quarter to post in, found as the connection finds it (`freshQuarter` is the board's `adds.fresh`). */
const ensurePeriodDoc = (store: PeriodStore<HelpDoc>, period: string) => ensureListed(store, period, freshQuarter);

/** Just enough of the root for the index: the lead's RootDoc has it under `docs.help`. */
type RootLike = {
	docs: { help: HelpIndex };
};

/**
 * A device: its own repo, its copy of the root, and the store `ensurePeriodDoc` needs. Its
 * storage is written only when asked (the repository's own write comes a day later).
 */
function device(root: A.Doc<RootLike>, storage = new SlowStorage()) {
	const repo = new Repo({ storage, network: [], saveDebounceRate: 86_400_000 });
	const rootHandle = repo.import<RootLike>(A.save(root));
	const store: PeriodStore<HelpDoc> = {
		entries: () => readHelpIndex(rootHandle.doc().docs.help),
		open: (url) => repo.find<HelpDoc>(url as AutomergeUrl),
		create: (initial) => repo.create<HelpDoc>(initial),
		list: (period, url) => rootHandle.change((d) => void (d.docs.help[url] = imm(period))),
		stored: (handle) => repo.flush([handle.documentId, rootHandle.documentId])
	};
	return { repo, rootHandle, store, storage };
}

const post = { ...blankPost(), category: 'tuin', title: 'Heg snoeien' };
const url = (n: number) => `automerge:${String(n).repeat(28)}`;

describe('the index of period documents', () => {
	it('reads entries newest first and skips what is not a URL and a quarter', () => {
		const index = { [url(2)]: imm('2026Q3'), [url(3)]: imm('2026Q4'), [url(1)]: '2026Q4', 'not-a-url': imm('2026Q4'), [url(4)]: imm('2026Q5'), [url(5)]: 7 };
		expect(readHelpIndex(index)).toEqual([
			{ period: '2026Q4', url: url(1) },
			{ period: '2026Q4', url: url(3) },
			{ period: '2026Q3', url: url(2) }
		]);
		expect(readHelpIndex(null)).toEqual([]);
	});

	it('opens every document of the current and previous quarter first, the rest later', () => {
		const entries = readHelpIndex({ [url(1)]: '2026Q4', [url(3)]: '2026Q4', [url(2)]: '2026Q3', [url(4)]: '2026Q2', [url(5)]: '2025Q1' });
		const order = loadOrder(entries, new Date('2026-11-28T12:00:00Z'));
		expect(order.first.map((e) => e.url)).toEqual([url(1), url(3), url(2)]);
		expect(order.later.map((e) => e.period)).toEqual(['2026Q2', '2025Q1']);
		// A quiet neighbourhood: nothing in the last two quarters, so the newest period shows first.
		const quiet = loadOrder(entries, new Date('2028-05-01T12:00:00Z'));
		expect(quiet.first.map((e) => e.url)).toEqual([url(1), url(3)]);
		expect(quiet.later).toHaveLength(3);
	});
});

describe('ensurePeriodDoc', () => {
	it('creates and lists a missing period once, then reuses it', async () => {
		const { store, rootHandle } = device(A.from<RootLike>({ docs: { help: {} } }));
		const first = await ensurePeriodDoc(store, '2026Q4');
		expect(first.created).toBe(true);
		expect(String(first.handle.doc().period)).toBe('2026Q4');
		expect(readHelpIndex(rootHandle.doc().docs.help)).toEqual([{ period: '2026Q4', url: first.handle.url }]);
		const again = await ensurePeriodDoc(store, '2026Q4');
		expect(again).toMatchObject({ created: false });
		expect(again.handle.url).toBe(first.handle.url);
		await expect(ensurePeriodDoc(store, '2026-11')).rejects.toThrow();
	});

	it('a new quarter and its listing are on the device before anything is posted in it', async () => {
		const { store, rootHandle, storage } = device(A.from<RootLike>({ docs: { help: {} } }));
		storage.held = true;
		let done = false;
		const made = ensurePeriodDoc(store, '2026Q4').then((result) => ((done = true), result));
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(done).toBe(false);
		storage.release();
		storage.held = false;
		const { handle } = await made;
		// The app closed right after: what the device kept is all a new start finds.
		const again = new Repo({ storage, network: [] });
		const root = await again.find<RootLike>(rootHandle.url);
		expect(readHelpIndex(root.doc().docs.help)).toEqual([{ period: '2026Q4', url: handle.url }]);
		expect(String((await again.find<HelpDoc>(handle.url)).doc().period)).toBe('2026Q4');
		await again.shutdown();
	});

	it('two devices starting the same quarter offline both stay listed, and no post is lost', async () => {
		const shared = A.from<RootLike>({ docs: { help: {} } });
		const left = device(shared);
		const right = device(shared);
		const a = await ensurePeriodDoc(left.store, '2026Q4');
		const b = await ensurePeriodDoc(right.store, '2026Q4');
		createPost(a.handle, { ...post, title: 'Van links' }, { memberId: 'anna-000001' });
		createPost(b.handle, { ...post, title: 'Van rechts' }, { memberId: 'bert-000001' });

		left.rootHandle.merge(right.rootHandle);
		const entries = readHelpIndex(left.rootHandle.doc().docs.help);
		expect(entries.map((e) => e.url).sort()).toEqual([a.handle.url, b.handle.url].sort());
		const docs: DocHandle<HelpDoc>[] = [a.handle, b.handle];
		const titles = readPosts(docs.map((h) => ({ url: h.url, doc: h.doc() }))).items.map((p) => p.title);
		expect(titles.sort()).toEqual(['Van links', 'Van rechts']);

		// From now on both devices post into the same one of the two.
		right.rootHandle.merge(left.rootHandle);
		const chosen = postingDoc(entries, '2026Q4')!.url;
		expect(postingDoc(readHelpIndex(right.rootHandle.doc().docs.help), '2026Q4')!.url).toBe(chosen);
	});

	it('(why the index is flat) a nested period → urls map created on two devices keeps only one', () => {
		let left = A.from<{ help: Record<string, Record<string, true>> }>({ help: {} });
		let right = A.clone(left);
		left = A.change(left, (d) => void (d.help['2026Q4'] = { [url(1)]: true }));
		right = A.change(right, (d) => void (d.help['2026Q4'] = { [url(2)]: true }));
		const merged = A.merge(left, right);
		expect(Object.keys(merged.help['2026Q4'])).toHaveLength(1);
	});
});
