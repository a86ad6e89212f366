// The relays a neighbourhood is paired with, per neighbourhood: peers/<id>.json (0600), written
// whole. For each paired relay, by its address: the secret this relay shows when it calls that one
// (it must be able to show it, so it is kept as it is, like a device keeps its credential), and
// the hash of the secret that one shows when it calls here.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { parseSecret } from '../src/lib/access/secret.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { hashOf, matches } from './secrets.ts';

const Peer = v.object({
	/** `<id>.<secret>` this relay shows to the peer. */
	secret: v.string(),
	/** The id and hash of the secret the peer shows here. */
	theirId: v.string(),
	theirHash: v.string(),
	pairedAt: v.string()
});
const PeersFile = v.object({ peers: v.record(v.string(), Peer) });
type PeersFile = v.InferOutput<typeof PeersFile>;

export interface PeerRelay {
	/** The peer's HTTP origin, e.g. https://bieb.example.nl. */
	url: string;
	secret: string;
}

export class PeersBook {
	readonly #dir: string;

	constructor(data: string) {
		this.#dir = join(data, 'peers');
	}

	#file(neighbourhood: string) {
		return join(this.#dir, `${neighbourhood}.json`);
	}

	#read(neighbourhood: string): PeersFile {
		return readJsonFile(this.#file(neighbourhood), PeersFile, () => ({ peers: {} }));
	}

	/** Records (or renews) a pairing: `ours` is shown to the peer, `theirs` is what it shows here. */
	add(neighbourhood: string, url: string, ours: string, theirs: string): void {
		const file = this.#read(neighbourhood);
		const parsed = parseSecret(theirs);
		if (!parsed) throw new Error('not a peer secret');
		file.peers[url] = { secret: ours, theirId: parsed.id, theirHash: hashOf(parsed.secret), pairedAt: new Date().toISOString() };
		writeJsonFile(this.#file(neighbourhood), file);
	}

	peersOf(neighbourhood: string): PeerRelay[] {
		return Object.entries(this.#read(neighbourhood).peers).map(([url, peer]) => ({ url, secret: peer.secret }));
	}

	/** Neighbourhoods paired with at least one relay. */
	paired(): string[] {
		if (!existsSync(this.#dir)) return [];
		return readdirSync(this.#dir)
			.filter((f) => /^[A-Za-z0-9_-]{8,64}\.json$/.test(f))
			.map((f) => f.replace(/\.json$/, ''))
			.filter((n) => this.peersOf(n).length > 0);
	}

	/** The paired relay that shows this secret for this neighbourhood, compared in constant time. */
	caller(neighbourhood: string, secret: string): string | undefined {
		const parsed = parseSecret(secret);
		if (!parsed) return undefined;
		for (const [url, peer] of Object.entries(this.#read(neighbourhood).peers)) {
			if (peer.theirId === parsed.id && matches(parsed.secret, peer.theirHash)) return url;
		}
		return undefined;
	}
}
