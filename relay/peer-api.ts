// POST /api/peer/<action>: what one relay asks another about a neighbourhood they both host.
//   pair      with a one-time pairing code (pairing.ts): this relay starts hosting the
//             neighbourhood, records the caller as its peer and takes its access book
//   exchange  with the peer secret: the caller's access book in, ours (merged) out (replication.ts)
//   vouch     with the peer secret: which of these changes of a document this relay holds, and
//             whose their actors are here (vouching.ts)
// Nothing here trusts the caller beyond its code or secret; failed guesses count against its
// address (attempts.ts). No secret is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { SecretSchema } from '../src/lib/access/secret.ts';
import { relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import type { Attempts } from './attempts.ts';
import type { Logger } from './log.ts';
import { checkPairingCode, usePairingCode } from './pairing.ts';
import { MAX_PEER_BODY, NeighbourhoodId, PeerBook } from './peer-records.ts';
import type { PeersBook } from './peers-book.ts';
import type { Registry } from './registry.ts';
import type { Replication } from './replication.ts';
import { makeSecret } from './secrets.ts';
import { readJson } from './json-request.ts';
import { VouchRequest, type VouchAnswer } from './vouching.ts';

export const PEER_PATH = /^\/api\/peer\/(pair|exchange|vouch)$/;

/** A relay's own address, as the caller gives it: where this relay calls it back. */
export const PeerUrl = v.pipe(
	v.string(),
	v.maxLength(300),
	v.check((value) => {
		try {
			const url = new URL(value);
			return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
		} catch {
			return false;
		}
	}, 'not an address')
);

export const PairRequest = v.object({
	code: SecretSchema,
	neighbourhood: v.object({
		id: NeighbourhoodId,
		name: v.pipe(v.string(), v.maxLength(200)),
		root: v.pipe(v.string(), v.maxLength(100), v.regex(/^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/))
	}),
	from: PeerUrl,
	secret: SecretSchema,
	access: PeerBook
});
export const PairAnswer = v.object({ secret: SecretSchema, relay: v.pipe(v.string(), v.maxLength(300)), access: PeerBook });
const ExchangeRequest = v.object({ neighbourhood: NeighbourhoodId, access: PeerBook });

export interface PeerContext {
	data: string;
	registry: Registry;
	peers: PeersBook;
	replication: Replication;
	attempts: Attempts;
	log: Logger;
	/** This relay's own address as the caller reached it. */
	origin: (req: IncomingMessage) => string;
	/** Which of the asked changes this relay holds and whose their actors are (vouching.ts). */
	vouchFor: (request: VouchRequest) => Promise<VouchAnswer>;
}

/** The paired relay calling with this secret for this neighbourhood, if any. */
function callerOf(req: IncomingMessage, neighbourhood: string, context: PeerContext): string | undefined {
	const secret = /^Bearer (\S{1,200})$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
	return context.registry.list().some((r) => r.id === neighbourhood) ? context.peers.caller(neighbourhood, secret) : undefined;
}

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

export async function handlePeer(req: IncomingMessage, res: ServerResponse, action: 'pair' | 'exchange' | 'vouch', context: PeerContext): Promise<void> {
	const { registry, peers, attempts, log } = context;
	if (req.method !== 'POST') return json(res, 405, { error: 'invalid' });
	const address = attempts.addressOf(req);
	if (attempts.blocked(address)) return json(res, 429, { error: 'tooMany' });
	const body = await readJson(req, MAX_PEER_BODY);
	registry.reloadIfChanged();

	if (action === 'exchange') {
		const parsed = v.safeParse(ExchangeRequest, body);
		if (!parsed.success) return json(res, 400, { error: 'invalid' });
		const { neighbourhood, access } = parsed.output;
		const caller = callerOf(req, neighbourhood, context);
		if (!caller) {
			attempts.failed(address);
			log.info({ neighbourhood }, 'peer exchange refused: unknown relay or secret');
			return json(res, 401, { error: 'credential' });
		}
		return json(res, 200, { access: context.replication.receive(neighbourhood, caller, access, true) });
	}

	if (action === 'vouch') {
		const parsed = v.safeParse(VouchRequest, body);
		if (!parsed.success) return json(res, 400, { error: 'invalid' });
		if (!callerOf(req, parsed.output.neighbourhood, context)) {
			attempts.failed(address);
			log.info({ neighbourhood: parsed.output.neighbourhood }, 'peer question refused: unknown relay or secret');
			return json(res, 401, { error: 'credential' });
		}
		return json(res, 200, await context.vouchFor(parsed.output));
	}

	const parsed = v.safeParse(PairRequest, body);
	if (!parsed.success) return json(res, 400, { error: 'invalid' });
	const { code, neighbourhood, from, secret, access } = parsed.output;
	const checked = checkPairingCode(context.data, code);
	if (checked !== 'ok') {
		if (checked === 'ticket') attempts.failed(address);
		log.info({ refusal: checked }, 'pairing refused');
		return json(res, 403, { error: checked });
	}
	// One neighbourhood per root: a relay that hosts this root under another id, or this id with
	// another root, is hosting something else.
	const sameRoot = registry.list().find((r) => r.root === neighbourhood.root);
	const sameId = registry.list().find((r) => r.id === neighbourhood.id);
	if ((sameRoot && sameRoot.id !== neighbourhood.id) || (sameId && sameId.root !== neighbourhood.root)) {
		log.warn({ neighbourhood: neighbourhood.id }, 'pairing refused: this relay hosts another neighbourhood with that root or id');
		return json(res, 409, { error: 'taken' });
	}
	let origin: string;
	try {
		// Where devices reach this relay: worked out before the code is used up.
		origin = context.origin(req);
	} catch {
		return json(res, 400, { error: 'invalid' });
	}
	if (usePairingCode(context.data, code) !== 'ok') return json(res, 403, { error: 'used' });
	const caller = from.replace(/\/$/, '');
	if (!sameId) registry.add({ id: neighbourhood.id, name: neighbourhood.name, root: neighbourhood.root, documents: [neighbourhood.root] });
	const back = makeSecret();
	peers.add(neighbourhood.id, caller, back.full, secret);
	const merged = context.replication.receive(neighbourhood.id, caller, access, true);
	log.info({ neighbourhood: neighbourhood.id, peer: caller }, 'paired: this relay now hosts the neighbourhood too');
	return json(res, 201, { secret: back.full, relay: relaySocketUrl(origin), access: merged });
}
