// The door of /sync: a socket opens no document until its first frame shows a device credential
// (src/lib/automerge/relay-key.ts), or, until a manager closes it, the neighbourhood's old shared
// key. The secret never travels in the address, so no access log of the relay or of a proxy in
// front of it holds it.
import type { RawData, WebSocket } from 'ws';
import type { Refusal } from '../src/lib/access/api.ts';
import { parseSecret } from '../src/lib/access/secret.ts';
import { keyFromFrame } from '../src/lib/automerge/relay-key.ts';
import { refused, type AccessBook, type Holder } from './access-book.ts';
import type { Registry } from './registry.ts';

/** A device sends its key the moment the socket opens; one that stays silent holds a socket for nothing. */
export const KEY_WAIT_MS = 10_000;

export interface Entry {
	neighbourhood: string;
	/** The neighbourhood's old shared key, when that is what was shown: checked again when access changes. */
	key?: string;
	/** Undefined for a connection with the old shared key. */
	holder?: Holder;
}

/** A member waiting for a manager's approval is not let in yet. */
const admitted = (holder: Holder): Entry | Refusal => (holder.status === 'active' ? { neighbourhood: holder.neighbourhood, holder } : 'waiting');

/** Who a secret lets in now, or why not. Used at the door and again whenever access changes. */
export function entryFor(key: string, registry: Registry, book: AccessBook): Entry | Refusal {
	if (parseSecret(key)) {
		const holder = book.holder(key);
		if (refused(holder)) return holder.refused;
		return admitted(holder);
	}
	const neighbourhood = registry.neighbourhoodForKey(key);
	if (!neighbourhood) return 'credential';
	return book.oldKeyOpen(neighbourhood) ? { neighbourhood, key } : 'oldKeyClosed';
}

/** What a connection showed at the door: its device (the credential checked then), or the old shared key. */
export interface Shown {
	readonly deviceId: string | undefined;
	readonly key: string | undefined;
}

/** Whom a connection let in before may be now, when access changed. */
export function entryAgain(shown: Shown, registry: Registry, book: AccessBook): Entry | Refusal {
	if (shown.deviceId === undefined) return entryFor(shown.key ?? '', registry, book);
	const holder = book.deviceHolder(shown.deviceId);
	return refused(holder) ? holder.refused : admitted(holder);
}

/**
 * Lets a socket in with the entry its first frame opens (`enter`), or says why it opens none or
 * none came in time (`refuse`). Runs inside the first frame's own event, so whoever `enter` adds
 * as a listener receives every later frame and never the key itself.
 *
 * The door adds no listeners: the relay has one listener per event for all sockets (main.ts),
 * which hands frames and closes to the door first. A listener made per socket would be kept with
 * its scope for as long as the connection stays open, each one more lengthens the socket's list
 * of listeners, and one taken off again grows the socket's table of them.
 */
export class Door {
	/** Sockets that have not shown a key yet, and the timer that gives up on them. */
	readonly #waiting = new WeakMap<WebSocket, NodeJS.Timeout>();
	readonly #check: (key: string) => Entry | Refusal;
	readonly #enter: (socket: WebSocket, entry: Entry) => void;
	readonly #refuse: (socket: WebSocket, reason: Refusal | 'no key') => void;
	readonly #waitMs: number;

	constructor(
		check: (key: string) => Entry | Refusal,
		enter: (socket: WebSocket, entry: Entry) => void,
		refuse: (socket: WebSocket, reason: Refusal | 'no key') => void,
		waitMs = KEY_WAIT_MS
	) {
		this.#check = check;
		this.#enter = enter;
		this.#refuse = refuse;
		this.#waitMs = waitMs;
	}

	/** A socket just opened: it has `waitMs` to show its key in its first frame. */
	watch(socket: WebSocket): void {
		const timer = setTimeout(() => {
			this.#waiting.delete(socket);
			this.#refuse(socket, 'no key');
		}, this.#waitMs);
		timer.unref();
		this.#waiting.set(socket, timer);
	}

	/** A frame arrived; true when it was the door's (the first), which nobody else may see. */
	frame(socket: WebSocket, data: RawData, isBinary: boolean): boolean {
		const timer = this.#waiting.get(socket);
		if (timer === undefined) return false;
		clearTimeout(timer);
		this.#waiting.delete(socket);
		const key = isBinary ? keyFromFrame(new Uint8Array(data as Buffer)) : undefined;
		if (key === undefined) this.#refuse(socket, 'no key');
		else {
			const entry = this.#check(key);
			if (typeof entry === 'string') this.#refuse(socket, entry);
			else this.#enter(socket, entry);
		}
		return true;
	}

	/** The socket closed: a wait for its key ends. */
	closed(socket: WebSocket): void {
		clearTimeout(this.#waiting.get(socket));
		this.#waiting.delete(socket);
	}
}
