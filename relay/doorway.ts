// The door of /sync: a socket opens no document until its first frame shows a member key
// (src/lib/automerge/relay-key.ts). The key never travels in the address, so no access log of the
// relay or of a proxy in front of it holds it.
import type { WebSocket } from 'ws';
import { keyFromFrame } from '../src/lib/automerge/relay-key.ts';
import type { Registry } from './registry.ts';

/** A device sends its key the moment the socket opens; one that stays silent holds a socket for nothing. */
export const KEY_WAIT_MS = 10_000;

export interface Entry {
	neighbourhood: string;
	key: string;
}

/**
 * Calls `enter` with the neighbourhood the socket's first frame opens, or `refuse` when that frame
 * is no valid key, or none comes in time. Runs inside the first frame's own event, so whoever
 * `enter` adds as a listener receives every later frame and never the key itself.
 */
export function awaitKey(
	socket: WebSocket,
	registry: Registry,
	enter: (entry: Entry) => void,
	refuse: (reason: string) => void,
	waitMs = KEY_WAIT_MS
): void {
	const timer = setTimeout(() => refuse('no key'), waitMs);
	timer.unref();
	socket.once('close', () => clearTimeout(timer));
	socket.once('message', (data, isBinary) => {
		clearTimeout(timer);
		const key = isBinary ? keyFromFrame(new Uint8Array(data as Buffer)) : undefined;
		if (key === undefined) return refuse('no key');
		let neighbourhood = registry.neighbourhoodForKey(key);
		try {
			// A neighbourhood created from the shell a moment ago may not have been polled yet.
			if (!neighbourhood && registry.reloadIfChanged()) neighbourhood = registry.neighbourhoodForKey(key);
		} catch {
			// A registry file half-written by the operator command: the next poll reads it whole.
		}
		if (!neighbourhood) return refuse('invalid key');
		enter({ neighbourhood, key });
	});
}
