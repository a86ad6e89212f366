// While the relay's disk refuses writes, a client may still read but not change anything: a change
// the relay cannot store would only wait in memory, shared with nobody, and be lost on a restart.
// The client keeps its change and sends it again when it reconnects after the disk has room.
import type { Decoded } from './guard.ts';
import { STORAGE_REFUSED } from './storage.ts';

export interface Writability {
	readonly writable: boolean;
	/** The error code of the write that failed (ENOSPC, EROFS, …). */
	readonly failure: string | undefined;
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** The close code and reason for a message that carries changes while storage refuses writes. */
export function refuseChangesWhileReadOnly(storage: Writability) {
	// `changes`: those a sync or request carries (automerge-repo applies changes found in a request too).
	return (_message: Decoded, changes: readonly Uint8Array[]): { code: number; reason: string } | undefined => {
		// Heads, haves and needs only ask for data: reading goes on.
		if (storage.writable || changes.length === 0) return undefined;
		return { code: STORAGE_REFUSED, reason: FULL.has(storage.failure ?? '') ? 'relay storage full' : 'relay storage unavailable' };
	};
}
