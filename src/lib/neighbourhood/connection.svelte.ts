// One open neighbourhood on this device: its root, its members, and every module's documents as
// the root lists them (modules.ts). The repository, its relays and the status line are
// automerge/synced-repo.svelte.ts; each module's documents are declared in its own folder.
import type { DocHandle, UrlHeads } from '@automerge/automerge-repo/slim';
import { FirstDocuments } from '../automerge/first-documents.ts';
import { type Read } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import { ModuleDocuments, type ActionArgs, type DocumentsDeclaration, type Opener } from '../automerge/module-documents.svelte.ts';
import { ensurePeriodDoc as ensureListedDoc } from '../automerge/period-index.ts';
import { ReactiveDoc } from '../automerge/reactive.svelte.ts';
import { SyncedRepo, type Target } from '../automerge/synced-repo.svelte.ts';
import { afterNextPaint } from '../automerge/next-paint.ts';
import { BackgroundDocuments, dedicatedLine, sharedLine } from '../automerge/background-documents.ts';
import type { FromBackground } from '../automerge/background-messages.ts';
import { automergeReady } from '../automerge/wasm.ts';
import { isAccessNotice } from '../access/notice.ts';
import { setAlternatives } from '../access/alternatives.ts';
import { ensureAgendaDoc } from '../agenda/periods.ts';
import type { AgendaDoc } from '../agenda/document.ts';
import { archivable, archivePosts, yearOf } from '../help/archive.ts';
import type { ArchiveDoc, HelpDoc } from '../help/document.ts';
import { ensurePeriodDoc, postingDoc } from '../help/periods.ts';
import { readPosts } from '../help/view.ts';
import { newMapDoc } from '../map/create.ts';
import type { MapDoc } from '../map/document.ts';
import type { MapActions } from '../map/actions.ts';
import type { MembersActions } from '../members/actions.ts';
import type { MembersDoc } from '../members/document.ts';
import type { Member } from '../members/view.ts';
import type { RootDoc } from './document.ts';
import { nextTurn } from '../device/turn.ts';
import { healRoot } from './heal.ts';
import type { MigrationResult } from './migrate.ts';
import { members as membersDeclared, modules } from './modules.ts';
import { addAgendaDoc, addHelpArchive, addHelpPeriod, addMapDoc, migrateRoot, sealHelpPeriod } from './mutations.ts';
import type { RootProblem } from './problems.ts';
import { relaysToReach, relayToFollow } from './relay-list.ts';
import { repairRoot, restoreMembers } from './repair.ts';
import { anyoneMayHeal } from './rules.ts';
import type { RootIndex } from './schema.ts';
import { readNeighbourhood, type RootRead } from './view.ts';

export type { SyncStatus, Target } from '../automerge/synced-repo.svelte.ts';

type Modules = typeof modules;
type DocOf<D> = D extends DocumentsDeclaration<RootIndex, infer Doc, unknown> ? Doc : never;
type ViewOf<D> = D extends DocumentsDeclaration<RootIndex, never, infer View> ? View : never;
type ActionsOf<M extends keyof Modules> = NonNullable<Modules[M]['actions']>;
type Done<F> = F extends (...args: never[]) => infer R ? R : never;
/** Each module's open documents and its view, under the module's name. */
export type OpenModules = { [K in keyof Modules]: ModuleDocuments<RootIndex, DocOf<Modules[K]>, ViewOf<Modules[K]>> };

/**
 * How long archiving waits for the board to read every quarter it lists; a board that does not get
 * there keeps it waiting no longer, and the next change of the root tries again.
 */
const ARCHIVE_WAIT_MS = 60_000;

export class Connection extends SyncedRepo {
	root = $state<ReactiveDoc<RootDoc>>();
	/** What opening did to an older root; a version it could not follow is read as well as possible. */
	migration = $state<MigrationResult>();
	/** Typed, validated views: what pages show. */
	neighbourhood: RootRead | undefined = $derived(
		this.root?.current ? readNeighbourhood(this.root.current) : undefined
	);
	/** The members document the root lists; read in the background where the browser can. */
	#membersUrl = $state<string>();
	/** Everyone who ever took part (read once per change), and those who still do. */
	everyone: Read<Member> | undefined = $derived.by(() => (this.#membersUrl ? this.#members.viewOf(this.#membersUrl) : undefined));
	/** Nobody has the members document the root points at: a peer may have pointed it elsewhere. */
	membersUnavailable: boolean = $derived.by(() => this.#membersUrl !== undefined && this.#members.where(this.#membersUrl) === 'missing');
	names: Map<string, string> = $derived(new Map((this.everyone?.items ?? []).map((m) => [m.id, m.name])));
	/**
	 * The members' list is here: a page's view of the neighbourhood is made anew when this changes,
	 * not with each change of the list (`readCurrent`).
	 */
	membersHere: boolean = $derived(this.everyone !== undefined);
	memberList: Read<Member> | undefined = $derived(
		this.everyone && { items: this.everyone.items.filter((m) => !m.leftAt), skipped: this.everyone.skipped }
	);
	/** The help board, the agenda and the map: their documents as they arrive, and their views. */
	readonly modules: OpenModules;
	readonly #members: ModuleDocuments<RootIndex, MembersDoc, Read<Member>>;
	readonly #first: FirstDocuments;
	/** Where older documents are read: a worker, so opening them stalls no tap. */
	readonly #background: BackgroundDocuments;
	/** The root is read and its modules are not listed yet: their documents are still to come. */
	#listing = false;

	private constructor(target: Target, page: string | undefined) {
		super(target);
		const declared: Record<string, DocumentsDeclaration<RootIndex, unknown, unknown>> = modules;
		const shows = (prefix: string | undefined) => prefix !== undefined && page !== undefined && (page === prefix || page.startsWith(`${prefix}/`));
		this.#first = new FirstDocuments(Object.entries(declared).find(([, declaration]) => shows(declaration.page))?.[0]);
		this.#background = new BackgroundDocuments(
			target,
			// Shared where the browser can (several tabs, one repository); Chrome on Android cannot.
			() =>
				typeof SharedWorker === 'function'
					? sharedLine(new SharedWorker(new URL('./documents.worker.ts', import.meta.url), { type: 'module', name: 'noaber-documents' }))
					: typeof Worker === 'function'
						? dedicatedLine(new Worker(new URL('./documents.worker.ts', import.meta.url), { type: 'module', name: 'noaber-documents' }))
						: undefined,
			(message) => this.#fromBackground(message)
		);
		this.#background.start();
		this.onAccessChange(() => this.#background.erasures());
		this.onMove((relay) => this.#background.relay(relay));
		const opener: Opener = {
			find: (url) => this.find(url),
			create: (initial) => this.repo.create(initial),
			closed: () => this.closed,
			opened: () => this.documentsOpened(),
			coming: (handle) => this.isComing(handle),
			keep: (handle) => this.keep(handle),
			background: this.#background
		};
		const open = Object.entries(declared).map(([name, declaration]) => [name, new ModuleDocuments(name, declaration, opener, this.#first)]);
		this.modules = Object.fromEntries(open) as OpenModules;
		// Names before anything else: the members wait for no module's turn.
		this.#members = new ModuleDocuments('members', membersDeclared.members, opener, new FirstDocuments());
	}

	/**
	 * Opens the neighbourhood and finds its documents, from this device or from the relay. `page`:
	 * the path the app opens on; the module shown there opens its recent documents first.
	 */
	static async open(target: Target, page?: string): Promise<Connection> {
		await automergeReady();
		const connection = new Connection(target, page);
		void connection.#load();
		return connection;
	}

	async #load() {
		const root = await this.find<RootDoc>(this.target.root);
		if (this.closed) return;
		this.root = new ReactiveDoc(root);
		root.on('ephemeral-message', ({ message }) => {
			if (isAccessNotice(message)) this.accessChanged();
		});
		const membersUrl = await this.#whenRootReadable(root);
		if (this.closed || !membersUrl) return;
		this.#listing = true;
		this.relaysChanged();
		await nextTurn();
		if (this.closed) return;
		if (root.isReady()) {
			this.migration = migrateRoot(root);
			await nextTurn();
			if (this.closed) return;
			this.#heal(root);
			await nextTurn();
			if (this.closed) return;
		}
		this.#membersUrl = membersUrl;
		const read = readNeighbourhood(root.doc());
		if (read.ok) await this.#members.load(read.neighbourhood.docs);
		// Names before anything else, as on a weak line what is asked first comes first: the
		// modules' documents are asked for once the members are here (or nobody has them).
		await this.membersRead();
		if (this.closed) return;
		// Another device may start a new quarter at any time: follow the root's index.
		root.on('change', () => void this.#rootChanged(root));
		// Should a module have nothing recent to show, the rest still comes.
		setTimeout(() => this.#first.releaseAll(), 5000);
		await afterNextPaint();
		if (this.closed) return;
		await this.#loadModules(root.doc());
		void this.erasures.check();
	}

	/** Each step a task of its own (see `nextTurn`). */
	async #rootChanged(root: DocHandle<RootDoc>) {
		// A peer's older device may have listed a document in an index this root hides.
		this.#heal(root);
		await nextTurn();
		if (this.closed) return;
		this.relaysChanged();
		await nextTurn();
		if (this.closed) return;
		await this.#loadModules(root.doc());
	}

	async #loadModules(doc: unknown) {
		// Each module counts what it listed and has not opened yet (`pending`) from here on; a root
		// that cannot be read lists nothing to wait for.
		this.#listing = false;
		const read = readNeighbourhood(doc);
		if (!read.ok) return;
		const index = read.neighbourhood.docs;
		// A manager may have pointed the root at the members document it was created with.
		if (index.members) this.#membersUrl = index.members;
		// Each module starts in a task of its own: together, reading what the root lists, choosing
		// what opens first and handing the agenda to the worker were one task of 61 ms in a trace of the
		// cheap phone (bench/member-device.ts --trace).
		const loads: Promise<void>[] = [];
		for (const module of [this.#members, ...Object.values(this.modules)]) {
			loads.push(module.load(index));
			await nextTurn();
			if (this.closed) return;
		}
		await Promise.all(loads);
		void this.#archiveOnceRead();
	}

	#fromBackground(message: FromBackground) {
		const modules: Record<string, ModuleDocuments<RootIndex, unknown, unknown>> = { ...this.modules, members: this.#members };
		switch (message.type) {
			case 'failed':
				this.#backgroundUnshared = 0;
				for (const module of Object.values(modules)) module.backgroundFailed();
				return;
			case 'part':
				if (message.piece) modules[message.module]?.receivedPiece(message.url, message.view, message.piece.index, message.piece.count, message.covers);
				else modules[message.module]?.received(message.url, message.view, message.covers);
				return;
			case 'held':
				modules[message.module]?.held(message.url, message.span);
				return;
			case 'lacking':
				modules[message.module]?.lacking(message.url);
				return;
			case 'coming':
				modules[message.module]?.comingAgain(message.url);
				return;
			case 'unshared':
				this.#backgroundUnshared = message.count;
				this.documentsOpened();
				return;
			case 'refused':
				this.refusals.add(message.entry);
				return;
		}
	}

	/** Documents the background changed that not every relay has yet. */
	#backgroundUnshared = 0;

	protected override unsharedElsewhere(): boolean {
		return this.#backgroundUnshared > 0;
	}

	override async close(): Promise<void> {
		this.#background.close();
		// What still waits (for the members' address, say) finds nothing: its watch goes with the connection.
		for (const finish of [...this.#waiting]) finish();
		await super.close();
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

	/** Points the root back at the members document it was created with, and opens that one. */
	async restoreMembers(): Promise<boolean> {
		const root = this.root?.handle;
		const url = root ? restoreMembers(root) : undefined;
		if (!root || !url) return false;
		await this.#loadModules(root.doc());
		return true;
	}

	/**
	 * One of the members' actions (`members/actions.ts`) on the members document, where it is; the
	 * result once the change is stored on this device.
	 */
	async membersAct<K extends keyof MembersActions>(action: K, ...args: ActionArgs<MembersActions[K]>): Promise<ReturnType<MembersActions[K]>> {
		// The one listed now: a manager may have pointed the root back at the one it was created with.
		const url = await this.#until(() => (this.#membersUrl ? { found: this.#membersUrl } : undefined));
		if (!url) throw new Error('The members document is not known');
		return (await this.#members.act(url, action, args)) as ReturnType<MembersActions[K]>;
	}

	/** The members as read, once they are (undefined when nobody has the document). */
	membersRead(): Promise<Read<Member> | undefined> {
		return this.#until(() => (this.everyone ? { found: this.everyone } : this.membersUnavailable ? { found: undefined } : undefined));
	}

	/** A member's profile once it is read, waiting at most `waitMs` (a linked device may open before its member's profile arrived). */
	async memberArriving(memberId: string, waitMs: number): Promise<Member | undefined> {
		const found = await this.#until(() => {
			const member = this.everyone?.items.find((m) => m.id === memberId);
			return member ? { found: member } : undefined;
		}, waitMs);
		return found;
	}

	/** What `#until` waits for now, each ended with nothing when the connection closes. */
	#waiting = new Set<() => void>();

	/**
	 * Resolves with what `check` finds once it finds something, reading again on every change; or
	 * undefined after `waitMs`, or once the connection closed.
	 */
	#until<T>(check: () => { found: T } | undefined, waitMs?: number): Promise<T | undefined> {
		return new Promise((resolve) => {
			if (this.closed) return resolve(undefined);
			let done = false;
			let timer: ReturnType<typeof setTimeout> | undefined;
			const nothing = () => finish(undefined);
			const waiting = this.#waiting;
			const stop = $effect.root(() => {
				$effect(() => {
					const seen = check();
					if (seen) finish(seen.found);
				});
			});
			function finish(value: T | undefined) {
				if (done) return;
				done = true;
				waiting.delete(nothing);
				clearTimeout(timer);
				// Not from inside the effect that is running.
				queueMicrotask(stop);
				resolve(value);
			}
			waiting.add(nothing);
			if (waitMs !== undefined) timer = setTimeout(nothing, waitMs);
		});
	}

	/** The root's index as it is now; a change made before the root is read has nowhere to go. */
	#index(): { root: DocHandle<RootDoc>; index: () => RootIndex | undefined } {
		const root = this.root?.handle;
		if (!root || !readNeighbourhood(root.doc()).ok) throw new Error('The neighbourhood is not loaded yet');
		return {
			root,
			index: () => {
				const read = readNeighbourhood(root.doc());
				return read.ok ? read.neighbourhood.docs : undefined;
			}
		};
	}

	/** A new document and the root that lists it, stored on this device. */
	async #storedListed(root: DocHandle<RootDoc>, handle: DocHandle<unknown>): Promise<void> {
		// A device that cannot store says so in the status line; the post still reaches the relay.
		await Promise.all([this.keep(root), this.keep(handle)]).catch(() => undefined);
	}

	/** The map document to write to: the listed one, or (for an older neighbourhood) a new one. */
	async #mapDoc(): Promise<DocHandle<MapDoc>> {
		const { root, index } = this.#index();
		const map = this.modules.map;
		const { handle } = await ensureListedDoc<MapDoc>(
			{
				entries: () => index()?.map ?? [],
				open: (url) => map.open(url),
				create: (initial) => map.create(initial),
				list: (_period, url) => addMapDoc(root, url),
				stored: (handle) => this.#storedListed(root, handle)
			},
			'map',
			newMapDoc
		);
		return handle;
	}

	/**
	 * One of the social map's actions (`map/actions.ts`) on its document, where that is: in the
	 * background it runs there, and resolves once the page has what it did. A neighbourhood from
	 * before the map gets its document first.
	 */
	async mapAct<K extends keyof MapActions>(action: K, ...args: ActionArgs<MapActions[K]>): Promise<ReturnType<MapActions[K]>> {
		const listed = this.#index().index()?.map[0]?.url ?? (await this.#mapDoc()).url;
		return (await this.modules.map.act(listed, action, args)) as ReturnType<MapActions[K]>;
	}

	/**
	 * The map's version now, its document opened on the page: a form that saves as of it merges
	 * with what others changed meanwhile.
	 */
	async mapBase(): Promise<UrlHeads> {
		return (await this.#mapDoc()).heads();
	}

	/** The agenda document for a year or the series, started (and listed in the root) when missing. */
	async agendaDoc(period: string): Promise<DocHandle<AgendaDoc>> {
		const { root, index } = this.#index();
		const agenda = this.modules.agenda;
		return ensureAgendaDoc(
			{
				entries: () => index()?.agenda ?? [],
				open: (url) => agenda.open(url),
				create: (initial) => agenda.create(initial),
				list: (p, url) => addAgendaDoc(root, p, url),
				stored: (handle) => this.#storedListed(root, handle)
			},
			period
		);
	}

	/**
	 * The handle of the agenda document that holds an event, if open on the page. One read in the
	 * background is opened now: a page reading this shows it once it is.
	 */
	agendaHandle(documentUrl: string): DocHandle<AgendaDoc> | undefined {
		return this.modules.agenda.handleOrOpen(documentUrl);
	}

	/**
	 * One of a module's actions (its `actions.ts`) on one of its documents, where that document is:
	 * in the background it runs there, and resolves once the page has what it did.
	 */
	act<M extends keyof Modules, K extends keyof ActionsOf<M> & string>(module: M, documentUrl: string, action: K, ...args: ActionArgs<ActionsOf<M>[K]>): Promise<Done<ActionsOf<M>[K]>> {
		return this.modules[module].act(documentUrl, action, args) as Promise<Done<ActionsOf<M>[K]>>;
	}

	/** The document to post in for this period, started (and listed in the root) when missing. */
	async #periodDoc(period: string): Promise<DocHandle<HelpDoc>> {
		const { root, index } = this.#index();
		const help = this.modules.help;
		const { handle } = await ensurePeriodDoc(
			{
				entries: () => index()?.help ?? [],
				open: (url) => help.open(url),
				// The board lists the newest quarter first.
				create: (initial) => help.create(initial, 'first'),
				list: (p, url) => addHelpPeriod(root, p, url),
				stored: (handle) => this.#storedListed(root, handle)
			},
			period
		);
		return handle;
	}

	/**
	 * The address of the document a new post of this period goes in: the listed one, wherever it is
	 * read; else a new one, listed in the root.
	 */
	async helpDocFor(period: string): Promise<string> {
		const listed = postingDoc(this.#index().index()?.help ?? [], period);
		return listed ? listed.url : (await this.#periodDoc(period)).url;
	}

	/**
	 * The handle of the document that holds a post, if open on the page. One read in the background
	 * is opened now (a form saves as of the version it started from): a page reading this shows it
	 * once it is.
	 */
	helpHandle(documentUrl: string): DocHandle<HelpDoc> | undefined {
		return this.modules.help.handleOrOpen(documentUrl);
	}

	/** Opens a sealed quarter to show the full history of an archived post. */
	async openSealed(url: string): Promise<void> {
		await this.modules.help.openMore(url);
	}

	#archiving = false;

	/** Archives long-closed quarters once the board read every quarter it lists (or gave up waiting). */
	async #archiveOnceRead() {
		const read = await this.#until(() => (this.modules.help.pending === 0 ? { found: true } : undefined), ARCHIVE_WAIT_MS);
		if (!read || this.closed) return;
		try {
			await this.#archiveOld();
		} catch {
			// An archive this device cannot open now (offline, say): the next start tries again.
		}
	}

	/**
	 * Moves long-closed quarters into the year's archive, so the next start loads less. Which ones is
	 * read from the board's views, wherever they were read; only a quarter to archive, and its year's
	 * archive, open on the page.
	 */
	async #archiveOld() {
		const root = this.root?.handle;
		// As the root lists them now: another device may have archived a quarter while the board loaded.
		const read = root && readNeighbourhood(root.doc());
		if (this.#archiving || !root || !read?.ok) return;
		const index = read.neighbourhood.docs;
		this.#archiving = true;
		const help = this.modules.help;
		let archives = index.helpArchive;
		const sealed = new Set(index.helpSealed);
		try {
			const now = new Date();
			for (const { url } of index.help) {
				if (sealed.has(url)) continue;
				const shown = help.viewOf(url)?.items ?? [];
				const period = shown[0]?.period ?? '';
				if (shown.length === 0 || !archivable(period, shown, now)) continue;
				const quarter = await help.open(url);
				// As it is now on this device, not as it was last sent to the page.
				const posts = readPosts([{ url, doc: quarter.doc() }]).items;
				if (posts.length === 0 || !archivable(period, posts, now) || this.closed) continue;
				const year = yearOf(period);
				const listed = archives.find((a) => a.year === year);
				let archive = listed ? ((await help.open(listed.url)) as unknown as DocHandle<ArchiveDoc>) : undefined;
				if (!archive) {
					// An archive is one of the board's documents: the board reads both kinds.
					archive = help.create({ year: imm(year), posts: {} } as unknown as HelpDoc) as unknown as DocHandle<ArchiveDoc>;
					addHelpArchive(root, year, archive.url);
					archives = [...archives, { year, url: archive.url }];
				}
				archivePosts(archive, posts);
				sealHelpPeriod(root, url, archive.url);
			}
		} finally {
			this.#archiving = false;
		}
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
			// Read in a task after the one the root arrived in (see `nextTurn`); several changes in a
			// row are read once, as the last of them.
			let latest: RootDoc | undefined;
			const onChange = ({ doc }: { doc: RootDoc }) => {
				const waiting = latest !== undefined;
				latest = doc;
				if (waiting) return;
				void nextTurn().then(() => {
					const doc = latest!;
					latest = undefined;
					tryRead(doc);
				});
			};
			root.on('change', onChange);
			if (root.isReady()) tryRead(root.doc());
		});
	}

	/** Loaded from this device or the relay, or still waiting for either. */
	get loaded(): boolean {
		return this.root?.current !== undefined && this.everyone !== undefined;
	}

	protected rootHandle(): DocHandle<unknown> | undefined {
		return this.root?.handle as DocHandle<unknown> | undefined;
	}

	/** Documents the root lists that this device has not opened yet, older years among them. */
	protected override stillComing(): boolean {
		return super.stillComing() || this.#listing || [this.#members, ...Object.values(this.modules)].some((module) => module.pending > 0);
	}

	protected openHandles(): DocHandle<unknown>[] {
		const own = this.root?.handle ? [this.root.handle as DocHandle<unknown>] : [];
		return [...own, ...[this.#members, ...Object.values(this.modules)].flatMap((module) => module.handles())];
	}

	/**
	 * Keeps a connection to every relay the root lists, and follows the neighbourhood when a
	 * manager retired this device's own relay: its home becomes this device's relay, with the same
	 * credential and everything on this device, and the others hear of it (`onMove`).
	 */
	protected relaysChanged() {
		const root = this.root?.handle;
		if (this.closed || !root?.isReady()) return;
		const read = readNeighbourhood(root.doc());
		if (!read.ok) return;
		const listed = read.neighbourhood.relays;
		const own = this.relaySockets.primaryRelay;
		const home = relayToFollow(own, listed, (relay) => this.relaySockets.socketOf(relay)?.state === 'open');
		if (home) {
			this.relaySockets.setPrimary(home);
			this.moved(home);
		}
		const reach = relaysToReach(this.relaySockets.primaryRelay, listed);
		this.relaySockets.want(reach);
		// The documents read in the background are changed there too (a new post, a sign-up): they
		// reach every relay only if the background does.
		this.#background.relays(reach);
		setAlternatives(this.relaySockets.primaryRelay, reach.slice(1));
	}
}
