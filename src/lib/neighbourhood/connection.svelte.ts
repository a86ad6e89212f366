// One open neighbourhood on this device: its root, its members, and every module's documents as
// the root lists them (modules.ts). The repository, its relays and the status line are
// automerge/synced-repo.svelte.ts; each module's documents are declared in its own folder.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { FirstDocuments } from '../automerge/first-documents.ts';
import { type Read } from '../automerge/fields.ts';
import { ModuleDocuments, type ActionArgs, type DocumentsDeclaration, type ModuleActions, type NewDocuments, type Opener } from '../automerge/module-documents.svelte.ts';
import { ensurePeriodDoc, postingDoc } from '../automerge/period-index.ts';
import { ReactiveDoc } from '../automerge/reactive.svelte.ts';
import { SyncedRepo, type Target } from '../automerge/synced-repo.svelte.ts';
import { afterNextPaint } from '../automerge/next-paint.ts';
import { BackgroundDocuments, dedicatedLine, sharedLine } from '../automerge/background-documents.ts';
import type { FromBackground } from '../automerge/background-messages.ts';
import { automergeReady } from '../automerge/wasm.ts';
import { isAccessNotice } from '../access/notice.ts';
import { setAlternatives } from '../access/alternatives.ts';
import type { MembersActions } from '../members/actions.ts';
import type { MembersDoc } from '../members/document.ts';
import type { Member } from '../members/view.ts';
import type { RootDoc } from './document.ts';
import { nextTurn } from '../device/turn.ts';
import { healRoot } from './heal.ts';
import type { MigrationResult } from './migrate.ts';
import { members as membersDeclared, modules } from './modules.ts';
import { listDocument, migrateRoot } from './mutations.ts';
import type { RootProblem } from './problems.ts';
import { relaysToReach, relayToFollow } from './relay-list.ts';
import { repairRoot, restoreMembers } from './repair.ts';
import { anyoneMayHeal } from './rules.ts';
import type { RootIndex } from './schema.ts';
import { readNeighbourhood, type RootRead } from './view.ts';

export type { SyncStatus, Target } from '../automerge/synced-repo.svelte.ts';

type Modules = typeof modules;
type DocOf<D> = D extends DocumentsDeclaration<RootIndex, infer Doc, infer _View, infer _Actions> ? Doc : never;
type ViewOf<D> = D extends DocumentsDeclaration<RootIndex, infer _Doc, infer View, infer _Actions> ? View : never;
type ActionsOf<M extends keyof Modules> = NonNullable<Modules[M]['actions']>;
type Done<F> = F extends (...args: never[]) => infer R ? R : never;
/** Each module's open documents and its view, under the module's name. */
export type OpenModules = { [K in keyof Modules]: ModuleDocuments<RootIndex, DocOf<Modules[K]>, ViewOf<Modules[K]>> };

/**
 * How long a module's housekeeping waits for it to read every document listed (the board: every
 * quarter, before archiving); one that does not get there keeps it waiting no longer.
 */
const TIDY_WAIT_MS = 60_000;

/** The documents the root lists as it is now; none while it cannot be read. */
function indexOf(root: DocHandle<RootDoc>): RootIndex | undefined {
	const read = readNeighbourhood(root.doc());
	return read.ok ? read.neighbourhood.docs : undefined;
}

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
			reaching: () => this.reaching,
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
		const root = this.root?.handle;
		if (root) void this.#tidyOnceRead(root);
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
				modules[message.module]?.lacking(message.url, message.offline);
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
		if (!root || !indexOf(root)) throw new Error('The neighbourhood is not loaded yet');
		return { root, index: () => indexOf(root) };
	}

	/**
	 * The address of the document a module's new item of this period goes in (as the module
	 * declares, `adds`): the listed one, wherever it is read; else a new one, listed in the root.
	 */
	async documentFor<M extends keyof Modules>(module: M, period: string): Promise<string> {
		const adds = this.#adds(module);
		const listed = postingDoc(this.#index().index()?.[adds.listedIn] ?? [], period);
		return listed ? listed.url : (await this.openFor(module, period)).url;
	}

	/**
	 * That document opened on the page, started (and listed in the root) when missing: for a change
	 * made here, or a form that saves as of the version it started from.
	 */
	async openFor<M extends keyof Modules>(module: M, period: string): Promise<DocHandle<DocOf<Modules[M]>>> {
		const adds = this.#adds(module);
		const { root, index } = this.#index();
		const documents = this.modules[module] as ModuleDocuments<RootIndex, DocOf<Modules[M]>, unknown>;
		const { handle } = await ensurePeriodDoc<DocOf<Modules[M]>>(
			{
				entries: () => index()?.[adds.listedIn] ?? [],
				open: (url) => documents.open(url),
				create: (initial) => documents.create(initial, adds.place),
				list: (p, url) => listDocument(root, adds.listedIn, p, url),
				// A device that cannot store says so in the status line; the item still reaches the relay.
				stored: (handle) => Promise.all([this.keep(root), this.keep(handle)]).then(() => undefined, () => undefined)
			},
			period,
			adds.fresh
		);
		return handle;
	}

	/**
	 * One of a module's actions on the document its new items of this period go in (`documentFor`):
	 * the map's one document, say.
	 */
	async actFor<M extends keyof Modules, K extends keyof ActionsOf<M> & string>(module: M, period: string, action: K, ...args: ActionArgs<ActionsOf<M>[K]>): Promise<Done<ActionsOf<M>[K]>> {
		return this.act(module, await this.documentFor(module, period), action, ...args);
	}

	#adds<M extends keyof Modules>(module: M): NewDocuments<RootIndex, DocOf<Modules[M]>> {
		const adds = modules[module].adds as NewDocuments<RootIndex, DocOf<Modules[M]>> | undefined;
		if (!adds) throw new Error(`The ${module} module adds no documents`);
		return adds;
	}

	/**
	 * The handle of the document that holds an item, if open on the page. One read in the background
	 * is opened now (a form saves as of the version it started from, an event's page signs up): a page
	 * reading this shows it once it is.
	 */
	handleOf<M extends keyof Modules>(module: M, documentUrl: string): DocHandle<DocOf<Modules[M]>> | undefined {
		return (this.modules[module] as ModuleDocuments<RootIndex, DocOf<Modules[M]>, unknown>).handleOrOpen(documentUrl);
	}

	/**
	 * One of a module's actions (its `actions.ts`) on one of its documents, where that document is:
	 * in the background it runs there, and resolves once the page has what it did.
	 */
	act<M extends keyof Modules, K extends keyof ActionsOf<M> & string>(module: M, documentUrl: string, action: K, ...args: ActionArgs<ActionsOf<M>[K]>): Promise<Done<ActionsOf<M>[K]>> {
		return this.modules[module].act(documentUrl, action, args) as Promise<Done<ActionsOf<M>[K]>>;
	}

	/** Opens a sealed quarter to show the full history of an archived post. */
	async openSealed(url: string): Promise<void> {
		await this.modules.help.openMore(url);
	}

	/** Modules tidying now: one run at a time each. */
	#tidying = new Set<string>();

	/**
	 * Each module's housekeeping (its declared `tidy`), once it read every document the root lists,
	 * or gave up waiting; the next change of the root tries again.
	 */
	async #tidyOnceRead(root: DocHandle<RootDoc>) {
		const declared: Record<string, DocumentsDeclaration<RootIndex, unknown, unknown, ModuleActions, RootDoc>> = modules;
		const open: Record<string, ModuleDocuments<RootIndex, unknown, unknown>> = this.modules;
		await Promise.all(
			Object.entries(declared).map(async ([name, { tidy }]) => {
				const documents = open[name];
				if (!tidy || !documents) return;
				const read = await this.#until(() => (documents.pending === 0 ? { found: true } : undefined), TIDY_WAIT_MS);
				if (!read || this.closed || this.#tidying.has(name)) return;
				this.#tidying.add(name);
				try {
					await tidy({
						// As the root lists them now: another device may have tidied while this one read.
						index: () => indexOf(root),
						root,
						viewOf: (url) => documents.viewOf(url),
						open: (url) => documents.open(url),
						create: (initial) => documents.create(initial),
						closed: () => this.closed
					});
				} catch {
					// A document this device cannot open now (offline, say): the next start tries again.
				} finally {
					this.#tidying.delete(name);
				}
			})
		);
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

	/**
	 * Documents the root lists that this device has not opened yet, older years among them; and those
	 * the background could not ask a relay for while it reached none (the page may be back first).
	 */
	protected override stillComing(): boolean {
		return super.stillComing() || this.#listing || [this.#members, ...Object.values(this.modules)].some((module) => module.arriving > 0 || module.unasked);
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
