// A manager adds another relay to their neighbourhood with the pairing code its operator made
// (access API `addRelay`). This relay calls the other one (POST <relay>/api/peer/pair) with the
// code, the neighbourhood, its own address, a fresh peer secret and its access book; the other
// relay answers with its own peer secret and its merged book. Both then keep each other as peers
// (peers-book.ts) and keep access the same from then on (replication.ts).
import * as v from 'valibot';
import type { Refusal } from '../src/lib/access/api.ts';
import { relayHttpOrigin } from '../src/lib/neighbourhood/invite.ts';
import type { AccessBook } from './access-book.ts';
import type { Logger } from './log.ts';
import { PairAnswer } from './peer-api.ts';
import type { PeersBook } from './peers-book.ts';
import type { Registry } from './registry.ts';
import type { Replication } from './replication.ts';
import { makeSecret } from './secrets.ts';

const CALL_MS = 20_000;

export interface AddRelayContext {
	registry: Registry;
	book: AccessBook;
	peers: PeersBook;
	replication: Replication;
	log: Logger;
	fetcher?: typeof fetch;
}

/** The other relay's HTTP origin from what the manager typed: an address with or without https://, or its wss:// sync address. */
export function peerOrigin(given: string): string | undefined {
	const text = given.trim();
	try {
		const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
		if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) || url.username || url.password) return undefined;
		// Its path too: a relay may be served under one (https://example.nl/noaber).
		// relayHttpOrigin reads a sync address: an https address is given as its wss one.
		url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
		return relayHttpOrigin(url.toString());
	} catch {
		return undefined;
	}
}

export async function addRelay(
	context: AddRelayContext,
	neighbourhood: string,
	input: { url: string; code: string; ownOrigin: string }
): Promise<{ relay: string } | { refused: Refusal }> {
	const record = context.registry.find(neighbourhood);
	const target = peerOrigin(input.url);
	if (!record || !target) return { refused: 'invalid' };
	if (target === input.ownOrigin.replace(/\/$/, '')) return { refused: 'taken' };
	const ours = makeSecret();
	let response: Response;
	try {
		response = await (context.fetcher ?? fetch)(`${target}/api/peer/pair`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code: input.code,
				neighbourhood: { id: record.id, name: record.name, root: record.root },
				from: input.ownOrigin,
				secret: ours.full,
				access: context.book.records(neighbourhood)
			}),
			signal: AbortSignal.timeout(CALL_MS)
		});
	} catch (error) {
		context.log.warn({ neighbourhood, peer: target, reason: (error as Error).message }, 'adding a relay: it could not be reached');
		return { refused: 'unreachable' };
	}
	let answer: unknown;
	try {
		answer = await response.json();
	} catch {
		answer = undefined;
	}
	if (!response.ok) {
		const error = (answer as { error?: unknown } | undefined)?.error;
		const refusal: Refusal = error === 'ticket' || error === 'used' || error === 'expired' || error === 'taken' ? error : 'unreachable';
		context.log.info({ neighbourhood, peer: target, refusal }, 'adding a relay refused');
		return { refused: refusal };
	}
	const parsed = v.safeParse(PairAnswer, answer);
	if (!parsed.success) return { refused: 'unreachable' };
	context.peers.add(neighbourhood, target, ours.full, parsed.output.secret);
	context.replication.receive(neighbourhood, target, parsed.output.access, false);
	context.log.info({ neighbourhood, peer: target }, 'relay added: access is kept the same on both');
	return { relay: parsed.output.relay };
}
