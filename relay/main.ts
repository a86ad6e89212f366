// Composition of the relay: HTTP server, static app, health, setup API and the guarded sync socket.
import '@automerge/automerge';
import { Repo, type PeerId } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { WebSocketServer } from 'ws';
import type { RelayConfig } from './config.ts';
import { CLOSE, DEFAULT_LIMITS, GuardedServerAdapter, type Limits } from './guard.ts';
import { createLogger, type Logger } from './log.ts';
import { Registry } from './registry.ts';
import { handleSetup } from './setup-api.ts';
import { staticApp } from './static.ts';

export interface RelayOptions extends RelayConfig {
	logDestination?: DestinationStream;
	limits?: Limits;
	/** How often the registry files are checked for changes by the operator command. */
	pollMs?: number;
}

export interface Relay {
	port: number;
	registry: Registry;
	repo: Repo;
	adapter: GuardedServerAdapter;
	log: Logger;
	/** Links for requests without a Host header (and the operator command). */
	origin: string;
	close(): Promise<void>;
}

async function waitFor(condition: () => boolean, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('relay did not become ready');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
	const log = createLogger(options.logLevel, options.logDestination);
	const registry = new Registry(options.data);
	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
	const adapter = new GuardedServerAdapter(wss, registry, log, options.limits ?? DEFAULT_LIMITS);
	const repo = new Repo({
		network: [adapter],
		storage: new NodeFSStorageAdapter(join(options.data, 'documents')),
		peerId: `noaber-relay-${randomBytes(4).toString('hex')}` as PeerId,
		// Like the reference sync server: announce nothing, serve what a peer of the owning
		// neighbourhood asks for.
		shareConfig: {
			announce: async () => false,
			access: async (peerId, documentId) => {
				const neighbourhood = adapter.peerNeighbourhood.get(peerId);
				return documentId !== undefined && neighbourhood !== undefined && registry.ownerOf(documentId) === neighbourhood;
			}
		}
	});

	const serveApp = staticApp(options.app);
	const originOf = (req: IncomingMessage) =>
		options.publicUrl ?? (req.headers.host ? `http://${req.headers.host}` : `http://localhost:${options.port}`);
	const started = Date.now();

	const server = createServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/healthz') {
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify({ ok: true, neighbourhoods: registry.list().length, uptime: Math.round((Date.now() - started) / 1000) }));
			return;
		}
		if (path === '/api/setup') {
			handleSetup(req, res, { repo, registry, data: options.data, log, origin: originOf }).catch((error: unknown) => {
				log.error({ err: error }, 'setup failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		serveApp(req, res);
	});

	server.on('upgrade', (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://relay');
		if (url.pathname !== '/sync') {
			socket.destroy();
			return;
		}
		const key = url.searchParams.get('key');
		let neighbourhood = registry.neighbourhoodForKey(key);
		if (!neighbourhood && registry.reloadIfChanged()) neighbourhood = registry.neighbourhoodForKey(key);
		wss.handleUpgrade(req, socket, head, (ws) => {
			ws.on('error', (error) => log.warn({ neighbourhood, reason: error.message }, 'connection error'));
			if (!neighbourhood || !key) {
				log.info({ remote: req.socket.remoteAddress }, 'connection refused: invalid key');
				ws.close(CLOSE.invalidKey, 'invalid key');
				return;
			}
			adapter.admit(ws, neighbourhood, key);
			log.debug({ neighbourhood }, 'connection opened');
			wss.emit('connection', ws, req);
		});
	});

	// A client that connects before the repo's storage id resolves would get a socket nobody reads.
	await waitFor(() => adapter.peerId !== undefined);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : options.port;

	const poll = setInterval(() => {
		try {
			if (registry.reloadIfChanged()) {
				const closed = adapter.closeRevoked();
				log.info({ neighbourhoods: registry.list().length, closed }, 'registry changed on disk');
			}
		} catch (error) {
			log.error({ err: error }, 'registry reload failed');
		}
	}, options.pollMs ?? 1000);
	poll.unref();

	let closing: Promise<void> | undefined;
	const close = () =>
		(closing ??= (async () => {
			clearInterval(poll);
			for (const client of wss.clients) client.terminate();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			try {
				await repo.shutdown();
			} catch {
				// "DocHandle is not ready": a handle still waiting for a peer has nothing to flush.
				const ready = Object.values(repo.handles).filter((h) => h.isReady());
				await repo.flush(ready.map((h) => h.documentId)).catch(() => undefined);
			}
			wss.close();
			log.info('relay stopped');
			log.flush?.();
		})());

	return { port, registry, repo, adapter, log, origin: options.publicUrl ?? `http://localhost:${port}`, close };
}
