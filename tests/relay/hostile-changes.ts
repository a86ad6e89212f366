// Changes an attacker (or a broken client) could send, built the cheap way: the low-level
// Automerge API makes a 10,000-deep chain in well under a second, where the proxy API would not.
import * as A from '@automerge/automerge/slim';
import { cbor, generateAutomergeUrl } from '@automerge/automerge-repo/slim';
import { deflateRawSync } from 'node:zlib';
import { openDoor, type Door } from './door.ts';

interface Backend {
	putObject(obj: string, prop: string, value: object): string;
	put(obj: string, prop: string, value: unknown): void;
	commit(message: string | null, time: number | null): string | null;
	getLastLocalChange(): Uint8Array | null;
}

/** Maps nested inside each other, grown one change at a time from the same actor. */
export class DeepChain {
	#backend: Backend;
	#tip = '_root';
	depth = 0;

	constructor(readonly key = 'x') {
		this.#backend = A.getBackend(A.init()) as unknown as Backend;
	}

	/** One change that nests `levels` more maps under the deepest one so far. */
	grow(levels: number): Uint8Array {
		for (let i = 0; i < levels; i++) {
			this.#tip = this.#backend.putObject(this.#tip, this.depth === 0 ? this.key : 'x', {});
			this.depth += 1;
		}
		this.#backend.commit(null, null);
		return this.#backend.getLastLocalChange()!;
	}
}

/** One change that sets a string of `bytes` characters in the root (incompressible, so its size is real). */
export function bigValue(key: string, bytes: number): Uint8Array {
	const backend = A.getBackend(A.init()) as unknown as Backend;
	let text = '';
	let seed = 7;
	while (text.length < bytes) {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		text += seed.toString(36);
	}
	backend.put('_root', key, text.slice(0, bytes));
	backend.commit(null, null);
	return backend.getLastLocalChange()!;
}

export function uleb(n: number): number[] {
	const out: number[] = [];
	do {
		let b = n & 0x7f;
		n = Math.floor(n / 128);
		if (n) b |= 0x80;
		out.push(b);
	} while (n);
	return out;
}

/** A chunk of the given type around any body (the checksum is left zero: the relay never gets that far). */
export function chunk(type: number, body: Uint8Array): Uint8Array {
	return new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, type, ...uleb(body.length), ...body]);
}

/** A compressed-change chunk whose body inflates to `inflated` zero bytes from a few hundred KB. */
export function compressionBomb(inflated: number): Uint8Array {
	return chunk(2, deflateRawSync(Buffer.alloc(inflated), { level: 9 }));
}

/** A sync message carrying the given chunks, as a peer that knows nothing would send it. */
export function syncWith(changes: Uint8Array[]): Uint8Array {
	const [, empty] = A.generateSyncMessage(A.from({ seed: 1 }), A.initSyncState());
	return A.encodeSyncMessage({ ...A.decodeSyncMessage(empty!), changes });
}

const idOf = (url: string) => url.replace('automerge:', '');

/**
 * A raw peer that joins and sends one sync message per batch of changes for a document. Resolves
 * with the close code once the relay closes the connection, or 'open' when it is still open after
 * the relay answered a request sent behind every batch.
 */
export async function sendChanges(to: Door, documentUrl: string, batches: Uint8Array[][]): Promise<number | 'open'> {
	const socket = openDoor(to);
	socket.on('error', () => undefined);
	const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
	const senderId = `aanvaller-${Math.random().toString(36).slice(2)}`;
	let relayPeer: (id: string) => void;
	const relay = new Promise<string>((resolve) => (relayPeer = resolve));
	let answered: () => void;
	const answer = new Promise<'open'>((resolve) => (answered = () => resolve('open')));
	socket.on('message', (bytes: Buffer) => {
		const message = cbor.decode(new Uint8Array(bytes)) as { type: string; senderId: string };
		if (message.type === 'peer') relayPeer(message.senderId);
		if (message.type === 'doc-unavailable') answered();
	});
	await new Promise<void>((resolve) => socket.once('open', () => resolve()));
	socket.send(cbor.encode({ type: 'join', senderId, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
	const targetId = await Promise.race([relay, closed.then(() => undefined)]);
	if (targetId === undefined) return closed;
	for (const changes of batches) {
		socket.send(cbor.encode({ type: 'sync', senderId, targetId, documentId: idOf(documentUrl), data: syncWith(changes) }));
	}
	// The relay answers a request for a document nobody has with "unavailable", in order.
	socket.send(cbor.encode({ type: 'request', senderId, targetId, documentId: idOf(generateAutomergeUrl()), data: syncWith([]) }));
	const outcome = await Promise.race([closed, answer]);
	if (outcome === 'open') socket.close();
	return outcome;
}
