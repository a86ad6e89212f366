// The relay lets go of a peer that left, also when automerge-repo adds it to a document after it left
// (its message waited for the document to be found, and the peer went meanwhile).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PeerJanitor } from '../../relay/peers.ts';
import type { RepoHooks, Synchronizer } from '../../relay/repo-hooks.ts';

function world() {
	const opened: Array<(documentId: string, peerId: string) => void> = [];
	const synchronizer: Synchronizer = { documentId: 'doc', beginSync: async () => undefined, hasPeer: () => true, metrics: () => ({ peers: ['kiosk'] }) };
	const recycled: string[] = [];
	const hooks = {
		onOpened: (listener: (documentId: string, peerId: string) => void) => void opened.push(listener),
		synchronizer: () => synchronizer,
		recycle: (documentId: string) => (recycled.push(documentId), true)
	} as unknown as RepoHooks;
	const repo = { peers: ['kiosk'], peerMetadataByPeerId: {}, networkSubsystem: new EventEmitter() };
	const janitor = new PeerJanitor(repo as never, hooks, { neighbourhoodOf: () => undefined, sockets: {}, server: { clients: new Set() } });
	return { janitor, repo, open: (documentId: string, peerId: string) => opened.forEach((listener) => listener(documentId, peerId)) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('letting go of peers', () => {
	it('forgets a peer that opened a document after it left, and keeps one still there', async () => {
		const { janitor, repo, open } = world();
		open('doc', 'kiosk');
		(repo.peers as string[]).push('phone');
		open('doc', 'phone');
		await turn();
		expect(janitor.state().tracked).toBe(2);

		// The phone leaves; its departure is cleaned up.
		repo.peers.splice(repo.peers.indexOf('phone'), 1);
		repo.networkSubsystem.emit('peer-disconnected', { peerId: 'phone' });
		await turn();
		expect(janitor.state().tracked).toBe(1);

		// A message it sent before it left is handled only now: the document opens for it again.
		open('doc', 'phone');
		await turn();
		expect(janitor.state().tracked).toBe(1);
	});
});
