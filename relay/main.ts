// Composition of the relay: HTTP server, static app, health, setup API and the guarded sync socket.
import { existsSync } from 'node:fs';
import '@automerge/automerge';
import { Repo, type AutomergeUrl, type DocumentId, type PeerId, type StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { mayUse } from './access.ts';
import { configFromEnv, type RelayConfig } from './config.ts';
import { ListingWatcher } from './claims.ts';
import { Door, entryAgain, entryFor, type Shown } from './doorway.ts';
import { AccessBook } from './access-book.ts';
import { handleAccess } from './access-api.ts';
import { handleAdopt } from './adopt-api.ts';
import { AdoptCodes } from './adopt-codes.ts';
import { Attempts } from './attempts.ts';
import { parseTrustedProxies } from './client-address.ts';
import { ACCESS_CHANGED } from '../src/lib/access/notice.ts';
import { secureDataFolder } from './data-folder.ts';
import { openDataLayout } from './data-layout.ts';
import { ChangeGate } from './change-limits.ts';
import { CLOSE, DEFAULT_LIMITS, GuardedServerAdapter, type Limits } from './guard.ts';
import { createLogger, type Logger } from './log.ts';
import { Faults } from './faults.ts';
import { IdleUnloader } from './idle.ts';
import { PeerJanitor } from './peers.ts';
import { collector } from './collector.ts';
import { releaseFinds } from './find-release.ts';
import { RepoHooks } from './repo-hooks.ts';
import { STORE_WAIT_MS } from './unstored-changes.ts';
import { ActorBook } from './actors.ts';
import { Referee, type Kind } from './referee.ts';
import type { Rule } from '../src/lib/rules/judge.ts';
import { Registry } from './registry.ts';
import { StorageUsage } from './usage.ts';
import { FEED_PATH, handleFeed, handleFeedAddress } from './feed.ts';
import { handlePublic, PUBLIC_PATH } from './public-api.ts';
import { securityHeadersHook } from './headers.ts';
import { linkOrigin } from './origin.ts';
import { handleSetup } from './setup-api.ts';
import { staticApp } from './static.ts';
import { AtomicFSStorageAdapter, GuardedStorage } from './storage.ts';
import { DurableOutbox } from './durable.ts';
import { refuseChangesWhileReadOnly } from './read-only.ts';
import { ChangeLog } from './change-log.ts';
import { ChangeHistory } from './change-history.ts';
import { recordAcceptedChanges } from './change-recording.ts';
import { reportMailApi, type ReportMail, type ReportMailOptions } from './report-mail-api.ts';
import { toManagers } from './report-actions.ts';
import { boardFrom, membersFrom, NewsWatch, type NewsCallback } from './news-watch.ts';
import { startPush, type Push, type PushOptions } from './push/push.ts';
import { NewsPushText } from './push/news-text.ts';
import { waitingNews } from '../src/lib/members/news.ts';
import { handleNotify, pushActions } from './notify-api.ts';
import { Eraser } from './erase.ts';
import { startEraseTimer } from './erase-timer.ts';
import { startPeering, type Peering } from './peering.ts';
import { PeersBook } from './peers-book.ts';
import { listedPeers } from './listed-peers.ts';
import { readiness, RELAY_PATH } from './readiness.ts';
import { RelayMetrics, RoundTrips } from './metrics.ts';
import { answerVouch } from './vouch-answer.ts';
import { Vouching } from './vouching.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

export interface RelayOptions extends RelayConfig {
	logDestination?: DestinationStream;
	limits: Partial<Limits>;
	/** How long a new socket may take to show its member key (doorway.ts). */
	keyWaitMs?: number;
	/** How often the registry files are checked for changes by the operator command. */
	pollMs?: number;
	/** The storage under the relay's full-disk guard; by default the data folder's `documents`. */
	storage?: StorageAdapterInterface;
	/** How often writes the disk refused are tried again. */
	storageRetryMs?: number;
	/** The rules each module's documents are judged by (src/lib/rules/documents.ts). */
	rules?: (kind: Kind) => Rule;
	/** Reports and the e-mail digest: who hears of a new report (by default the managers' phones), and each member's news (report-mail-api.ts). */
	reportMail?: Pick<ReportMailOptions, 'reported' | 'newsOf'>;
	/** Hears the news each change to a help or agenda document made (news-watch.ts); none by default. */
	onNews?: NewsCallback;
	/** Phone notifications: texts, recipients, clock (relay/push/push.ts). */
	push?: Partial<PushOptions>;
}

export interface Relay {
	/** The port it listens on (the real one when started with port 0). */
	port: number;
	/** Where this machine reaches it, e.g. http://localhost:3000. */
	url: string;
	registry: Registry;
	repo: Repo;
	adapter: GuardedServerAdapter;
	/** `storage.writable` is false while the disk refuses writes (the relay is then read-only). */
	storage: GuardedStorage;
	log: Logger;
	/** Errors confined to one document or connection, counted by reason. */
	faults: Faults;
	/** What is held per peer, and what lets go of it when a peer leaves. */
	peers: PeerJanitor;
	/** Unloads documents nobody used for a while. */
	idle: IdleUnloader;
	/** Members, devices, roles and tickets. */
	access: AccessBook;
	/** Who wrote which change (90 days), and what managers do with it. */
	changeLog: ChangeLog;
	history: ChangeHistory;
	/** Phone notifications; the news module hands happenings to `push.news`. */
	push: Push;
	/** Links for requests without a Host header (and the operator command). */
	origin: string;
	/** Reports ("Melden") and the e-mail digest. */
	reportMail: ReportMail;
	/** Erasing members' data, on request and after the period the managers set. */
	eraser: Eraser;
	close(): Promise<void>;
}

/** How long a change may wait for its documents to load from disk before the relay gives up on judging it now (4507; the device sends it again). */
const JUDGE_LOAD_MS = 10_000;
/** Full collections after unloading, at most this often (collector.ts). */
const COLLECT_EVERY_MS = 5_000;

const LOCAL = new Set(['0.0.0.0', '::', '']);

async function waitFor(condition: () => boolean, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('relay did not become ready');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Everything but the data folder has the same default as `noaber relay` without environment. */
export async function startRelay(given: Partial<RelayOptions> & Pick<RelayOptions, 'data'>): Promise<Relay> {
	const options: RelayOptions = { ...configFromEnv({}), ...given };
	let port = options.port;
	const log = createLogger(options.logLevel, options.logDestination);
	secureDataFolder(options.data, log);
	// Before anything reads the folder: a newer layout is refused, an older one brought up to date.
	const layout = openDataLayout(options.data);
	if (layout.from !== layout.layout) log.info({ from: layout.from, to: layout.layout }, 'data folder brought up to date');
	const registry = new Registry(options.data);
	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
	const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
	const adapter = new GuardedServerAdapter(wss, registry, log, limits);
	const disk = options.storage ?? new AtomicFSStorageAdapter(join(options.data, 'documents'));
	const storage = new GuardedStorage(disk, {
		log,
		retryMs: options.storageRetryMs
	});
	const repo = new Repo({
		network: [adapter],
		storage,
		peerId: `noaber-relay-${randomBytes(4).toString('hex')}` as PeerId,
		// Like the reference sync server: announce nothing, serve what a peer of the owning
		// neighbourhood asks for.
		shareConfig: {
			announce: async () => false,
			access: async (peerId, documentId) => {
				return mayUse(registry, adapter.neighbourhoodOf(peerId), documentId);
			}
		}
	});

	releaseFinds(repo);

	const outbox = new DurableOutbox(repo, storage, log, (peerId) => adapter.sockets[peerId as PeerId]);
	adapter.hooks.send = (message, deliver) => outbox.send(message, deliver);
	adapter.hooks.refuse = refuseChangesWhileReadOnly(storage);
	const usage = new StorageUsage(join(options.data, 'documents'), (id) => registry.documentsOf(id));
	const metrics = new RelayMetrics({
		connections: () => wss.clients.size,
		neighbourhoods: () => registry.list().length,
		documentsLoaded: () => Object.values(repo.handles).filter((h) => h.isReady()).length,
		storageBytes: () => registry.list().reduce((sum, n) => sum + usage.neighbourhood(n.id), 0),
		writable: () => storage.writable
	});
	const roundTrips = new RoundTrips((seconds) => metrics.roundTrip(seconds));
	adapter.metrics = {
		messageIn: () => metrics.messageIn(),
		messageOut: () => metrics.messageOut(),
		closedConnection: (code, reason) => metrics.closedConnection(code, reason),
		syncReceived: (peer, document) => roundTrips.received(peer, document),
		syncSent: (peer, document) => roundTrips.sent(peer, document)
	};
	const documentOf = (id: string) => {
		const handle = repo.handles[id as DocumentId];
		return handle?.isReady() ? handle.doc() : undefined;
	};
	adapter.changeGate = new ChangeGate({
		limits,
		log,
		usage,
		ownerOf: (id) => registry.ownerOf(id),
		documentCount: (id) => registry.documentsOf(id).length,
		documentOf
	});
	// Loads from the relay's own storage only. A handle whose storage had nothing whole asks the
	// devices for the document (automerge-repo 2.5.6: state 'requesting', for up to 60 s), and the
	// device that has it may be the very one whose messages wait for this verdict: waiting for that
	// held its connection, and with it everything it wrote, for a minute.
	adapter.hooks.load = async (ids) => {
		await Promise.race([
			Promise.all(ids.map((id) => repo.find(`automerge:${id}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable', 'requesting'] }).catch(() => undefined))),
			new Promise((resolve) => setTimeout(resolve, JUDGE_LOAD_MS).unref())
		]);
	};
	const loadedDocument = async (id: string) => {
		await adapter.hooks.load?.([id]);
		return documentOf(id);
	};
	const faults = new Faults(log);
	const hooks = new RepoHooks(repo, faults, options.syncTimeoutMs);
	adapter.hooks.pin = (ids) => hooks.hold(ids);
	adapter.hooks.stored = (id, hashes) => hooks.holds(id, hashes, STORE_WAIT_MS);
	const peers = new PeerJanitor(repo, hooks, { neighbourhoodOf: (peerId) => adapter.neighbourhoodOf(peerId), sockets: adapter.sockets, server: wss });
	const idle = new IdleUnloader(repo, hooks, { idleMs: options.idleUnloadMs, storage: disk, faults, log, collect: collector(COLLECT_EVERY_MS) });

	const access = new AccessBook(options.data);
	const eraser = new Eraser({ data: options.data, repo, storage, registry, book: access, log });
	const changeLog = new ChangeLog(options.data, log);
	const actors = new ActorBook(options.data);
	// Changes a device passes on from another relay of the neighbourhood: that relay is asked whose they are.
	const vouching = new Vouching({
		peersOf: (id) => {
			const root = registry.find(id)?.root;
			return listedPeers(new PeersBook(options.data).peersOf(id), root ? documentOf(documentIdOf(root)) : undefined);
		},
		log
	});
	if (options.rules) {
		adapter.referee = new Referee({
			registry,
			book: access,
			actors,
			vouching,
			documentOf,
			// On disk, not in the usage figures: those count a new document's first change before it is judged.
			// A handle asking the devices has nothing on disk worth waiting for (see hooks.load above).
			stored: (id) =>
				!repo.handles[id as DocumentId]?.inState(['requesting', 'unavailable']) && existsSync(join(options.data, 'documents', id.slice(0, 2), id.slice(2))),
			rules: options.rules,
			rewritten: (id) => eraser.rewritten(id)
		});
		adapter.hooks.vouch = async (neighbourhood, document, changes) => {
			// A binding the paired relay made is taken over where this relay has none: both then agree whose an actor is.
			for (const [actor, binding] of await vouching.ask(neighbourhood, document, changes)) {
				const held = actors.bind(neighbourhood, actor, binding);
				if (held.member !== binding.member) log.warn({ neighbourhood, document }, 'a paired relay binds an actor to another member than this relay does; this relay keeps its own');
			}
		};
		// What the referee let through, with the member its credential names (or, passed on from a
		// paired relay, the member that relay bound it to): who wrote what.
		adapter.hooks.accepted = (sender, changes, vouched) => {
			const at = Date.now();
			const records = changes.flatMap((c) => {
				const by = vouched?.has(c.hash) ? vouched.get(c.hash) : sender.member ? { member: sender.member, device: sender.device } : undefined;
				if (!by) return [];
				return [{ at, document: sender.document, hash: c.hash, actor: c.actor, member: by.member, ...(by.device ? { device: by.device } : {}) }];
			});
			if (records.length > 0) changeLog.record(sender.neighbourhood, records);
		};
	} else {
		recordAcceptedChanges(adapter, changeLog, (device) => access.memberOfDevice(device), documentOf);
	}
	const history = new ChangeHistory({ repo, registry, changeLog, log });
	const attempts = new Attempts({ trustedProxies: parseTrustedProxies(options.trustedProxies) });
	const membersOf = membersFrom(repo, registry, { includeLeft: true });
	const pushText = new NewsPushText({ nameOf: (id) => registry.find(id)?.name, membersOf, log });
	const push = startPush({ data: options.data, log, publicUrl: options.publicUrl, book: access, contact: options.pushContact, quiet: options.quietHours, text: pushText.text, weekly: options.notifications ? { boardOf: boardFrom(repo, registry), nameOf: (id) => registry.find(id)?.name } : undefined, ...options.push });
	// What each change to a help or agenda document made news of goes to the phones it concerns.
	if (options.notifications) new NewsWatch(repo, {
		neighbourhoodOf: (id) => registry.ownerOf(id),
		membersOf,
		onNews: (neighbourhood, item) => {
			options.onNews?.(neighbourhood, item);
			pushText.tell(neighbourhood, item, push.news);
		},
		log
	});
	const check = (key: string) => entryFor(key, registry, access);
	const checkAgain = (shown: Shown) => entryAgain(shown, registry, access);
	const checkAtDoor = (key: string) => {
		const entry = check(key);
		// A neighbourhood or device made from the shell a moment ago may not have been polled yet.
		if (entry !== 'credential') return entry;
		try {
			const changed = registry.reloadIfChanged();
			if (access.reloadIfChanged() || changed) return check(key);
		} catch {
			// A file half-written by the operator command: the next poll reads it whole.
		}
		return entry;
	};
	const opens = (key: string) => {
		const entry = checkAtDoor(key);
		return typeof entry === 'string' ? undefined : entry.neighbourhood;
	};
	const accessContext = {
		eraser,
		registry,
		book: access,
		attempts,
		repo,
		log,
		history,
		revoked: () => {
			adapter.closeRevoked(checkAgain);
			push.prune();
		},
		addRelay: (...args: Parameters<Peering['addRelay']>) => peering.addRelay(...args),
		waiting: (neighbourhood: string, member: string) => toManagers(access, push.news)(neighbourhood, waitingNews(member, new Date().toISOString())),
		changed: (neighbourhood: string) => {
			const root = registry.find(neighbourhood)?.root;
			const handle = root ? repo.handles[documentIdOf(root) as DocumentId] : undefined;
			// Only a root in memory has devices listening; nobody to tell otherwise.
			if (handle?.isReady()) handle.broadcast(ACCESS_CHANGED);
		}
	};

	const serveApp = staticApp(options.app);
	const secure = securityHeadersHook(options.app);
	const originOf = linkOrigin(options, () => port);
	// Several relays per neighbourhood: pairing and keeping access the same (peering.ts).
	const peering = startPeering({
		data: options.data,
		registry,
		book: access,
		attempts,
		log,
		origin: originOf,
		revoked: accessContext.revoked,
		changed: accessContext.changed,
		vouchFor: answerVouch({ ownerOf: (id) => registry.ownerOf(id), actors, documentOf: loadedDocument })
	});
	const started = Date.now();
	const reportMail = reportMailApi({ data: options.data, repo, registry, book: access, attempts, log, mail: options.mail, originOf, reported: toManagers(access, push.news), ...options.reportMail });
	// Without notifications (NOABER_NOTIFICATIONS=off) a device cannot switch them on: the app then
	// says this relay sends none. Switching off and the choices page still answer.
	const { key: _key, subscribe: _subscribe, ...withoutPush } = pushActions(push, reportMail.choices);
	const notifyActions = options.notifications ? pushActions(push, reportMail.choices) : withoutPush;

	const server = createServer((req, res) => {
		secure(res);
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/healthz') {
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify({ ok: true, neighbourhoods: registry.list().length, uptime: Math.round((Date.now() - started) / 1000) }));
			return;
		}
		if (path === '/readyz') {
			const state = readiness(storage, join(options.data, 'documents'));
			res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify(state));
			return;
		}
		if (path === '/metrics') {
			metrics
				.text()
				.then((text) => {
					res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
					res.end(text);
				})
				.catch((error: unknown) => {
					log.error({ err: error }, 'metrics failed');
					res.writeHead(500, { 'content-type': 'text/plain' });
					res.end();
				});
			return;
		}
		if (reportMail.handle(req, res, path)) return;
		if (peering.handle(req, res, path)) return;
		const accessAction = /^\/api\/access\/([a-zA-Z]{1,20})$/.exec(path);
		if (accessAction) {
			handleAccess(req, res, accessAction[1]!, accessContext).catch((error: unknown) => {
				log.error({ err: error }, 'access request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		const adoptAction = /^\/api\/adopt\/([a-zA-Z]{1,20})$/.exec(path);
		if (adoptAction) {
			handleAdopt(req, res, adoptAction[1]!, { repo, registry, book: access, codes: new AdoptCodes(options.data), attempts, log, data: options.data }).catch((error: unknown) => {
				log.error({ err: error }, 'adopt request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		const notifyAction = /^\/api\/notify\/([a-zA-Z]{1,20})$/.exec(path);
		if (notifyAction) {
			handleNotify(req, res, notifyAction[1]!, { book: access, attempts, log, actions: notifyActions }).catch((error: unknown) => {
				log.error({ err: error }, 'notify request failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		if (path === '/api/setup') {
			handleSetup(req, res, { repo, registry, book: access, data: options.data, log, origin: originOf }).catch((error: unknown) => {
				log.error({ err: error }, 'setup failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		if (path === PUBLIC_PATH) {
			handlePublic(req, res, { repo, registry, log }).catch((error: unknown) => {
				log.error({ err: error }, 'public page failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'failed' }));
			});
			return;
		}
		const feed = FEED_PATH.exec(path);
		if (feed || path === '/api/feed') {
			const context = { repo, registry, log, origin: originOf, opens };
			const fail = (error: unknown) => {
				log.error({ err: error }, 'feed failed');
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
				res.end();
			};
			if (feed) handleFeed(req, res, feed[1], context).catch(fail);
			else {
				try {
					handleFeedAddress(req, res, context);
				} catch (error) {
					fail(error);
				}
			}
			return;
		}
		// A monitor or a mistyped API call must not get the app's page with status 200.
		if (RELAY_PATH.test(path)) {
			res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify({ error: 'unknown' }));
			return;
		}
		serveApp(req, res);
	});

	let stopping = false;
	server.on('upgrade', (req, socket, head) => {
		if (stopping) {
			socket.destroy();
			return;
		}
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://relay');
		} catch {
			socket.destroy();
			return;
		}
		if (url.pathname !== '/sync') {
			socket.destroy();
			return;
		}
		const remote = attempts.addressOf(req);
		wss.handleUpgrade(req, socket, head, (ws) => atTheDoor(ws, remote));
	});

	// Apart from the upgrade's handler: a listener that lives as long as the socket, written in the
	// scope that holds the request, would keep each connection's request, headers and parser for as
	// long as it stays open (about 2 KB per idle connection). The repo's adapter reads only the socket.
	// One listener per event, made once, for every socket (the socket is their `this`): one made per
	// socket would be kept, with its scope, as long as the connection stays (doorway.ts).
	// The address is kept only until the door lets a socket in (attempts.ts counts failures by it);
	// after that the log names the connection's neighbourhood and peer, and the relay holds no
	// address for each device connected, nor a table entry for it.
	const remoteOf = new WeakMap<WebSocket, string>();
	const whoIs = (ws: WebSocket) => {
		const connection = adapter.connections.get(ws);
		return connection ? { neighbourhood: connection.neighbourhood, peer: connection.peerId } : { remote: remoteOf.get(ws) };
	};
	// ws reports oversized frames (it closes with 1009 itself) and protocol errors here.
	const socketError = function (this: WebSocket, error: Error) {
		log.warn({ ...whoIs(this), reason: error.message }, 'connection error');
	};
	// The door sees each frame first; the adapter makes none of its own listeners (guard.ts).
	const socketFrame = function (this: WebSocket, data: RawData, isBinary: boolean) {
		if (!door.frame(this, data, isBinary)) adapter.frameArrived(this, data as Uint8Array, isBinary);
	};
	const socketPong = function (this: WebSocket) {
		adapter.alive(this);
	};
	const socketClosed = function (this: WebSocket, code: number) {
		door.closed(this);
		adapter.socketClosed(this);
		log.debug({ ...whoIs(this), code }, 'connection closed');
	};
	const door = new Door(
		checkAtDoor,
		(ws, entry) => {
			adapter.admit(ws, entry);
			remoteOf.delete(ws);
			if (entry.holder) access.seen(entry.holder.deviceId);
			log.debug({ neighbourhood: entry.neighbourhood }, 'connection opened');
		},
		(ws, reason) => {
			const remote = remoteOf.get(ws) ?? '';
			if (reason === 'credential' || reason === 'no key') attempts.failed(remote);
			metrics.refusedConnection(reason);
			log.info({ remote, reason }, 'connection refused');
			const code = reason === 'removed' ? CLOSE.removed : reason === 'waiting' ? CLOSE.waiting : CLOSE.invalidKey;
			ws.close(code, reason === 'removed' || reason === 'waiting' ? reason : 'invalid key');
		},
		options.keyWaitMs
	);
	function atTheDoor(ws: WebSocket, remote: string): void {
		remoteOf.set(ws, remote);
		ws.on('error', socketError);
		ws.on('message', socketFrame);
		ws.on('close', socketClosed);
		ws.on('pong', socketPong);
		if (attempts.blocked(remote)) {
			metrics.refusedConnection('too many attempts');
			ws.close(CLOSE.tooMany, 'too many attempts');
			return;
		}
		door.watch(ws);
	}

	// A client that connects before the repo's storage id resolves would get a socket nobody reads.
	await waitFor(() => adapter.peerId !== undefined);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port, options.host, () => resolve());
		});
	} catch (error) {
		// Port taken: let go of everything so the process can exit with the operator's message.
		wss.close();
		await repo.shutdown().catch(() => undefined);
		throw error;
	}
	const address = server.address();
	if (typeof address === 'object' && address) port = address.port;

	const listings = new ListingWatcher(repo, registry, log, options.pollMs);
	const poll = setInterval(() => {
		roundTrips.age();
		try {
			const registryChanged = registry.reloadIfChanged();
			if (access.reloadIfChanged() || registryChanged) {
				const closed = adapter.closeRevoked(checkAgain);
				push.prune();
				log.info({ neighbourhoods: registry.list().length, closed }, 'access changed on disk');
			}
		} catch (error) {
			log.error({ err: error }, 'registry reload failed');
		}
	}, options.pollMs ?? 1000);
	poll.unref();
	idle.start();
	const eraseTimer = startEraseTimer(eraser, log);

	let closing: Promise<void> | undefined;
	// Each step of stopping has a deadline: a service manager (and the tests) kill a relay that
	// does not stop, and a step that overruns is named in the log instead of hanging silently.
	const step = async (name: string, ms: number, work: () => Promise<unknown>) => {
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
		const outcome = await Promise.race([work().then(() => 'done' as const, () => 'done' as const), late]);
		clearTimeout(timer);
		if (outcome === 'late') log.warn({ step: name, ms }, 'stopping: step did not finish in time, going on');
	};
	const close = () =>
		(closing ??= (async () => {
			// No new connections first: a browser reconnecting while the others are being closed
			// would otherwise get a fresh websocket that keeps the server open.
			stopping = true;
			const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
			clearInterval(poll);
			eraseTimer.stop();
			peering.close();
			listings.close();
			push.close();
			await step('idle unloading', 2000, () => idle.stop());
			await step('e-mail digests', 2000, () => reportMail.close());
			// A clean close rather than a reset: the stock Node client throws on ECONNRESET, and
			// browsers reconnect sooner after 1001 "going away".
			const open = [...wss.clients];
			for (const client of open) client.close(1001, 'relay stopping');
			await step('closing connections', 500, () =>
				Promise.all(open.map((c) => (c.readyState === c.CLOSED ? undefined : new Promise((r) => c.once('close', r)))))
			);
			for (const client of wss.clients) client.terminate();
			// A browser may keep a request open (or a keep-alive socket busy): give it a moment, then
			// close every connection, so stopping never waits on a client.
			server.closeIdleConnections();
			await step('finishing requests', 2000, () => stopped);
			server.closeAllConnections();
			for (const client of wss.clients) client.terminate();
			await step('closing sockets', 2000, () => stopped);
			await step('saving documents', 5000, async () => {
				try {
					await repo.shutdown();
				} catch {
					// "DocHandle is not ready": a handle still waiting for a peer has nothing to flush.
					const ready = Object.values(repo.handles).filter((h) => h.isReady());
					await repo.flush(ready.map((h) => h.documentId)).catch(() => undefined);
				}
			});
			storage.close();
			changeLog.close();
			wss.close();
			log.info('relay stopped');
			log.flush?.();
		})());

	const url = `http://${LOCAL.has(options.host) ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
	return { port, url, registry, repo, adapter, storage, log, faults, peers, idle, access, changeLog, history, push, origin: options.publicUrl ?? `http://localhost:${port}`, reportMail, eraser, close };
}
