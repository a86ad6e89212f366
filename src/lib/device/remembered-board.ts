// The first screenful of the help board as the board page last showed it, kept on the device so
// the next start on /hulp paints it at once: offline on the cheap phone the board's documents showed
// their first posts after 2 to 3 s, the kept screenful after 0.6 s (bench/help-phone.ts). Kept as
// the page's own words, in the language they were shown in (the dates in them need the date data,
// which loads with the documents), and only for the board as it first shows (every open post, no
// filter). It goes with the device's copy (forget.ts).
import * as v from 'valibot';
import { keptScreenful } from './kept-view.ts';

/** One key per neighbourhood, root URL appended. */
export const REMEMBERED_BOARD = 'noaber.board.';

/** Cards kept: a phone shows two or three under the page's top, a tablet six. */
export const BOARD_CARDS = 8;

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** One post as the board lists it, in words. */
const Card = v.object({
	/** Only a post of this board: a damaged value must not become a link elsewhere. */
	id: v.pipe(text(100), v.regex(/^[\w-]+$/)),
	kind: v.picklist(['request', 'offer']),
	/** "Vraag", "Aanbod". */
	kindLabel: text(100),
	category: text(200),
	/** The badges after the category, each when it applies: "Afgesproken", "Verborgen", "Nog nodig?". */
	status: text(100),
	hidden: text(100),
	stale: text(100),
	title: text(1000),
	when: text(2000),
	/** "Van Anna · 2 buren reageerden". */
	by: text(1000)
});
export type PostCard = v.InferOutput<typeof Card>;

const kept = keptScreenful(REMEMBERED_BOARD, Card, BOARD_CARDS);

export const rememberBoard = kept.keep;
/** What was kept for this neighbourhood, if it was shown in `language`. */
export const rememberedBoard = kept.kept;
