// The stock client adapter retries forever and hides why a socket closed. The relay closes with
// 4401 when a credential opens nothing, 4403 when a manager removed this device or its member, and
// 4423 while the member waits for approval; the app must stop retrying and tell the resident.
import type { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { KeyedClientAdapter } from './relay-key.ts';

export const INVALID_KEY = 4401;
export const REMOVED = 4403;
export const WAITING = 4423;
/** Why the relay will not let this device in. */
export type Shut = 'invalid' | 'removed' | 'waiting';
const SHUT: Record<number, Shut> = { [INVALID_KEY]: 'invalid', [REMOVED]: 'removed', [WAITING]: 'waiting' };
/** The relay's disk is full (relay/read-only.ts): the change waits on the device and goes later. */
export const STORAGE_FULL = 4507;
/** The relay refused a change over its limits (relay/change-limits.ts): it stays on the device. */
export const CHANGE_REFUSED = 4413;

/** Why the relay last turned this device's changes away, until they all reach it. */
export type Refusal = 'full' | 'tooLarge';

export type SocketState = 'connecting' | 'open' | 'closed' | 'refused';

export class RelaySocket extends KeyedClientAdapter {
	#listeners = new Set<(state: SocketState) => void>();
	state: SocketState = 'connecting';
	refusal: Refusal | undefined;
	/** Set when the relay closed the door for good (until something changes on this device). */
	shut: Shut | undefined;

	constructor(relay: string, key: string, retryMs = 3000) {
		super(relay, key, retryMs);
		// A socket can linger for a while after the network is gone; trust the browser's word so
		// the status line is honest, and reconnect at once when the network is back.
		if (typeof window !== 'undefined') {
			window.addEventListener('offline', this.#offline);
			window.addEventListener('online', this.#online);
		}
	}

	#offline = () => {
		this.socket?.close();
		this.#set('closed');
	};

	#online = () => {
		if (this.peerId && this.state !== 'refused' && this.socket?.readyState !== WebSocket.OPEN) {
			this.connect(this.peerId, this.peerMetadata);
		}
	};

	override disconnect(): void {
		if (typeof window !== 'undefined') {
			window.removeEventListener('offline', this.#offline);
			window.removeEventListener('online', this.#online);
		}
		// A socket the relay shut is disconnected at once; closing the repo later disconnects again,
		// and automerge-repo-network-websocket 2.5.6 asserts a socket there: the close then threw,
		// and a member let in after waiting never wrote their profile.
		if (!this.socket) return;
		super.disconnect();
	}

	onState(listener: (state: SocketState) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#set(state: SocketState) {
		if (this.state === 'refused' || this.state === state) return;
		this.state = state;
		for (const listener of this.#listeners) listener(state);
	}

	override connect(...args: Parameters<WebSocketClientAdapter['connect']>): void {
		if (this.state === 'refused') return;
		// The stock adapter's retry timer can fire after the network came back and a socket opened
		// ('online' connects at once). Replacing an open socket gains nothing, and the stock adapter
		// leaves the replaced one open without its listeners.
		const old = this.socket;
		if (old && this.peerId && old.readyState === old.OPEN) return;
		super.connect(...args);
		const socket = this.socket;
		if (old && old !== socket && old.readyState === old.CONNECTING) {
			// Closing an attempt still connecting reports an error; nobody listens to this one any more.
			old.addEventListener('error', () => undefined);
			old.close();
		}
		// Only the current socket speaks for this relay: a replaced one closing later (or closed by
		// the relay when the new one joins with the same peer id) must not mark the relay unreachable.
		socket?.addEventListener('open', () => {
			if (this.socket === socket) this.#set('open');
		});
		socket?.addEventListener('close', (event: { code: number }) => {
			if (this.socket !== socket) return;
			if (event.code === STORAGE_FULL) this.refusal = 'full';
			if (event.code === CHANGE_REFUSED) this.refusal = 'tooLarge';
			const shut = SHUT[event.code];
			if (shut) {
				this.shut = shut;
				this.#set('refused');
				this.disconnect();
			} else {
				this.#set('closed');
			}
		});
	}
}
