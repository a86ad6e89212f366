// Presence flood from many connections of one member, in its own process so that the honest
// clients measuring their round trip in the benchmark are not slowed by the attacker's own work.
// Started by hostile-cases.ts: node --import tsx bench/hostile-flood.ts '<json FloodPlan>'
import { cbor } from '@automerge/automerge-repo/slim';
import { emptyRequest } from './hostile-inputs.ts';
import { RawPeer, randomId, type Target } from './hostile-peer.ts';

export interface FloodPlan extends Target {
	documentId: string;
	connections: number;
	perSecond: number;
	seconds: number;
}

export interface FloodResult {
	joined: number;
	sent: number;
	/** Close codes the relay gave the attacker's connections, with how many. */
	closed: Record<string, number>;
}

const plan = JSON.parse(process.argv[2]) as FloodPlan;
const peers: RawPeer[] = [];
for (let i = 0; i < plan.connections; i += 1) {
	try {
		const peer = await RawPeer.join(plan, { peerId: randomId('flood') });
		// Only peers that asked for the document get its presence passed on; so does this one.
		peer.sync(plan.documentId, emptyRequest(), 'request');
		peers.push(peer);
	} catch {
		// Counted below as the difference between planned and joined connections.
	}
}
await Promise.all(peers.map((peer) => peer.next((m) => m.documentId === plan.documentId, 5000)));
console.log('ready');

let sent = 0;
const started = Date.now();
const counts = peers.map(() => 0);
const sessions = peers.map(() => randomId('s'));
await new Promise<void>((done) => {
	const tick = setInterval(() => {
		const elapsed = (Date.now() - started) / 1000;
		if (elapsed >= plan.seconds) {
			clearInterval(tick);
			done();
			return;
		}
		// Just under the per-connection limit, evenly spread.
		const due = Math.floor(elapsed * plan.perSecond);
		peers.forEach((peer, i) => {
			for (; counts[i] < due && peer.open; counts[i] += 1) {
				peer.ephemeral(plan.documentId, sessions[i], counts[i] + 1, cbor.encode({ cursor: counts[i], name: 'Mallory' }));
				sent += 1;
			}
		});
	}, 20);
});

const closed: Record<string, number> = {};
for (const peer of peers) if (peer.closedWith) closed[peer.closedWith.code] = (closed[peer.closedWith.code] ?? 0) + 1;
for (const peer of peers) peer.close();
const result: FloodResult = { joined: peers.length, sent, closed };
console.log(JSON.stringify(result));
process.exit(0);
