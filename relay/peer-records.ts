// What one relay sends another about a neighbourhood: its access book (access-book.ts), checked
// like anything from outside. A paired relay is trusted with its own neighbourhood's access, not
// with this relay: every field is checked, and the counts and sizes are capped.
import * as v from 'valibot';
import { BookFile, type Book } from './access-book.ts';

export const NeighbourhoodId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
/** A whole book of a large neighbourhood fits; a request larger than this is refused unread. */
export const MAX_PEER_BODY = 8 * 1024 * 1024;
const MAX_RECORDS = 20_000;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const fits = (record: Record<string, unknown>) => Object.keys(record).length <= MAX_RECORDS && Object.keys(record).every((id) => ID.test(id));

export const PeerBook = v.pipe(
	BookFile,
	v.check((b) => fits(b.members) && fits(b.devices) && fits(b.tickets) && fits(b.codes) && b.history.length <= 1000, 'too large')
);

export const parsePeerBook = (value: unknown): Book | undefined => {
	const parsed = v.safeParse(PeerBook, value);
	return parsed.success ? parsed.output : undefined;
};
