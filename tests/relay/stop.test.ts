// Stopping the relay (SIGTERM from a service manager, an update) must not wait on a device. Phones
// reconnect as soon as the relay says goodbye; a connection that slips in while the relay stops
// must not keep it running until the service manager kills it.
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { hostNeighbourhood, rawSocket, door, startTestRelay, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
afterEach(async () => {
	await relay?.close();
	relay = undefined;
});

/** Opens a socket now and sends a websocket upgrade on it only when told to. */
function lateUpgrade(port: number) {
	const socket = connect(port, '127.0.0.1');
	socket.on('error', () => undefined);
	const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
	const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	const upgrade = () =>
		socket.write(
			'GET /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
				'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
		);
	return { connected, upgrade, ended };
}

it('stops while a device reconnects at once and another upgrades a connection it opened before', async () => {
	relay = await startTestRelay();
	const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
	const to = door(relay, hosted.key);
	let stopping = false;
	let reconnects = 0;
	const reconnecting = () => {
		const device = rawSocket(to);
		void device.closed.then(() => {
			if (!stopping) return;
			reconnects += 1;
			reconnecting();
		});
		return device;
	};
	await reconnecting().opened;
	const late = lateUpgrade(relay.port);
	await late.connected;

	stopping = true;
	const stopped = relay.close();
	late.upgrade();
	relay = undefined;
	await stopped;

	await late.ended;
	stopping = false;
	expect(reconnects).toBeGreaterThan(0);
});
