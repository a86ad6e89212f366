// After an erasure the relay holds rewritten changes under the actors and sequence numbers of the
// old ones (src/lib/erase/rewrite.ts). A device that has not replaced its old copy yet still offers
// the old changes; taking them in would bring the erased values back, and Automerge refuses them
// anyway ("duplicate seq"). The referee refuses them first, by that very sign: a change whose
// actor and sequence number the relay holds under another hash.
import * as A from '@automerge/automerge/slim';

const clocks = new WeakMap<object, Map<string, number>>();

/** Per actor, the highest sequence number the document holds; computed once per version. */
function clockOf(doc: A.Doc<unknown>): Map<string, number> {
	let clock = clocks.get(doc);
	if (!clock) {
		clock = new Map();
		for (const m of A.getChangesMetaSince(doc, [])) clock.set(m.actor, Math.max(clock.get(m.actor) ?? 0, m.seq));
		clocks.set(doc, clock);
	}
	return clock;
}

/** Whether `doc` already holds another change with this change's actor and sequence number. */
export function isStale(doc: A.Doc<unknown>, change: Pick<A.DecodedChange, 'actor' | 'seq' | 'hash'>): boolean {
	return (clockOf(doc).get(change.actor) ?? 0) >= change.seq && !A.hasHeads(doc, [change.hash]);
}
