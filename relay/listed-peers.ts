// The paired relays a neighbourhood still lists: a relay a manager retired ("Niet meer gebruiken")
// may stay in peers/<id>.json, but is no longer asked whose a passed-on change is (vouching.ts).
// While the root is not in memory the list cannot be read, and every paired relay counts.
import type { Doc } from '@automerge/automerge/slim';
import { relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import { sameRelay } from '../src/lib/neighbourhood/relay-list.ts';
import { readNeighbourhood } from '../src/lib/neighbourhood/view.ts';
import type { PeerRelay } from './peers-book.ts';

export function listedPeers(peers: readonly PeerRelay[], root: Doc<unknown> | undefined): PeerRelay[] {
	const read = root === undefined ? undefined : readNeighbourhood(root);
	if (!read?.ok) return [...peers];
	const listed = read.neighbourhood.relays;
	return peers.filter((peer) => listed.some((relay) => sameRelay(relay, relaySocketUrl(peer.url))));
}
