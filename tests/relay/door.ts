// How a test or benchmark client reaches a relay's /sync and shows its member key: in the first
// frame (src/lib/automerge/relay-key.ts). A relay from before that change (c0c255d and older) read
// the key from the address; benchmarks that measure such a checkout say `legacy`, nothing else may.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { KeyedClientAdapter, keyFrame } from '../../src/lib/automerge/relay-key.ts';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

export interface Door {
	url: string;
	key?: string;
	/** The relay reads the key from the address (a checkout from before the first-frame key). */
	legacy?: boolean;
}

/** Whether a relay checkout reads the key from the address. */
export const readsKeyFromAddress = (checkout: string): boolean => !existsSync(join(checkout, 'relay/doorway.ts'));

export const doorAt = (port: number, key?: string, legacy = false): Door => ({ url: `ws://127.0.0.1:${port}/sync`, key, legacy });

export const doorAddress = (to: Door): string =>
	to.legacy && to.key !== undefined ? `${to.url}?key=${encodeURIComponent(to.key)}` : to.url;

/** A raw websocket that shows the door's key as soon as it opens. */
export function openDoor(to: Door, options: ConstructorParameters<typeof WebSocket>[2] = {}): WebSocket {
	const socket = new WebSocket(doorAddress(to), options);
	if (!to.legacy && to.key !== undefined) {
		const key = to.key;
		socket.once('open', () => socket.send(keyFrame(key)));
	}
	return socket;
}

/** The stock client adapter for this door. */
export function doorAdapter(to: Door, retryMs: number): WebSocketClientAdapter {
	return new KeyedClientAdapter(doorAddress(to), to.legacy ? undefined : to.key, retryMs);
}
