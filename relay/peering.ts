// The relay's side of several relays per neighbourhood, put together: the paired relays
// (peers-book.ts), keeping access the same with them (replication.ts), the other relays' calls
// (peer-api.ts) and a manager adding a relay (add-relay.ts). main.ts makes one at start.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Refusal } from '../src/lib/access/api.ts';
import type { AccessBook } from './access-book.ts';
import { addRelay } from './add-relay.ts';
import type { Attempts } from './attempts.ts';
import type { Logger } from './log.ts';
import { handlePeer, PEER_PATH } from './peer-api.ts';
import { PeersBook } from './peers-book.ts';
import type { Registry } from './registry.ts';
import { Replication } from './replication.ts';
import type { VouchAnswer, VouchRequest } from './vouching.ts';

export interface PeeringOptions {
	data: string;
	registry: Registry;
	book: AccessBook;
	attempts: Attempts;
	log: Logger;
	origin: (req: IncomingMessage) => string;
	/** Access was taken away by a merge: open connections are checked again. */
	revoked: () => void;
	/** Access changed by a merge: the neighbourhood's open devices ask who they are now. */
	changed: (neighbourhood: string) => void;
	/** Answers a paired relay's question about changes it was passed (vouching.ts). */
	vouchFor: (request: VouchRequest) => Promise<VouchAnswer>;
}

export interface Peering {
	replication: Replication;
	addRelay: (neighbourhood: string, input: { url: string; code: string }, req: IncomingMessage) => Promise<{ relay: string } | { refused: Refusal }>;
	/** Answers /api/peer/… ; false for any other path. */
	handle: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
	close: () => void;
}

export function startPeering(options: PeeringOptions): Peering {
	const { registry, book, log } = options;
	const peers = new PeersBook(options.data);
	const replication = new Replication({
		data: options.data,
		book,
		peers,
		log,
		merged: (neighbourhood, outcome) => {
			if (outcome.removedDevices.length > 0 || outcome.removedMembers.length > 0) {
				log.info({ neighbourhood, devices: outcome.removedDevices.length, members: outcome.removedMembers.length }, 'removed on a paired relay: closed here too');
				options.revoked();
				// As on removal here (revoke.ts): the agenda feed's address, which they may have seen, is replaced.
				if (outcome.removedMembers.length > 0 && registry.find(neighbourhood)?.feedToken) registry.rotateFeed(neighbourhood);
			}
			options.changed(neighbourhood);
		}
	});
	const context = { data: options.data, registry, peers, replication, attempts: options.attempts, log, origin: options.origin, vouchFor: options.vouchFor };
	return {
		replication,
		addRelay: async (neighbourhood, input, req) => {
			let ownOrigin: string;
			try {
				ownOrigin = options.origin(req);
			} catch {
				return { refused: 'invalid' };
			}
			return addRelay({ registry, book, peers, replication, log }, neighbourhood, { ...input, ownOrigin });
		},
		handle: (req, res, path) => {
			const action = PEER_PATH.exec(path)?.[1] as 'pair' | 'exchange' | 'vouch' | undefined;
			if (!action) return false;
			handlePeer(req, res, action, context).catch((error: unknown) => {
				log.error({ err: error }, 'peer request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return true;
		},
		close: () => replication.close()
	};
}
