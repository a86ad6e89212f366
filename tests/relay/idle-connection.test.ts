// An open, quiet connection costs the relay what the connection needs and nothing more: the HTTP
// request that opened it (its headers, its parser) is let go once the socket is in. Issue #17 holds
// memory per idle connection to the stock relay's; bench/stock-fanout.ts measures it.
import { Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Lane } from '../../relay/budget.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { client, eventually, find, hostNeighbourhood, nameOf, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

describe('an idle connection', () => {
	it('keeps nothing of the request that opened it, not even a copy of its address, and stays open', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const requests: WeakRef<object>[] = [];
		const sockets: object[] = [];
		const emit = Server.prototype.emit;
		Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
			if (event === 'upgrade') {
				requests.push(new WeakRef(args[0] as object));
				sockets.push(args[1] as object);
			}
			return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
		} as typeof emit;
		let anna: ReturnType<typeof client>;
		try {
			anna = client(relay, hosted.key);
			repos.push(anna);
			await find<RootDoc>(anna, hosted.root);
		} finally {
			Server.prototype.emit = emit;
		}
		expect(requests.length).toBeGreaterThan(0);

		// A weak reference holds its object until the current task ends.
		await new Promise((resolve) => setTimeout(resolve, 0));
		collect();
		expect(requests.filter((request) => request.deref() !== undefined)).toHaveLength(0);
		// Node keeps the address on the socket once it is read (its copy, and one more property):
		// the relay reads it at the door (too many wrong guesses from one address) and keeps nothing.
		expect(sockets.map((socket) => Object.keys(socket).filter((key) => key.includes('peername')))).toEqual(sockets.map(() => []));

		// Still in: a change the relay sends on reaches her.
		expect(anna.peers).toHaveLength(1);
		const bert = client(relay, hosted.key);
		repos.push(bert);
		updateDetails(await find<RootDoc>(bert, hosted.root), emptyDetails('Lindenbuurt-Oost'));
		const annas = await find<RootDoc>(anna, hosted.root);
		await eventually(() => nameOf(annas.doc()), (name) => name === 'Lindenbuurt-Oost');
	});

	it('is one record at the relay, its place in the budgets included, with no queue until a message has to wait', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		repos.push(anna);
		await find<RootDoc>(anna, hosted.root);
		const sockets = Object.values(relay.adapter.sockets) as unknown as WebSocket[];
		expect(sockets).toHaveLength(1);
		const connection = relay.adapter.connections.get(sockets[0]!);
		// Two records per connection before: the guard's and its lane in the budgets.
		expect(connection).toBeInstanceOf(Lane);
		expect(connection?.neighbourhood).toBe(hosted.id);
		expect(connection?.queue).toBeUndefined();
		expect(connection?.queued).toBe(0);
	});
});
