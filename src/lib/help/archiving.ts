// The board's housekeeping (its declared `tidy`): once a device has read every quarter, quarters
// whose posts all closed long ago move into their year's archive and are sealed, so the next
// start reads a year from one small document instead of four large ones (see archive.ts).
import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Tidying } from '../automerge/module-documents.svelte.ts';
import { imm } from '../automerge/immutable.ts';
import type { RootDoc } from '../neighbourhood/document.ts';
import { addHelpArchive, sealHelpPeriod } from '../neighbourhood/mutations.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { archivable, archivePosts, longPast, yearOf } from './archive.ts';
import type { ArchiveDoc, HelpDoc } from './document.ts';
import { readPosts, type PostsRead } from './view.ts';

/**
 * Which quarters go is read from the board's views, wherever they were read; only a quarter to
 * archive, and its year's archive, open on the page.
 */
export async function archiveOld(board: Tidying<RootIndex, HelpDoc, PostsRead, RootDoc>, now = new Date()): Promise<void> {
	const index = board.index();
	if (!index) return;
	let archives = index.helpArchive;
	const sealed = new Set(index.helpSealed);
	for (const { url, period: listedPeriod } of index.help) {
		// The quarters of now are not even read: one open on the page is read whole for its view.
		if (sealed.has(url) || !longPast(listedPeriod, now)) continue;
		const shown = board.viewOf(url)?.items ?? [];
		const period = shown[0]?.period ?? '';
		if (shown.length === 0 || !archivable(period, shown, now)) continue;
		const quarter = await board.open(url);
		// As it is now on this device, not as it was last sent to the page.
		const posts = readPosts([{ url, doc: quarter.doc() }]).items;
		if (posts.length === 0 || !archivable(period, posts, now) || board.closed()) continue;
		const year = yearOf(period);
		const listed = archives.find((a) => a.year === year);
		// An archive is one of the board's documents: the board reads both kinds.
		let archive = listed ? ((await board.open(listed.url)) as unknown as DocHandle<ArchiveDoc>) : undefined;
		if (!archive) {
			archive = board.create({ year: imm(year), posts: {} } as unknown as HelpDoc) as unknown as DocHandle<ArchiveDoc>;
			addHelpArchive(board.root, year, archive.url);
			archives = [...archives, { year, url: archive.url }];
		}
		archivePosts(archive, posts);
		sealHelpPeriod(board.root, url, archive.url);
	}
}
