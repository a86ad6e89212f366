// How a device shows the relay its neighbourhood's member key: in the first websocket frame, never
// in the address. Proxies, browsers and the relay's own access log keep addresses, and the key is
// long-lived. App and relay share this one definition of the frame.
import { cbor } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import * as v from 'valibot';

const KeyFrame = v.object({ type: v.literal('noaber-key'), key: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });

export function keyFrame(key: string): Uint8Array {
	return cbor.encode({ type: 'noaber-key', key } satisfies v.InferOutput<typeof KeyFrame>);
}

/** The key a first frame carries, or undefined for anything else. */
export function keyFromFrame(frame: Uint8Array): string | undefined {
	let decoded: unknown;
	try {
		decoded = cbor.decode(frame);
	} catch {
		return undefined;
	}
	const parsed = v.safeParse(KeyFrame, decoded);
	return parsed.success ? parsed.output.key : undefined;
}

/**
 * The stock client adapter, sending the key as the first frame of every socket it opens (also on
 * each reconnect), before automerge-repo's own `join`.
 */
export class KeyedClientAdapter extends WebSocketClientAdapter {
	/** `key` undefined: a socket that shows none (only tests of an older relay have a use for it). */
	constructor(url: string, key: string | undefined, retryInterval?: number) {
		super(url, retryInterval);
		if (key === undefined) return;
		const join = this.onOpen;
		// Registered on every new socket by the stock `connect`, so this runs before its join.
		this.onOpen = () => {
			this.socket?.send(keyFrame(key));
			join();
		};
	}
}
