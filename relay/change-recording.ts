// Puts every change the relay accepts from a member's device into the change log, with the member
// the device's credential belongs to and the relay's clock. A stop-gap until the referee (#12,
// relay/referee.ts) binds actors to members and calls ChangeLog.record itself: it hangs on the
// change limits' check (change-limits.ts), which sees every incoming change before the repo does.
// A device on the old shared key has no member the relay knows, so its changes are not recorded
// (undo then falls back to Automerge's metadata, authorship.ts).
import * as A from '@automerge/automerge/slim';
import type { ChangeLog, ChangeRecord } from './change-log.ts';
import type { GuardedServerAdapter } from './guard.ts';
import { isDocumentChunk, splitChunks } from './chunks.ts';

/**
 * The changes in one entry of a sync message: Automerge 3 sends a run of change chunks, or a
 * bundle of changes as one document chunk. A document chunk is loaded only to list its changes,
 * and freed at once: a device sends its documents whole on every new connection (a browser: every
 * page load), and loaded documents left to the garbage collector made page loads time out on a
 * busy relay (tests/relay/memory.test.ts). Bytes that are no chunks the repo refuses anyway.
 */
function changesIn(entry: Uint8Array): A.DecodedChange[] {
	try {
		return splitChunks(entry).flatMap((chunk) => {
			if (!isDocumentChunk(chunk)) return [A.decodeChange(chunk)];
			const doc = A.load(chunk);
			try {
				return A.getAllChanges(doc).map((c) => A.decodeChange(c));
			} finally {
				A.free(doc);
			}
		});
	} catch {
		return [];
	}
}

export function recordAcceptedChanges(
	adapter: GuardedServerAdapter,
	changeLog: ChangeLog,
	memberOf: (deviceId: string) => string | undefined,
	documentOf: (documentId: string) => A.Doc<unknown> | undefined,
	now: () => number = Date.now
): void {
	const gate = adapter.changeGate;
	if (!gate) return;
	const check = gate.check.bind(gate);
	gate.check = (sender, message) => {
		const refused = check(sender, message);
		if (refused || message.type !== 'sync' || message.changes.length === 0 || !sender.peer) return refused;
		const socket = adapter.sockets[sender.peer as keyof typeof adapter.sockets];
		const device = socket ? adapter.connections.get(socket as never)?.deviceId : undefined;
		const member = device ? memberOf(device) : undefined;
		if (!member) return refused;
		const records: ChangeRecord[] = [];
		const at = now();
		try {
			const doc = documentOf(sender.document);
			for (const change of message.changes.flatMap(changesIn)) {
				// A change the relay has already came first from someone else: theirs, not this device's.
				if (!change.hash || (doc && A.hasHeads(doc, [change.hash]))) continue;
				records.push({ at, document: sender.document, hash: change.hash, actor: change.actor, member, device });
			}
		} catch {
			// Recording must never cost a device its connection: what is not recorded, undo
			// attributes from Automerge's metadata.
			return refused;
		}
		changeLog.record(sender.neighbourhood, records);
		return refused;
	};
}
