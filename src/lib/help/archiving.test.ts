import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import { addHelpPeriod } from '../neighbourhood/mutations.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import { helpDocuments } from './documents.ts';
import type { HelpDoc } from './document.ts';
import { accept, blankPost, createPost, markDone, respond, withdrawPost } from './mutations.ts';
import { readPosts } from './view.ts';
import { postNews } from './news.ts';
import { showsArchived, sinceSpan } from './span.ts';
import { overlaps } from '../automerge/span.ts';

const anna = { memberId: 'anna-000001' };
const bert = { memberId: 'bert-000001' };
const at = (iso: string) => new Date(iso);

/** A neighbourhood whose board has a quarter long closed, one with a post still open, and this quarter. */
function board() {
	const repo = new Repo();
	const { root } = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: ['wss://relay.example.org/sync'] });
	const quarter = (period: string) => {
		const handle = repo.create<HelpDoc>({ period: imm(period), posts: {} });
		addHelpPeriod(root, period, handle.url);
		return handle;
	};
	const closed = quarter('2026Q1');
	const lift = createPost(closed, { ...blankPost(), category: 'vervoer', title: 'Naar het café' }, anna, at('2026-02-01T10:00:00Z'));
	accept(closed, lift, respond(closed, lift, 'Ik rijd', bert, at('2026-02-01T11:00:00Z'))!, anna, at('2026-02-01T12:00:00Z'));
	markDone(closed, lift, anna, at('2026-02-03T12:00:00Z'));
	const hedge = createPost(closed, { ...blankPost(), category: 'tuin', title: 'Heg snoeien' }, anna, at('2026-03-01T10:00:00Z'));
	withdrawPost(closed, hedge, anna, at('2026-03-02T10:00:00Z'));
	const open = quarter('2026Q2');
	createPost(open, { ...blankPost(), category: 'tuin', title: 'Gras maaien' }, anna, at('2026-05-01T10:00:00Z'));
	const current = quarter('2026Q4');
	const handles = new Map<string, DocHandle<HelpDoc>>([closed, open, current].map((h) => [h.url, h]));
	const index = () => {
		const read = readNeighbourhood(root.doc());
		return read.ok ? read.neighbourhood.docs : undefined;
	};
	const tidying = {
		index,
		root,
		// The views as the page has them: read once, before the tidy.
		viewOf: (url: string) => (handles.has(url) ? readPosts([{ url, doc: handles.get(url)!.doc() }]) : undefined),
		open: (url: string) => handles.get(url) ?? repo.find<HelpDoc>(url as never),
		create: (initial: HelpDoc) => {
			const made = repo.create<HelpDoc>(initial);
			handles.set(made.url, made);
			return made;
		},
		closed: () => false
	};
	return { repo, root, closed, open, current, index, tidying };
}

describe("the board's housekeeping", () => {
	it('moves a quarter whose posts all closed long ago into its year’s archive and seals it; the rest stays live', async () => {
		const { repo, closed, open, current, index, tidying } = board();
		await helpDocuments.tidy!(tidying);
		const docs = index()!;
		expect(docs.helpSealed).toEqual([closed.url]);
		expect(docs.helpArchive).toHaveLength(1);
		expect(docs.helpArchive[0].year).toBe('2026');
		// Still listed as quarters: a device that has not seen the seal reads them as before.
		expect(docs.help.map((e) => e.url).sort()).toEqual([closed.url, open.url, current.url].sort());
		const archive = await repo.find<HelpDoc>(docs.helpArchive[0].url as never);
		const archived = readPosts([{ url: archive.url, doc: archive.doc() }]).items;
		expect(archived.map((p) => [p.title, p.status])).toEqual([
			['Heg snoeien', 'withdrawn'],
			['Naar het café', 'done']
		]);
		// What the board lists to read now: the archive instead of the sealed quarter.
		expect(helpDocuments.listed(docs).map((e) => e.url).sort()).toEqual([open.url, current.url, archive.url].sort());
	});

	it('reads no view of the quarters of now, which cannot be archived yet', async () => {
		const { closed, open, current, tidying } = board();
		const read: string[] = [];
		await helpDocuments.tidy!({ ...tidying, viewOf: (url) => (read.push(url), tidying.viewOf(url)) });
		expect(read.sort()).toEqual([closed.url, open.url].sort());
		expect(read).not.toContain(current.url);
	});

	it('a second run, or another device’s, archives nothing twice', async () => {
		const { index, tidying } = board();
		await helpDocuments.tidy!(tidying);
		const first = index()!;
		await helpDocuments.tidy!(tidying);
		expect(index()!.helpArchive).toEqual(first.helpArchive);
		expect(index()!.helpSealed).toEqual(first.helpSealed);
	});

	it('leaves the archive in the background until a page shows closed posts, or news of its days', async () => {
		const { repo, open, current, index, tidying } = board();
		await helpDocuments.tidy!(tidying);
		const docs = index()!;
		const listed = helpDocuments.listed(docs);
		// The quarters come, where a post may still be open; the archive is kept back.
		expect(listed.filter((entry) => helpDocuments.held!(entry)).map((e) => e.url)).toEqual([docs.helpArchive[0].url]);
		expect(listed.filter((entry) => !helpDocuments.held!(entry)).map((e) => e.url).sort()).toEqual([open.url, current.url].sort());

		const archive = await repo.find<HelpDoc>(docs.helpArchive[0].url as never);
		const read = readPosts([{ url: archive.url, doc: archive.doc() }]);
		// From the day the first post was written to the day the last one was withdrawn.
		const span = helpDocuments.span!(read)!;
		expect(span).toEqual({ from: '2026-02-01', to: '2026-03-02' });
		// Every piece of news its posts give falls within it: news since a later day needs no archive.
		const news = read.items.flatMap(postNews);
		expect(news.length).toBeGreaterThan(0);
		for (const item of news) expect(overlaps(span, sinceSpan(item.at))).toBe(true);
		expect(overlaps(span, sinceSpan('2026-03-03T00:00:00Z'))).toBe(false);
		// Only a filter that shows closed posts can show one of it; the board as it first shows cannot.
		for (const post of read.items) expect(showsArchived(post.status)).toBe(true);
		expect([showsArchived('active'), showsArchived('open'), showsArchived('agreed'), showsArchived('')]).toEqual([false, false, false, true]);
	});
});
