// The help board's documents: a document per quarter, and yearly archives of long-closed posts.
// The current and previous quarter open first; older quarters after. All are read away from the
// page where the browser can, and pages change them through the board's actions. The archives stay
// there until a page needs posts closed long ago (a filter on closed posts, a post's own page, the
// report) or news of their time: the board as it first shows, and this week's news, need none.
import type { DocumentsDeclaration, Listed } from '../automerge/module-documents.svelte.ts';
import type { RootDoc } from '../neighbourhood/document.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import type { HelpDoc } from './document.ts';
import { helpActions, type HelpActions } from './actions.ts';
import { archiveOld } from './archiving.ts';
import { freshQuarter, loadOrder } from './periods.ts';
import { postsSpan } from './span.ts';
import { combinePosts, piecesOfPosts, readPosts, type PostsRead } from './view.ts';

const isQuarter = (entry: Listed): entry is Required<Listed> => entry.period !== undefined;

export const helpDocuments: DocumentsDeclaration<RootIndex, HelpDoc, PostsRead, HelpActions, RootDoc> = {
	// A sealed quarter's posts live in its archive: the board does not open it.
	listed: ({ help, helpArchive, helpSealed }) => {
		const sealed = new Set(helpSealed);
		return [...help.filter(({ url }) => !sealed.has(url)), ...helpArchive.map(({ url }) => ({ url }))];
	},
	order: (fresh, now) => {
		const { first, later } = loadOrder(fresh.filter(isQuarter), now);
		return { first, later: [...fresh.filter((entry) => !isQuarter(entry)), ...later] };
	},
	page: '/hulp',
	read: readPosts,
	combine: combinePosts,
	pieces: piecesOfPosts,
	span: postsSpan,
	held: (entry) => !isQuarter(entry),
	actions: helpActions,
	// A post goes into its quarter's document; the board lists the newest quarter first.
	adds: { listedIn: 'help', fresh: freshQuarter, place: 'first' },
	tidy: (board) => archiveOld(board)
};
