// One open neighbourhood on this device: its own Repo (IndexedDB, other tabs, the relay with this
// neighbourhood's key), its root and members documents, and whether edits have reached the relay.
// A Repo per neighbourhood, not per browser: each relay connection carries one neighbourhood's
// key, and one Repo cannot talk to the same relay twice under one peer id.
import { decodeHeads, Repo, type AutomergeUrl, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import type { AgendaDoc } from '../agenda/document.ts';
import { agendaLoadOrder, ensureAgendaDoc } from '../agenda/periods.ts';
import { todayWall } from '../agenda/calendar.ts';
import { readEvents, type EventsRead } from '../agenda/view.ts';
import type { MapDoc } from '../map/document.ts';
import { newMapDoc } from '../map/create.ts';
import { readMap, type MapRead } from '../map/view.ts';
import { ensurePeriodDoc as ensureListedDoc } from './period-index.ts';
import type { MembersDoc } from '../members/document.ts';
import type { ArchiveDoc, HelpDoc } from '../help/document.ts';
import { archivable, archivePosts, yearOf } from '../help/archive.ts';
import { ensurePeriodDoc, loadOrder } from '../help/periods.ts';
import { readPosts, type PostsRead } from '../help/view.ts';
import { imm, randomId, textOf } from './fields.ts';
import { peerIdFor } from '../access/secret.ts';
import { isAccessNotice } from '../access/notice.ts';
import type { RootDoc } from '../neighbourhood/document.ts';
import { healRoot } from '../neighbourhood/heal.ts';
import { anyoneMayHeal } from '../neighbourhood/rules.ts';
import { addAgendaDoc, addMapDoc, addHelpArchive, addHelpPeriod, migrateRoot, sealHelpPeriod } from '../neighbourhood/mutations.ts';
import type { MigrationResult } from '../neighbourhood/migrate.ts';
import { repairRoot, restoreMembers } from '../neighbourhood/repair.ts';
import type { RootProblem } from '../neighbourhood/problems.ts';
import { readNeighbourhood, type RootRead } from '../neighbourhood/view.ts';
import { readMembers, type Member } from '../members/view.ts';
import type { Read } from './fields.ts';
import { ReactiveDoc } from './reactive.svelte.ts';
import { RelaySocket, type Refusal, type Shut } from './relay-socket.ts';
import { RelaySockets, unreachableRelays, type RelayState } from './relay-sockets.ts';
import { relaysToReach, relayToFollow } from '../neighbourhood/relay-list.ts';
import { setAlternatives } from '../access/alternatives.ts';
import { Refusals } from './refusals.svelte.ts';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import { automergeReady } from './wasm.ts';
import { openDeviceStorage } from './device-storage.ts';

/** What the status line tells the resident. */
export type SyncStatus = 'connecting' | 'local' | 'sharing' | 'shared' | 'refused' | Refusal;

export interface Target {
	root: string;
	relay: string;
	/** What this device shows at the relay's door: its credential (or the old shared key). */
	key: string;
	/** This device's id, inside its credential; its peer ids carry it. */
	deviceId?: string;
}

const documentIdOf = (url: string) => url.replace(/^automerge:/, '');

export class Connection {
	readonly target: Target;
	readonly repo: Repo;
	/** A connection to every relay the neighbourhood lists (relay-sockets.ts). */
	readonly relaySockets: RelaySockets;
	/** The socket to this device's own relay: its door decides whether the device is in. */
	get socket(): RelaySocket {
		return this.relaySockets.primary;
	}
	/** Each relay and whether this device reaches it now, own relay first. */
	relays = $state<RelayState[]>([]);
	/** Relays down while another carries everything: the status line names them, calmly. */
	unreachable: string[] = $derived(unreachableRelays(this.relays));
	/** Changes of this device the relay did not pass on: taken out here, listed for the person. */
	readonly refusals: Refusals;
	readonly erasures: ErasureCatchUp;
	root = $state<ReactiveDoc<RootDoc>>();
	/** Why the relay will not let this device in, once status is 'refused'. */
	get shut(): Shut | undefined {
		return this.status === 'refused' ? this.socket.shut : undefined;
	}
	members = $state<ReactiveDoc<MembersDoc>>();
	status = $state<SyncStatus>('connecting');
	/** What opening did to an older root; a version it could not follow is read as well as possible. */
	migration = $state<MigrationResult>();
	/** Nobody has the members document the root points at: a peer may have pointed it elsewhere. */
	membersUnavailable = $state(false);
	/** Typed, validated views: what pages show. */
	neighbourhood: RootRead | undefined = $derived(
		this.root?.current ? readNeighbourhood(this.root.current) : undefined
	);
	/** Everyone who ever took part (read once per change), and those who still do. */
	everyone: Read<Member> | undefined = $derived(
		this.members?.current ? readMembers(this.members.current, { includeLeft: true }) : undefined
	);
	names: Map<string, string> = $derived(new Map((this.everyone?.items ?? []).map((m) => [m.id, m.name])));
	memberList: Read<Member> | undefined = $derived(
		this.everyone && { items: this.everyone.items.filter((m) => !m.leftAt), skipped: this.everyone.skipped }
	);
	/** The help board's period documents, newest first, as they arrive. */
	helpDocs = $state<ReactiveDoc<HelpDoc>[]>([]);
	/** Listed period documents not loaded yet (older ones load after the board shows). */
	helpPending = $state(0);
	posts: PostsRead = $derived(
		readPosts(this.helpDocs.flatMap((d) => (d.current ? [{ url: d.handle.url, doc: d.current }] : [])))
	);
	/** The agenda's documents (series and years), as they arrive. */
	agendaDocs = $state<ReactiveDoc<AgendaDoc>[]>([]);
	agendaPending = $state(0);
	events: EventsRead = $derived(
		readEvents(this.agendaDocs.flatMap((d) => (d.current ? [{ url: d.handle.url, doc: d.current }] : [])))
	);
	/** The social map's document(s): normally one, made with the neighbourhood. */
	mapDocs = $state<ReactiveDoc<MapDoc>[]>([]);
	map: MapRead = $derived(readMap(this.mapDocs.flatMap((d) => (d.current ? [d.current] : []))));
	// Bookkeeping only; nothing renders from it.
	#mapRequested = new Set<string>();
	#helpRequested = new Set<string>();
	#agendaRequested = new Set<string>();
	/**
	 * Older quarters and years wait until every module's recent documents are open: loading is
	 * work on the one main thread, and what shows first should not queue behind ten years.
	 */
	#releaseLater: () => void = () => {};
	#firstLoaded = new Promise<void>((resolve) => (this.#releaseLater = resolve));
	// Help and agenda: the modules with recent documents to open first.
	// The loaders run again on every change of the root. Only a module's first run counts: a later
	// run with nothing new must not stand in for a first one that is still loading.
	#recentStarted = new Set<'help' | 'agenda'>();
	#recentDone = new Set<'help' | 'agenda'>();
	#isFirstRun(module: 'help' | 'agenda'): boolean {
		const first = !this.#recentStarted.has(module);
		this.#recentStarted.add(module);
		return first;
	}
	#recentLoaded(module: 'help' | 'agenda') {
		this.#recentDone.add(module);
		if (this.#recentDone.size === 2) this.#releaseLater();
	}
	#timer: ReturnType<typeof setInterval> | undefined;
	/** Documents whose every change recomputes the status at once, not up to a second later. */
	#watched = new WeakSet<DocHandle<unknown>>();
	#statusDue: ReturnType<typeof setTimeout> | undefined;
	// Once per task, not once per document: loading forty older years changes heads forty times in
	// a row, and each recompute reads the heads of every open document.
	#onHeads = () => {
		this.#statusDue ??= setTimeout(() => {
			this.#statusDue = undefined;
			this.#updateStatus();
		}, 0);
	};
	#accessListeners = new Set<() => void>();

	/** Calls back when the relay says access changed (roles, approvals): time to ask who we are. */
	onAccessChange(listener: () => void): void {
		this.#accessListeners.add(listener);
	}
	#moveListeners = new Set<(relay: string) => void>();

	/** Calls back when this device followed its neighbourhood to another relay (moving house). */
	onMove(listener: (relay: string) => void): void {
		this.#moveListeners.add(listener);
	}
	#closed = false;
	#membersFound: (handle: DocHandle<MembersDoc>) => void = () => {};
	#membersHandle = new Promise<DocHandle<MembersDoc>>((resolve) => (this.#membersFound = resolve));

	private constructor(target: Target) {
		this.target = target;
		this.relaySockets = new RelaySockets(target.relay, target.key);
		const id = documentIdOf(target.root);
		const storage = openDeviceStorage(target.root);
		this.repo = new Repo({
			// A peer id carries the device id: the relay lets no other device use it.
			peerId: target.deviceId ? (peerIdFor(target.deviceId, randomId()) as PeerId) : undefined,
			storage,
			network: [this.socket, new BroadcastChannelNetworkAdapter({
					channelName: `noaber-${id}`,
					// automerge-repo 2.5.6 asks for no document until every adapter is ready, and this one
					// waits 1 s (its default) for other tabs. An open tab answers within milliseconds.
					peerWaitMs: 100
				})]
		});
		this.refusals = new Refusals({
			repo: this.repo,
			storage,
			root: target.root,
			// Only this device's own relay takes its changes out. Another listed relay also refuses
			// what this device merely passes on (another member's change that came here through the
			// first relay while it was down): the author's device brings those itself.
			isRelay: (peer) => peer === this.socket.remotePeerId,
			acceptedElsewhere: (documentId) => this.#headsAtRelays(documentId),
			list: localStorage
		});
		this.relaySockets.attach(this.repo);
		this.relays = this.relaySockets.states();
		this.relaySockets.onChange(() => {
			this.relays = this.relaySockets.states();
			this.#followRelays();
			this.#updateStatus();
		});
		// Erasures on the relay: copies here from before are replaced (erase/catch-up.ts).
		this.erasures = new ErasureCatchUp({ repo: this.repo, storage, relay: () => this.relaySockets.primaryRelay, credential: target.key });
		let wasOpen = false;
		this.relaySockets.onChange(() => {
			const open = this.socket.state === 'open';
			if (open && !wasOpen) void this.erasures.check();
			wasOpen = open;
		});
		this.onAccessChange(() => void this.erasures.check());
		this.#timer = setInterval(() => this.#updateStatus(), 1000);
		addEventListener('pagehide', this.#flush);
	}

	/** Opens the neighbourhood and finds its documents, from this device or from the relay. */
	static async open(target: Target): Promise<Connection> {
		await automergeReady();
		const connection = new Connection(target);
		void connection.#load();
		return connection;
	}

	async #find<T>(url: string): Promise<DocHandle<T>> {
		// `unavailable` is not final: an offline device may get the document once the relay answers.
		return this.repo.find<T>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
	}

	async #load() {
		const root = await this.#find<RootDoc>(this.target.root);
		if (this.#closed) return;
		this.root = new ReactiveDoc(root);
		root.on('ephemeral-message', ({ message }) => {
			if (isAccessNotice(message)) for (const listener of this.#accessListeners) listener();
		});
		const membersUrl = await this.#whenRootReadable(root);
		if (this.#closed || !membersUrl) return;
		this.#followRelays();
		if (root.isReady()) {
			this.migration = migrateRoot(root);
			this.#heal(root);
		}
		const members = await this.#find<MembersDoc>(membersUrl);
		if (this.#closed) return;
		this.#useMembers(members);
		this.#membersFound(members);
		// Another device may start a new quarter at any time: follow the root's index.
		root.on('change', () => {
			// A peer's older device may have listed a document in an index this root hides.
			this.#heal(root);
			this.#followRelays();
			const doc = root.doc();
			void this.#loadHelp(doc);
			void this.#loadAgenda(doc);
			void this.#loadMap(doc);
		});
		// Should a module have nothing recent to show, the rest still comes.
		setTimeout(() => this.#releaseLater(), 5000);
		await Promise.all([this.#loadHelp(root.doc()), this.#loadAgenda(root.doc()), this.#loadMap(root.doc())]);
		void this.erasures.check();
	}

	/** Healing is a courtesy to other devices: a root it cannot heal is still read and shown. */
	#heal(root: DocHandle<RootDoc>) {
		try {
			healRoot(root, anyoneMayHeal);
		} catch {
			// Reading skips what healing could not copy; nothing to tell the resident.
		}
	}

	/** A manager's repair of a damaged root (see `neighbourhood/repair.ts`). */
	repair(): RootProblem[] {
		const root = this.root?.handle;
		return root ? repairRoot(root) : [];
	}

	#useMembers(members: DocHandle<MembersDoc>) {
		this.members = new ReactiveDoc(members);
		this.membersUnavailable = members.state === 'unavailable';
		// Not final: the relay may get it later (from the device that made it). automerge-repo 2.5.6
		// emits no event on becoming unavailable; `find` has already waited for that or for ready.
		members.on('change', () => (this.membersUnavailable = false));
	}

	/** Points the root back at the members document it was created with, and opens that one. */
	async restoreMembers(): Promise<boolean> {
		const root = this.root?.handle;
		const url = root ? restoreMembers(root) : undefined;
		if (!url) return false;
		this.#useMembers(await this.#find<MembersDoc>(url));
		return true;
	}

	async #loadHelp(doc: unknown) {
		const read = readNeighbourhood(doc);
		if (!read.ok) return;
		const firstRun = this.#isFirstRun('help');
		const { help, helpArchive, helpSealed } = read.neighbourhood.docs;
		const sealed = new Set(helpSealed);
		const live = help.filter(({ url }) => !sealed.has(url) && !this.#helpRequested.has(url));
		const archives = helpArchive.filter(({ url }) => !this.#helpRequested.has(url)).map(({ url }) => url);
		const { first, later } = loadOrder(live, new Date());
		[...live.map(({ url }) => url), ...archives].forEach((url) => this.#helpRequested.add(url));
		this.helpPending += live.length + archives.length;
		// Recent quarters first, so the board shows what matters now; then the archive and any
		// older live quarter at once, added in one update instead of one per document.
		await this.#loadBatch(first.map(({ url }) => url));
		if (firstRun) this.#recentLoaded('help');
		await this.#firstLoaded;
		await this.#loadBatch([...archives, ...later.map(({ url }) => url)]);
		if (this.helpPending === 0) void this.#archiveOld(read.neighbourhood.docs.helpArchive);
	}

	async #loadBatch(urls: string[]) {
		if (urls.length === 0) return;
		const handles = await Promise.all(urls.map((url) => this.#find<HelpDoc>(url)));
		if (this.#closed) return;
		this.helpDocs = [...this.helpDocs, ...handles.map((h) => new ReactiveDoc(h))];
		this.helpPending -= urls.length;
	}

	async #loadAgenda(doc: unknown) {
		const read = readNeighbourhood(doc);
		if (!read.ok) return;
		const firstRun = this.#isFirstRun('agenda');
		const fresh = read.neighbourhood.docs.agenda.filter(({ url }) => !this.#agendaRequested.has(url));
		if (fresh.length === 0) {
			if (firstRun) this.#recentLoaded('agenda');
			return;
		}
		fresh.forEach(({ url }) => this.#agendaRequested.add(url));
		this.agendaPending += fresh.length;
		// The series and the weeks around today first; older years after, in one update.
		const { first, later } = agendaLoadOrder(fresh, todayWall());
		for (const batch of [first, later]) {
			if (batch === later) {
				if (firstRun) this.#recentLoaded('agenda');
				await this.#firstLoaded;
			}
			if (batch.length === 0) continue;
			const handles = await Promise.all(batch.map(({ url }) => this.#find<AgendaDoc>(url)));
			if (this.#closed) return;
			this.agendaDocs = [...this.agendaDocs, ...handles.map((h) => new ReactiveDoc(h))];
			this.agendaPending -= batch.length;
		}
	}

	async #loadMap(doc: unknown) {
		const read = readNeighbourhood(doc);
		if (!read.ok) return;
		const fresh = read.neighbourhood.docs.map.filter(({ url }) => !this.#mapRequested.has(url));
		if (fresh.length === 0) return;
		fresh.forEach(({ url }) => this.#mapRequested.add(url));
		const handles = await Promise.all(fresh.map(({ url }) => this.#find<MapDoc>(url)));
		if (this.#closed) return;
		this.mapDocs = [...this.mapDocs, ...handles.map((h) => new ReactiveDoc(h))];
	}

	/** The map document to write to: the listed one, or (for an older neighbourhood) a new one. */
	async mapDoc(): Promise<DocHandle<MapDoc>> {
		const root = this.root?.handle;
		if (!root || !readNeighbourhood(root.doc()).ok) throw new Error('The neighbourhood is not loaded yet');
		const { handle } = await ensureListedDoc<MapDoc>(
			{
				entries: () => {
					const read = readNeighbourhood(root.doc());
					return read.ok ? read.neighbourhood.docs.map : [];
				},
				open: (url) => this.mapDocs.find((d) => d.handle.url === url)?.handle ?? this.#find<MapDoc>(url),
				create: (initial) => {
					const created = this.repo.create<MapDoc>(initial);
					this.#mapRequested.add(created.url);
					this.mapDocs = [...this.mapDocs, new ReactiveDoc(created)];
					return created;
				},
				list: (_period, url) => addMapDoc(root, url)
			},
			'map',
			newMapDoc
		);
		return handle;
	}

	/** The agenda document for a year or the series, started (and listed in the root) when missing. */
	async agendaDoc(period: string): Promise<DocHandle<AgendaDoc>> {
		const root = this.root?.handle;
		if (!root || !readNeighbourhood(root.doc()).ok) throw new Error('The neighbourhood is not loaded yet');
		return ensureAgendaDoc(
			{
				entries: () => {
					const read = readNeighbourhood(root.doc());
					return read.ok ? read.neighbourhood.docs.agenda : [];
				},
				open: (url) => this.agendaHandle(url) ?? this.#find<AgendaDoc>(url),
				create: (initial) => {
					const created = this.repo.create<AgendaDoc>(initial);
					this.#agendaRequested.add(created.url);
					this.agendaDocs = [...this.agendaDocs, new ReactiveDoc(created)];
					return created;
				},
				list: (p, url) => addAgendaDoc(root, p, url)
			},
			period
		);
	}

	/** The handle of the agenda document that holds an event. */
	agendaHandle(documentUrl: string): DocHandle<AgendaDoc> | undefined {
		return this.agendaDocs.find((d) => d.handle.url === documentUrl)?.handle;
	}

	#archiving = false;

	/** Moves long-closed quarters into the year's archive, so the next start loads less. */
	async #archiveOld(archives: { year: string; url: string }[]) {
		const root = this.root?.handle;
		if (this.#archiving || !root) return;
		this.#archiving = true;
		try {
			const now = new Date();
			for (const reactive of this.helpDocs) {
				const doc = reactive.current as { period?: unknown; posts?: unknown } | undefined;
				if (!doc || !('period' in doc)) continue;
				const period = textOf(doc.period);
				const posts = readPosts([{ url: reactive.handle.url, doc }]).items;
				if (posts.length === 0 || !archivable(period, posts, now)) continue;
				const year = yearOf(period);
				const listed = archives.find((a) => a.year === year);
				let archive = listed ? (this.helpDocs.find((d) => d.handle.url === listed.url)?.handle as DocHandle<ArchiveDoc> | undefined) : undefined;
				if (!archive) {
					archive = this.repo.create<ArchiveDoc>({ year: imm(year), posts: {} });
					this.#helpRequested.add(archive.url);
					this.helpDocs = [...this.helpDocs, new ReactiveDoc(archive as unknown as DocHandle<HelpDoc>)];
					addHelpArchive(root, year, archive.url);
					archives = [...archives, { year, url: archive.url }];
				}
				archivePosts(archive, posts);
				sealHelpPeriod(root, reactive.handle.url, archive.url);
			}
		} finally {
			this.#archiving = false;
		}
	}

	/** Opens a sealed quarter to show the full history of an archived post. */
	async openSealed(url: string): Promise<void> {
		if (this.helpDocs.some((d) => d.handle.url === url)) return;
		await this.#loadBatch([url]);
	}

	/** The document to post in for this period, started (and listed in the root) when missing. */
	async periodDoc(period: string): Promise<DocHandle<HelpDoc>> {
		const root = this.root?.handle;
		if (!root || !readNeighbourhood(root.doc()).ok) throw new Error('The neighbourhood is not loaded yet');
		const { handle } = await ensurePeriodDoc(
			{
				entries: () => {
					const read = readNeighbourhood(root.doc());
					return read.ok ? read.neighbourhood.docs.help : [];
				},
				open: (url) => this.helpHandle(url) ?? this.#find<HelpDoc>(url),
				create: (initial) => {
					const created = this.repo.create<HelpDoc>(initial);
					this.#helpRequested.add(created.url);
					this.helpDocs = [new ReactiveDoc(created), ...this.helpDocs];
					return created;
				},
				list: (p, url) => addHelpPeriod(root, p, url)
			},
			period
		);
		return handle;
	}

	/** The handle of the period document that holds a post. */
	helpHandle(documentUrl: string): DocHandle<HelpDoc> | undefined {
		return this.helpDocs.find((d) => d.handle.url === documentUrl)?.handle;
	}

	/** The root may arrive later than the handle; wait for a readable one. */
	#whenRootReadable(root: DocHandle<RootDoc>): Promise<string | undefined> {
		return new Promise((resolve) => {
			const tryRead = (doc: unknown) => {
				const read = readNeighbourhood(doc);
				if (!read.ok) return false;
				root.off('change', onChange);
				resolve(read.neighbourhood.docs.members);
				return true;
			};
			const onChange = ({ doc }: { doc: RootDoc }) => void tryRead(doc);
			root.on('change', onChange);
			if (root.isReady()) tryRead(root.doc());
		});
	}

	/** The members document once it is found, for a change made right after opening. */
	membersHandle(): Promise<DocHandle<MembersDoc>> {
		return this.#membersHandle;
	}

	/** Loaded from this device or the relay, or still waiting for either. */
	get loaded(): boolean {
		return this.root?.current !== undefined && this.members?.current !== undefined;
	}

	/**
	 * Keeps a connection to every relay the root lists, and follows the neighbourhood when a
	 * manager retired this device's own relay: its home becomes this device's relay, with the same
	 * credential and everything on this device, and the others hear of it (`onMove`).
	 */
	#followRelays() {
		const root = this.root?.handle;
		if (this.#closed || !root?.isReady()) return;
		const read = readNeighbourhood(root.doc());
		if (!read.ok) return;
		const listed = read.neighbourhood.relays;
		const own = this.relaySockets.primaryRelay;
		const home = relayToFollow(own, listed, (relay) => this.relaySockets.socketOf(relay)?.state === 'open');
		if (home) {
			this.relaySockets.setPrimary(home);
			for (const listener of this.#moveListeners) listener(home);
		}
		const reach = relaysToReach(this.relaySockets.primaryRelay, listed);
		this.relaySockets.want(reach);
		setAlternatives(this.relaySockets.primaryRelay, reach.slice(1));
	}

	/** What every connected relay is known to hold of a document: the union of their heads. */
	#headsAtRelays(documentId: string): string[] {
		const handle = this.repo.handles[documentId as DocumentId];
		if (!handle) return [];
		return this.relaySockets.open().flatMap((socket) => {
			const storageId = this.repo.getStorageIdOfPeer(socket.remotePeerId as PeerId);
			const heads = storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
			return heads ? decodeHeads(heads) : [];
		});
	}

	/** Whether every one of these documents is on the relay at the other end of `socket`. */
	#onRelay(socket: RelaySocket, handles: DocHandle<unknown>[]): boolean {
		const peer = socket.remotePeerId as PeerId | undefined;
		const storageId = peer ? this.repo.getStorageIdOfPeer(peer) : undefined;
		return handles.every((handle) => {
			const theirs = storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
			return theirs !== undefined && theirs.join() === handle.heads().join();
		});
	}

	#updateStatus() {
		if (this.socket.state === 'refused') {
			this.status = 'refused';
			return;
		}
		// A relay dropped from the list goes once it has the root as this device has it.
		const root = this.root?.handle;
		this.relaySockets.drain((socket) => (root?.isReady() ? this.#onRelay(socket, [root as DocHandle<unknown>]) : true));
		const open = this.relaySockets.open();
		const refusal = [this.socket, ...open].find((s) => s.refusal)?.refusal;
		if (open.length === 0) {
			this.status = refusal ?? (this.loaded ? 'local' : 'connecting');
			return;
		}
		const handles = [
			this.root?.handle,
			this.members?.handle,
			...this.helpDocs.map((d) => d.handle),
			...this.agendaDocs.map((d) => d.handle),
			...this.mapDocs.map((d) => d.handle)
		].filter((h) => h?.isReady());
		// Right after a change the line must not still say "Bijgewerkt": the person may close the
		// app, or print a poster whose public page reads what the relay has.
		for (const handle of handles) {
			if (this.#watched.has(handle!)) continue;
			this.#watched.add(handle!);
			handle!.on('heads-changed', this.#onHeads);
		}
		// "Bijgewerkt" once every relay this device reaches has everything: the public page and a
		// device that reaches only one of them read what that relay has.
		const behind = open.some((socket) => !this.#onRelay(socket, handles as DocHandle<unknown>[]));
		// Once everything is on the relays, whatever they turned away earlier has gone through after all.
		if (!behind) for (const socket of [this.socket, ...open]) socket.refusal = undefined;
		this.status = behind ? (refusal ?? 'sharing') : 'shared';
	}

	/** Resolves true once every open document is on the relay, false if that takes too long. */
	async whenShared(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			this.#updateStatus();
			if (this.status === 'shared') return true;
			if (Date.now() > deadline) return false;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	/**
	 * automerge-repo writes to IndexedDB a moment after a change; a tab closed in that moment
	 * would lose it if the relay did not have it yet. Start writing now instead.
	 */
	#flush = () => {
		this.repo.flush().catch(() => undefined);
	};

	async close(): Promise<void> {
		removeEventListener('pagehide', this.#flush);
		this.#closed = true;
		this.refusals.stop();
		this.relaySockets.stop();
		clearInterval(this.#timer);
		clearTimeout(this.#statusDue);
		try {
			await this.repo.shutdown();
		} catch {
			// A handle still requesting cannot be flushed; its data is not on this device anyway.
			this.repo.networkSubsystem.disconnect();
		}
	}
}
