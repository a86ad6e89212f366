// Creating a hosted neighbourhood: its documents through the shared domain module, its entry in
// the registry, and the invite link that opens it.
import type { DocumentId, Repo } from '@automerge/automerge-repo/slim';
import { createNeighbourhood, type FirstManager } from '../src/lib/neighbourhood/create.ts';
import { inviteLink, relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import type { DetailsInput } from '../src/lib/neighbourhood/schema.ts';
import type { NeighbourhoodRecord, Registry } from './registry.ts';
import { consumeSetupToken } from './setup-token.ts';

export interface Hosted {
	id: string;
	name: string;
	invite: string;
	relay: string;
	root: string;
	key: string;
}

export function describeHosted(record: NeighbourhoodRecord, origin: string): Hosted {
	const relay = relaySocketUrl(origin);
	return {
		id: record.id,
		name: record.name,
		invite: inviteLink(origin, { relay, root: record.root, key: record.key }),
		relay,
		root: record.root,
		key: record.key
	};
}

export async function createHosted(
	repo: Repo,
	registry: Registry,
	details: DetailsInput,
	options: { origin: string; manager?: FirstManager }
): Promise<Hosted> {
	const created = createNeighbourhood(repo, details, {
		relays: [relaySocketUrl(options.origin)],
		manager: options.manager
	});
	// On disk before anyone is told the link: a client may ask for the root at once.
	await repo.flush(created.documentIds as DocumentId[]);
	const record = registry.add({
		id: created.id,
		name: details.name,
		root: created.root.url,
		documents: created.documentIds
	});
	// Any creation uses the one-time setup link up, also one from the shell: the link exists only
	// so that a relay without neighbourhoods can get its first.
	consumeSetupToken(registry.data);
	return describeHosted(record, options.origin);
}
