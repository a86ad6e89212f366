// A phone that announces a document the relay does not have (its heads, as the stock client
// sends first) and then loses its network.
import { next as A } from '@automerge/automerge';
import { cbor, type DocumentId } from '@automerge/automerge-repo/slim';
import { expect } from 'vitest';
import { eventually, rawSocket, socketUrl } from './harness.ts';

export interface Note {
	title: string;
}

/** What a stock client sends first for a document the relay does not have: its heads, no changes. */
export async function announceAndVanish(port: number, key: string, doc: A.Doc<Note>, documentId: DocumentId) {
	const { socket, opened, closed } = rawSocket(socketUrl({ port }, key));
	await opened;
	const replies: Array<Record<string, unknown>> = [];
	socket.on('message', (data: Buffer) => replies.push(cbor.decode(new Uint8Array(data)) as Record<string, unknown>));
	const senderId = `phone-${Math.random().toString(36).slice(2)}`;
	socket.send(cbor.encode({ type: 'join', senderId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] }));
	const peer = await eventually(() => replies.find((m) => m.type === 'peer'), Boolean);
	const [, first] = A.generateSyncMessage(doc, A.initSyncState());
	expect(A.decodeSyncMessage(first!).changes).toHaveLength(0);
	socket.send(cbor.encode({ type: 'sync', senderId, targetId: peer!.senderId, documentId, data: first }));
	// The relay answered (asking for the changes): it holds a handle waiting for this document.
	await eventually(() => replies.some((m) => m.type === 'sync' && m.documentId === documentId), Boolean);
	socket.terminate(); // the phone loses its network
	await closed;
}
