// A phone on a weak mobile line: while it downloads, the relay's pings wait behind the data, and
// their answers come late. The relay must not drop a connection that is busy, only a silent one.
import * as A from '@automerge/automerge/slim';
import { cbor } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { door, hostNeighbourhood, rawSocket, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
stopAfterEach(() => relay);

const SILENCE_MS = 200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a connection on a weak line', () => {
	it('stays open while it keeps talking though it answers no ping; a silent one goes', async () => {
		relay = await startTestRelay({ limits: { silenceMs: SILENCE_MS } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const documentId = hosted.root.replace(/^automerge:/, '');
		// Neither answers the relay's pings: as if every answer were stuck behind a download.
		const busy = rawSocket(door(relay, hosted.key), { autoPong: false });
		const silent = rawSocket(door(relay, hosted.key), { autoPong: false });
		await Promise.all([busy.opened, silent.opened]);
		busy.socket.send(cbor.encode({ type: 'join', senderId: 'busy-phone', peerMetadata: {}, supportedProtocolVersions: ['1'] }));
		silent.socket.send(cbor.encode({ type: 'join', senderId: 'silent-phone', peerMetadata: {}, supportedProtocolVersions: ['1'] }));
		// What a phone sends while it fetches a document it does not have yet.
		const asking = A.generateSyncMessage(A.init(), A.initSyncState())[1]!;
		const request = cbor.encode({ type: 'request', senderId: 'busy-phone', targetId: 'relay', documentId, data: asking });
		let answers = 0;
		busy.socket.on('message', () => (answers += 1));
		let talking = true;
		const talk = (async () => {
			while (talking && busy.socket.readyState === busy.socket.OPEN) {
				busy.socket.send(request);
				await pause(SILENCE_MS / 4);
			}
		})();

		await silent.closed;
		// Three more rounds of the relay's check after it let the silent one go.
		await pause(SILENCE_MS * 3);
		talking = false;
		await talk;
		expect(busy.socket.readyState).toBe(busy.socket.OPEN);
		expect(answers).toBeGreaterThan(0);
		busy.socket.close();
	});

	it('stays open while it says nothing but answers every ping', async () => {
		relay = await startTestRelay({ limits: { silenceMs: SILENCE_MS } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const idle = rawSocket(door(relay, hosted.key));
		await idle.opened;
		idle.socket.send(cbor.encode({ type: 'join', senderId: 'idle-phone', peerMetadata: {}, supportedProtocolVersions: ['1'] }));
		let pings = 0;
		idle.socket.on('ping', () => (pings += 1));
		await pause(SILENCE_MS * 5);
		expect(pings).toBeGreaterThan(2);
		expect(idle.socket.readyState).toBe(idle.socket.OPEN);
		expect(Object.keys(relay.adapter.sockets)).toContain('idle-phone');
		idle.socket.close();
	});
});
