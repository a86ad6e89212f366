// A phone that announces a document (its heads, as the stock client sends first) and then loses its
// network before it sends the changes. For a document its neighbourhood's root already lists, that
// first message reaches the relay's repo, which then waits for the document (automerge-repo
// 2.5.6's 60 s time bomb); for one nobody lists, the relay answers as an empty peer (claims.ts).
import { next as A } from '@automerge/automerge';
import { cbor, generateAutomergeUrl, parseAutomergeUrl, type DocHandle, type DocumentId, type Repo } from '@automerge/automerge-repo/slim';
import { expect } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addHelpPeriod } from '../../src/lib/neighbourhood/mutations.ts';
import { eventually, find, rawSocket, door } from './harness.ts';

export interface Quarter {
	period: string;
	posts: Record<string, string>;
}

/** A help quarter made on the phone and not shared yet. */
export function newQuarter(text: string, period = '2026Q4') {
	const url = generateAutomergeUrl();
	const doc = A.change(A.init<Quarter>(), (d) => {
		d.period = period;
		d.posts = { first: text };
	});
	return { url, documentId: parseAutomergeUrl(url).documentId, doc, period };
}

/** The phone's app lists the quarter in the neighbourhood's root, as it does before syncing it. */
export async function listOnRoot(phone: Repo, rootUrl: string, quarter: { url: string; period: string }): Promise<DocHandle<RootDoc>> {
	const root = await eventually(() => find<RootDoc>(phone, rootUrl), (h) => h.isReady());
	addHelpPeriod(root, quarter.period, quarter.url);
	return root;
}

/** What a stock client sends first for a document the relay does not have: its heads, no changes. */
export async function announceAndVanish(port: number, key: string, doc: A.Doc<unknown>, documentId: DocumentId) {
	const { socket, opened, closed } = rawSocket(door({ port }, key));
	await opened;
	const replies: Array<Record<string, unknown>> = [];
	socket.on('message', (data: Buffer) => replies.push(cbor.decode(new Uint8Array(data)) as Record<string, unknown>));
	const senderId = `phone-${Math.random().toString(36).slice(2)}`;
	socket.send(cbor.encode({ type: 'join', senderId, peerMetadata: { isEphemeral: true }, supportedProtocolVersions: ['1'] }));
	const peer = await eventually(() => replies.find((m) => m.type === 'peer'), Boolean);
	const [, first] = A.generateSyncMessage(doc, A.initSyncState());
	expect(A.decodeSyncMessage(first!).changes).toHaveLength(0);
	socket.send(cbor.encode({ type: 'sync', senderId, targetId: peer!.senderId, documentId, data: first }));
	// The relay answered, asking for the changes that now never come.
	const answer = await eventually(() => replies.find((m) => m.type === 'sync' && m.documentId === documentId), Boolean);
	expect(A.decodeSyncMessage(answer!.data as Uint8Array).changes).toHaveLength(0);
	socket.terminate(); // the phone loses its network
	await closed;
}
