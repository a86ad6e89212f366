// The door of /sync: a socket opens no document until its first frame shows a device credential
// (src/lib/automerge/relay-key.ts), or, until a manager closes it, the neighbourhood's old shared
// key. The secret never travels in the address, so no access log of the relay or of a proxy in
// front of it holds it.
import type { WebSocket } from 'ws';
import type { Refusal } from '../src/lib/access/api.ts';
import { parseSecret } from '../src/lib/access/secret.ts';
import { keyFromFrame } from '../src/lib/automerge/relay-key.ts';
import { refused, type AccessBook, type Holder } from './access-book.ts';
import type { Registry } from './registry.ts';

/** A device sends its key the moment the socket opens; one that stays silent holds a socket for nothing. */
export const KEY_WAIT_MS = 10_000;

export interface Entry {
	neighbourhood: string;
	/** The secret shown, to check again when access changes. */
	key: string;
	/** Undefined for a connection with the old shared key. */
	holder?: Holder;
}

/** Who a secret lets in now, or why not. Used at the door and again whenever access changes. */
export function entryFor(key: string, registry: Registry, book: AccessBook): Entry | Refusal {
	if (parseSecret(key)) {
		const holder = book.holder(key);
		if (refused(holder)) return holder.refused;
		if (holder.status !== 'active') return 'waiting';
		return { neighbourhood: holder.neighbourhood, key, holder };
	}
	const neighbourhood = registry.neighbourhoodForKey(key);
	if (!neighbourhood) return 'credential';
	return book.oldKeyOpen(neighbourhood) ? { neighbourhood, key } : 'oldKeyClosed';
}

/**
 * Calls `enter` with the entry the socket's first frame opens, or `refuse` with the reason it opens
 * none (or none came in time). Runs inside the first frame's own event, so whoever `enter` adds as
 * a listener receives every later frame and never the key itself.
 */
export function awaitKey(
	socket: WebSocket,
	check: (key: string) => Entry | Refusal,
	enter: (entry: Entry) => void,
	refuse: (reason: Refusal | 'no key') => void,
	waitMs = KEY_WAIT_MS
): void {
	const timer = setTimeout(() => refuse('no key'), waitMs);
	timer.unref();
	const stopWaiting = () => clearTimeout(timer);
	socket.once('close', stopWaiting);
	socket.once('message', (data, isBinary) => {
		clearTimeout(timer);
		// The door keeps nothing of an open socket: the timer holds on to `refuse` and what it sees.
		socket.off('close', stopWaiting);
		const key = isBinary ? keyFromFrame(new Uint8Array(data as Buffer)) : undefined;
		if (key === undefined) return refuse('no key');
		const entry = check(key);
		if (typeof entry === 'string') return refuse(entry);
		enter(entry);
	});
}
