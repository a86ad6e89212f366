// Taking access away takes away everything that could still be used: removing a member closes
// every device of theirs (through the access book), and closing the old shared key ends what its
// holders could use; both replace the agenda feed's secret address, which they may have seen.
// One function each for the app's managers (access-api.ts) and the operator's shell (access-cli.ts).
import type { Refusal } from '../src/lib/access/api.ts';
import type { AccessBook } from './access-book.ts';
import type { Registry } from './registry.ts';

export function removeMember(book: AccessBook, registry: Registry, neighbourhood: string, memberId: string, by?: string): Refusal | undefined {
	const refusal = book.removeMember(neighbourhood, memberId, by);
	if (!refusal) replaceFeed(registry, neighbourhood);
	return refusal;
}

export function closeOldKey(book: AccessBook, registry: Registry, neighbourhood: string, by?: string): void {
	book.closeOldKey(neighbourhood, by);
	replaceFeed(registry, neighbourhood);
}

function replaceFeed(registry: Registry, neighbourhood: string) {
	// A feed that never had an address has nothing to replace; the first ask makes a fresh one.
	if (registry.find(neighbourhood)?.feedToken) registry.rotateFeed(neighbourhood);
}
