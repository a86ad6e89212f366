// Removing a member takes away everything they could still use: every device of theirs (through
// the access book) and the agenda feed's secret address, which they may have seen in the app.
// One function for the app's managers (access-api.ts) and the operator's shell (access-cli.ts).
import type { Refusal } from '../src/lib/access/api.ts';
import type { AccessBook } from './access-book.ts';
import type { Registry } from './registry.ts';

export function removeMember(book: AccessBook, registry: Registry, neighbourhood: string, memberId: string, by: string): Refusal | undefined {
	const refusal = book.removeMember(neighbourhood, memberId, by);
	// A feed that never had an address has nothing to replace; the first ask makes a fresh one.
	if (!refusal && registry.find(neighbourhood)?.feedToken) registry.rotateFeed(neighbourhood);
	return refusal;
}
