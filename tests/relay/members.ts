// Members made for tests and benchmarks straight in a relay's access book, as the operator's
// command would: no browser, no vitest (benchmarks import this too).
import { refused, type AccessBook } from '../../relay/access-book.ts';
import { newId } from '../../relay/secrets.ts';
import type { Granted } from '../../src/lib/access/api.ts';
import type { Role } from '../../src/lib/access/roles.ts';

/** A new member of the neighbourhood with one device, let in by a ticket made for them. */
export function newMember(book: AccessBook, neighbourhood: string, options: { name?: string; roles?: Role[] } = {}): Granted {
	const { ticket } = book.makeTicket(neighbourhood, { personal: options.name ?? 'Buur', roles: options.roles });
	const granted = book.join(neighbourhood, { ticket, name: options.name ?? 'Buur', label: 'test', memberId: newId() });
	if (refused(granted)) throw new Error(`could not join: ${granted.refused}`);
	return granted;
}
