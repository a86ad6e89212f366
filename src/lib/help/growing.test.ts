// The board as it grows on the page: ten years come a document (or a piece of one) at a time, and
// each is added to what was there. Whatever the order and the pieces, the page must list what
// reading every document at once lists, and filter it the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoardFinder, filterPosts, type Filter } from './search.ts';
import { combinePosts, piecesOfPosts, postsAdded, type Post, type PostsRead } from './view.ts';

const STATUSES = ['open', 'agreed', 'done', 'withdrawn'] as const;

function post(id: number, day: number, status: (typeof STATUSES)[number], archived: boolean): Post {
	return {
		id: `post-${String(id).padStart(5, '0')}`,
		kind: id % 2 ? 'request' : 'offer',
		category: id % 3 ? 'boodschappen' : 'tuin',
		title: id % 5 ? 'Boodschappen' : 'Naar het café',
		description: '',
		status,
		createdAt: new Date(Date.UTC(2017, 0, 1 + day)).toISOString(),
		hidden: null,
		responses: [],
		history: [],
		responseCount: 0,
		helpers: [],
		period: '2017Q1',
		documentUrl: archived ? 'automerge:archive' : 'automerge:quarter',
		...(archived ? { archivedFrom: 'automerge:sealed' } : {})
	} as unknown as Post;
}

const readOf = (items: Post[], skipped = 0): PostsRead => ({ items: [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1)), skipped, skippedParts: 0 });

/**
 * Documents of posts: each post live in at most one, and archived in at most one, as after another
 * device archived a quarter while this one still reads it live.
 */
const documents = fc
	.tuple(
		fc.integer({ min: 1, max: 5 }),
		fc.uniqueArray(
			fc.record({ id: fc.integer({ min: 0, max: 60 }), day: fc.integer({ min: 0, max: 40 }), status: fc.constantFrom(...STATUSES), live: fc.nat(6), archived: fc.nat(6) }),
			{ selector: (s) => s.id, maxLength: 30 }
		)
	)
	.map(([count, specs]) =>
		Array.from({ length: count }, (_, i) =>
			readOf(
				specs.flatMap((s) => [...(s.live === i ? [post(s.id, s.day, s.status, false)] : []), ...(s.archived === i && s.live !== i ? [post(s.id, s.day, 'done', true)] : [])]),
				i
			)
		)
	);

const FILTERS: Filter[] = [{ status: 'active' }, {}, { kind: 'request', status: 'done' }, { query: 'cafe' }];

describe('the board as its documents come in', () => {
	it('lists and filters, piece by piece and in any order, what reading every document at once does', () => {
		fc.assert(
			fc.property(documents, fc.integer({ min: 1, max: 4 }), fc.nat(), (docs, size, turn) => {
				const order = docs.map((_, i) => docs[(i + turn) % docs.length]!);
				const whole = combinePosts(docs);
				const finders = FILTERS.map(() => new BoardFinder());
				let shown: PostsRead | undefined;
				for (const piece of order.flatMap((doc) => piecesOfPosts(doc, size))) {
					shown = shown ? combinePosts([shown, piece]) : combinePosts([piece]);
					FILTERS.forEach((filter, i) => expect(finders[i]!.find(shown!, filter)).toEqual(filterPosts(shown!.items, filter)));
				}
				expect(shown!.items).toEqual(whole.items);
				expect(shown!.skipped).toBe(whole.skipped);
			})
		);
	});

	it('adds only what came, and keeps the board found as it was when nothing it shows came', () => {
		const open = readOf([post(1, 30, 'open', false), post(2, 31, 'agreed', false)]);
		const closedYear = readOf([post(3, 2, 'done', true), post(4, 1, 'withdrawn', true)]);
		const finder = new BoardFinder();
		const first = combinePosts([open]);
		const found = finder.find(first, { status: 'active' });
		expect(found.map((p) => p.id)).toEqual(['post-00002', 'post-00001']);

		const grown = combinePosts([first, closedYear]);
		expect(postsAdded(grown)).toEqual({ from: first.items, added: closedYear.items });
		expect(grown.items.map((p) => p.id)).toEqual(['post-00002', 'post-00001', 'post-00003', 'post-00004']);
		// The same list: the page has nothing to draw again.
		expect(finder.find(grown, { status: 'active' })).toBe(found);

		// The live post of an archived copy already shown: read whole again, the live one shown.
		const live = readOf([post(3, 2, 'open', false)]);
		const again = combinePosts([grown, live]);
		expect(postsAdded(again)).toBeUndefined();
		expect(again.items.find((p) => p.id === 'post-00003')?.archivedFrom).toBeUndefined();
		expect(finder.find(again, { status: 'active' }).map((p) => p.id)).toEqual(['post-00002', 'post-00001', 'post-00003']);
	});
});
