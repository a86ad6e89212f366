import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { archivable, archivePosts } from './archive.ts';
import type { ArchiveDoc, HelpDoc } from './document.ts';
import { accept, blankPost, createPost, markDone, respond, withdrawPost } from './mutations.ts';
import { monthlyReport } from './report.ts';
import { filterPosts } from './search.ts';
import { combinePosts, piecesOfPosts, readPosts } from './view.ts';

const anna = { memberId: 'anna-000001' };
const bert = { memberId: 'bert-000001' };
const at = (iso: string) => new Date(iso);
const now = at('2026-11-28T12:00:00Z');

function oldQuarter() {
	const repo = new Repo();
	const quarter = repo.create<HelpDoc>({ period: imm('2026Q1'), posts: {} });
	const a = createPost(quarter, { ...blankPost(), category: 'vervoer', title: 'Naar het café', description: 'Samen koffie' }, anna, at('2026-02-01T10:00:00Z'));
	const r = respond(quarter, a, 'Ik rijd', bert, at('2026-02-01T11:00:00Z'))!;
	accept(quarter, a, r, anna, at('2026-02-01T12:00:00Z'));
	markDone(quarter, a, anna, at('2026-02-03T12:00:00Z'));
	const b = createPost(quarter, { ...blankPost(), category: 'tuin', title: 'Heg snoeien' }, anna, at('2026-03-01T10:00:00Z'));
	return { repo, quarter, a, b };
}

describe('archiving a quarter', () => {
	it('only when the quarter is older than the previous one and every post closed 60 days ago', () => {
		const { quarter, b } = oldQuarter();
		const posts = () => readPosts([{ url: quarter.url, doc: quarter.doc() }]).items;
		expect(archivable('2026Q1', posts(), now)).toBe(false); // one post still open
		withdrawPost(quarter, b, anna, at('2026-10-15T10:00:00Z'));
		expect(archivable('2026Q1', posts(), now)).toBe(false); // closed too recently
		expect(archivable('2026Q1', posts(), at('2026-11-28T12:00:00Z'))).toBe(false);
		expect(archivable('2026Q1', posts(), at('2027-01-10T12:00:00Z'))).toBe(true);
		expect(archivable('2026Q3', posts(), at('2026-11-28T12:00:00Z'))).toBe(false); // the previous quarter stays live
	});

	it('keeps what the board, search and reports need, and reads back as the same posts', () => {
		const { repo, quarter, b } = oldQuarter();
		withdrawPost(quarter, b, anna, at('2026-04-01T10:00:00Z'));
		const live = readPosts([{ url: quarter.url, doc: quarter.doc() }]).items;
		const archive = repo.create<ArchiveDoc>({ year: imm('2026'), posts: {} });
		expect(archivePosts(archive, live)).toBe(2);
		expect(archivePosts(archive, live)).toBe(0);

		const read = readPosts([{ url: archive.url, doc: archive.doc() }]);
		expect(read.skipped).toBe(0);
		const archived = read.items;
		expect(archived.map((p) => p.title)).toEqual(['Heg snoeien', 'Naar het café']);
		const cafe = archived.find((p) => p.title === 'Naar het café')!;
		expect(cafe).toMatchObject({ status: 'done', responseCount: 1, helpers: ['bert-000001'], period: '2026Q1', archivedFrom: quarter.url });
		expect(cafe.history).toEqual([]);
		expect(filterPosts(archived, { query: 'cafe', status: 'done' })).toHaveLength(1);
		expect(monthlyReport(archived)).toEqual(monthlyReport(live));
	});

	it('prefers the live post when a post is both live and archived, and skips broken entries', () => {
		const { repo, quarter, a } = oldQuarter();
		const live = readPosts([{ url: quarter.url, doc: quarter.doc() }]).items;
		const archive = repo.create<ArchiveDoc>({ year: imm('2026'), posts: {} });
		archivePosts(archive, live);
		archive.change((d) => {
			d.posts.broken = imm('{"id":');
			d.posts.forged = imm(JSON.stringify({ id: 'forged-0001', kind: 'sell' }));
		});
		const read = readPosts([
			{ url: quarter.url, doc: quarter.doc() },
			{ url: archive.url, doc: archive.doc() }
		]);
		expect(read.items).toHaveLength(2);
		expect(read.items.find((p) => p.id === a)?.archivedFrom).toBeUndefined();
		expect(read.items.find((p) => p.id === a)?.history.length).toBeGreaterThan(0);
		expect(read.skipped).toBe(2);
	});

	it('reads the same when each document is read on its own and combined as it comes, in any order', () => {
		const { repo, quarter } = oldQuarter();
		const live = readPosts([{ url: quarter.url, doc: quarter.doc() }]).items;
		const archive = repo.create<ArchiveDoc>({ year: imm('2026'), posts: {} });
		archivePosts(archive, live);
		const later = repo.create<HelpDoc>({ period: imm('2026Q4'), posts: {} });
		createPost(later, { ...blankPost(), category: 'tuin', title: 'Bladeren harken' }, bert, at('2026-11-01T10:00:00Z'));
		const sources = [quarter, archive, later].map((h) => ({ url: h.url, doc: h.doc() as unknown }));
		const all = readPosts(sources);
		const one = (i: number) => readPosts([sources[i]!]);
		// As the page takes them: the archive first, then this quarter, then the old quarter.
		const stepwise = combinePosts([combinePosts([one(1), one(2)]), one(0)]);
		expect(stepwise).toEqual(all);
		expect(combinePosts([one(0), combinePosts([one(2), one(1)])])).toEqual(all);
		expect(stepwise.items.map((p) => p.title)).toEqual(['Bladeren harken', 'Heg snoeien', 'Naar het café']);
		// The old quarter's post is shown live, with its history, though the archive came first.
		expect(stepwise.items.every((p) => p.archivedFrom === undefined)).toBe(true);
		// In pieces of one post, as a large archive goes to the page, each combined into what came before.
		const pieces = piecesOfPosts(all, 1);
		expect(pieces).toHaveLength(3);
		expect(pieces.reduce((whole, piece) => combinePosts([whole, piece]))).toEqual(all);
	});
});
