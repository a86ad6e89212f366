// The stock relay of automerge-repo, as its sync server sets it up (a Repo with the Node websocket
// server adapter, file storage and a share policy that announces nothing), with the same package
// versions as Noaber's relay and their defaults: the yardstick of issue #17's fan-out figures.
//   node --import tsx bench/stock-relay.ts <data folder> <document url> <document file>
// Stores the document under its id, tells its parent its port over IPC, and stops on "stop".
import '@automerge/automerge';
import { parseAutomergeUrl, Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { answerMemoryRequests } from './relay-memory.ts';

const [data, url, file] = process.argv.slice(2);
if (!data || !url || !file || !process.send) throw new Error('Run by bench/stock-fanout.ts: stock-relay.ts <data> <url> <file>');
// Stored by a repo of its own, so that the relay starts as Noaber's does: the document on disk, not in memory.
const storing = new Repo({ storage: new NodeFSStorageAdapter(data) });
storing.import(new Uint8Array(readFileSync(file)), { docId: parseAutomergeUrl(url as AutomergeUrl).documentId });
await storing.flush();
await storing.shutdown();
const wss = new WebSocketServer({ noServer: true });
// The adapter is typed against its own copy of ws's types; the server is the same class.
const adapter = new NodeWSServerAdapter(wss as unknown as ConstructorParameters<typeof NodeWSServerAdapter>[0]);
const repo = new Repo({ network: [adapter], storage: new NodeFSStorageAdapter(data), sharePolicy: async () => false });
const server = createServer((_request, response) => response.end('stock relay'));
server.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
answerMemoryRequests();
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
const stop = async () => {
	wss.close();
	server.close();
	await repo.shutdown().catch(() => undefined);
	process.exit(0);
};
process.on('message', (message) => void (message === 'stop' && stop()));
process.on('disconnect', () => void stop());
