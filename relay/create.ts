// Creating a hosted neighbourhood: its documents through the shared domain module, its entry in
// the registry, and the way in for its first manager: a device credential when the manager made
// it in the browser (setup link), or a one-use invitation that makes its holder manager when the
// operator made it from the shell.
import type { DocumentId, Repo } from '@automerge/automerge-repo/slim';
import { createNeighbourhood, type FirstManager } from '../src/lib/neighbourhood/create.ts';
import { inviteLink, relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import type { DetailsInput } from '../src/lib/neighbourhood/schema.ts';
import type { AccessBook } from './access-book.ts';
import type { Registry } from './registry.ts';
import { consumeSetupToken } from './setup-token.ts';

export interface Hosted {
	id: string;
	name: string;
	relay: string;
	root: string;
	/** A link with a ticket to join (for the shell's first manager: one use, makes them manager). */
	invite?: string;
	/** The first manager's own device credential (setup in the browser). */
	credential?: string;
}

/** A new invitation link for a neighbourhood: a personal one (one use) or one for anyone. */
export function invitation(
	book: AccessBook,
	record: { id: string; root: string },
	origin: string,
	options: { personal?: string; expiresAt?: string; roles?: Array<'manager'> } = {}
): { id: string; invite: string } {
	const made = book.makeTicket(record.id, options);
	return { id: made.id, invite: inviteLink(origin, { relay: relaySocketUrl(origin), root: record.root, ticket: made.ticket }) };
}

export async function createHosted(
	repo: Repo,
	registry: Registry,
	book: AccessBook,
	details: DetailsInput,
	options: { origin: string; manager?: FirstManager & { label?: string } }
): Promise<Hosted> {
	const relay = relaySocketUrl(options.origin);
	const created = createNeighbourhood(repo, details, { relays: [relay], manager: options.manager });
	// On disk before anyone is told the link: a client may ask for the root at once.
	await repo.flush(created.documentIds as DocumentId[]);
	const record = registry.add({ id: created.id, name: details.name, root: created.root.url, documents: created.documentIds });
	// Any creation uses the one-time setup link up, also one from the shell: the link exists only
	// so that a relay without neighbourhoods can get its first.
	consumeSetupToken(registry.data);
	const hosted: Hosted = { id: record.id, name: record.name, relay, root: record.root };
	if (options.manager) {
		const granted = book.found(record.id, {
			memberId: options.manager.id,
			name: options.manager.profile.name,
			label: options.manager.label ?? ''
		});
		return { ...hosted, credential: granted.credential };
	}
	const first = invitation(book, record, options.origin, { personal: 'wijkverbinder', roles: ['manager'] });
	return { ...hosted, invite: first.invite };
}
