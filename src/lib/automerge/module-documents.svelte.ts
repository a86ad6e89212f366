// A module's documents on this device: which the root lists, in which order they open, and the
// view pages read. Each module declares this (help/documents.ts, agenda/documents.ts, …); this
// file only opens what a declaration names, so it knows no module and a new module needs no edit
// here.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { ReactiveDoc } from './reactive.svelte.ts';
import type { FirstDocuments } from './first-documents.ts';
import type { PeriodEntry } from './period-index.ts';
import { contains, overlaps, type Span } from './span.ts';

export type { Span };

/** A document as the root lists it; `period` when its module splits by period. */
export interface Listed {
	url: string;
	period?: string;
}

/**
 * What a module says about the documents it owns. `Index` is what the root lists (its `docs`);
 * `Actions`, its actions by name, as pages call them.
 */
export interface DocumentsDeclaration<Index, Doc, View, Actions extends ModuleActions = ModuleActions, Root = unknown> {
	/** Every document of this module that the root lists and the board should show. */
	listed(index: Index): Listed[];
	/**
	 * Which of the not yet opened documents open first, so a page shows what matters now; the
	 * rest opens once every module's first ones are open. Without it, everything opens at once.
	 */
	order?(fresh: Listed[], now: Date): { first: Listed[]; later: Listed[] };
	/** Where the app shows this module: opened there, its recent documents come before others'. */
	page?: string;
	/** The typed, validated view pages show. */
	read(docs: { url: string; doc: Doc }[]): View;
	/**
	 * Views of separate documents as one. A module that has it gets its later documents read away
	 * from the page (`Background`): opening an older year is one long task the page would stall on.
	 * Combining what was combined with more views is the same as combining them all: the page
	 * combines each view that arrives into what it showed (the agenda: one year into ten).
	 */
	combine?(views: View[]): View;
	/**
	 * A large view as smaller views that `combine` makes whole again. The background sends each in
	 * a message of its own, so the page takes an older year in several short tasks instead of one
	 * long one (bench/member-device.ts: a year's view is about 1 MB; on the cheap phone taking it
	 * in and showing it was one task of 60 to 90 ms).
	 */
	pieces?(view: View): View[];
	/**
	 * The time a document's view covers; none when it holds nothing. A module that has it (and
	 * `combine`) leaves its later documents' views in the background until a page needs that time
	 * (`ModuleDocuments.need`): a page that shows this week does not take in ten years (on the
	 * cheap phone, bench/member-device.ts, each older year was tasks of 50 to 150 ms on the page).
	 */
	span?(view: View): Span | undefined;
	/**
	 * Which later documents stay in the background until a page needs the time they cover (with
	 * `span`); every later one when not said. The board keeps its archives there, which hold only
	 * posts closed long ago, while its older quarters, where a post may still be open, come.
	 */
	held?(entry: Listed): boolean;
	/**
	 * What pages show first (the agenda: this month, this week and the last week's news, on). The
	 * documents that open first come to the page with only the part of their view that covers it
	 * (`within`), and whole once a page needs more of one: on the cheap phone the page took in all of
	 * this year's agenda (1.3 MB read, in 7 pieces) to show this week (bench/member-device.ts).
	 */
	firstShown?(now: Date): Span;
	/** The part of a view that covers a span of time, as its module would read it. */
	within?(view: View, span: Span): View;
	/**
	 * The module's domain actions, by name. A module that has them (and `combine`) keeps all its
	 * documents away from the page, the first ones too: pages send these actions to where the
	 * document is (`ModuleDocuments.act`), so a tap never waits for a year to open on the page.
	 */
	actions?: Actions;
	/** Where the module's new items go (a module without it adds none through the connection). */
	adds?: NewDocuments<Index, Doc>;
	/**
	 * Keeps the module's documents small, once every one listed was read (or that took too long)
	 * on a device that opened the neighbourhood: the board moves long-closed quarters into their
	 * year's archive, so the next start loads less. Runs again after the root changed.
	 */
	tidy?(documents: Tidying<Index, Doc, View, Root>): Promise<void>;
}

/** What a module's `tidy` works with: its documents, as read and to change, and the root. */
export interface Tidying<Index, Doc, View, Root> {
	/** The root's index as it is now: another device may have tidied while this one read. */
	index(): Index | undefined;
	root: DocHandle<Root>;
	viewOf(url: string): View | undefined;
	open(url: string): DocHandle<Doc> | Promise<DocHandle<Doc>>;
	create(initial: Doc): DocHandle<Doc>;
	closed(): boolean;
}

/** The root's lists of documents by period (`docs.help`, …): the keys of its index that hold one. */
export type PeriodLists<Index> = { [K in keyof Index]-?: Index[K] extends PeriodEntry[] ? K : never }[keyof Index];

/**
 * How a module's documents grow: the root lists them by period (the board: quarters; the agenda:
 * years and its series; the map: 'map'), and a new item of a period goes into the one every device
 * picks for it (`postingDoc`), or into a new one, listed there.
 */
export interface NewDocuments<Index, Doc> {
	/** The root's list this module's documents are in. */
	listedIn: PeriodLists<Index>;
	/** A new document for a period; throws for what is not one of this module's periods. */
	fresh(period: string): Doc;
	/** Where a new document goes among the open ones: the board shows the newest quarter first. */
	place?: 'first' | 'last';
}

/** Domain actions by name: each changes the document it is given and may say what it did. */
export type ModuleActions = Record<string, (handle: DocHandle<never>, ...args: never[]) => unknown>;

/** An action's arguments after the document it acts on. */
export type ActionArgs<F> = F extends (handle: never, ...args: infer A) => unknown ? A : never;

/**
 * Reads documents away from the page, in a worker with its own repository: each document's view
 * comes back to `ModuleDocuments.received`, again after every change. False when it cannot.
 */
export interface Background {
	/** `hold`: each document's view stays there (`ModuleDocuments.held`) until `show` asks for it. */
	read(module: string, urls: string[], hold?: boolean, within?: Span): boolean;
	/** Held documents, and documents sent in part (`within`), to the page whole. */
	show(module: string, urls: string[]): void;
	/** Runs an action where the document is read; undefined when there is no background. */
	act(module: string, url: string, action: string, args: unknown[]): Promise<unknown> | undefined;
}

/** How a module's documents reach the repository: find, create, and whether it was closed. */
export interface Opener {
	find<T>(url: string): Promise<DocHandle<T>>;
	create<T>(initial: T): DocHandle<T>;
	closed(): boolean;
	/** Documents were added: the status line looks again, as a new one may not be stored yet. */
	opened(): void;
	/**
	 * Whether a document not here yet is still on its way (a relay may still send it, also after the
	 * line dropped), rather than missing. Reactive: a page showing "wordt geopend" reads it.
	 */
	coming(handle: DocHandle<unknown>): boolean;
	/** Whether the page reaches a relay now. Reactive. */
	reaching(): boolean;
	/** Resolves once the document's latest change is stored on this device. */
	keep(handle: DocHandle<unknown>): Promise<void>;
	/** Where later documents are read, if anywhere but on the page. */
	background?: Background;
}

export class ModuleDocuments<Index, Doc, View> {
	readonly name: string;
	readonly #declaration: DocumentsDeclaration<Index, Doc, View>;
	readonly #opener: Opener;
	readonly #first: FirstDocuments;
	/** This module's documents, as they arrive. */
	docs = $state<ReactiveDoc<Doc>[]>([]);
	/** Listed documents not open yet (older ones open after the first page shows). */
	pending = $state(0);
	/**
	 * Listed documents on their way to the background to be kept there (`held`): not counted in
	 * `pending`, as no page waits for them unless it asks (the board's archives, while it shows open
	 * posts); the status line does wait, so that they are on the device offline. Raw: replaced whole.
	 */
	#toHold = $state.raw(new Set<string>());
	/** The documents that open first, once their turn came: on the page or in the background. */
	#recent = $state<string[]>();
	/**
	 * Documents the background could not find (yet), each with whether it reached no relay to ask
	 * (offline); raw: replaced whole.
	 */
	#lacking = $state.raw(new Map<string, boolean>());
	/** Where each of those is: here, on its way, or missing. */
	#recentAt: Array<'here' | 'coming' | 'missing'> | undefined = $derived(this.#recent?.map((url) => this.where(url)));
	/**
	 * The documents that open first are here, or no relay has them: what a page shows now is there
	 * (older ones may follow). Not before: an empty week meanwhile would read "niets in de agenda".
	 */
	recentOpen: boolean = $derived(this.#recentAt !== undefined && !this.#recentAt.includes('coming'));
	/**
	 * One of the documents that open first is not on this device and not on its way (offline, or no
	 * relay has it): a page says so, rather than that there is nothing.
	 */
	recentMissing: boolean = $derived(this.#recentAt?.includes('missing') ?? false);
	/**
	 * Documents read in the background whose views stay there until a page needs the time they
	 * cover (`need`), by address; raw: replaced whole.
	 */
	#held = $state.raw(new Map<string, Span | undefined>());
	/**
	 * Documents whose view on the page holds only what pages show first (`firstShown`), with the
	 * time each whole covers, by address; raw: replaced whole.
	 */
	#cut = $state.raw(new Map<string, Span>());
	/** What the first documents brought only the part of; bookkeeping only. */
	#firstShown: Span | undefined;
	/** Views of documents read in the background, by address; raw: plain data, replaced whole. */
	#parts = $state.raw<Record<string, View>>({});
	view: View = $derived.by(() => {
		const here = this.docs.flatMap((d) => (d.current ? [{ url: d.handle.url, doc: d.current }] : []));
		const own = this.#declaration.read(here);
		const combine = this.#declaration.combine;
		// A document opened on the page after all (to change it) is read from there.
		const onPage = new Set<string>(here.map(({ url }) => url));
		const parts = Object.entries(this.#parts).flatMap(([url, part]) => (onPage.has(url) ? [] : [part]));
		if (!combine || parts.length === 0) return own;
		// The page's own documents are the same (a change makes a new one), and views only came in.
		const last = this.#combined;
		const docs = here.map(({ doc }) => doc);
		const grew =
			last !== undefined &&
			same(last.here, docs) &&
			last.parts.length <= parts.length &&
			last.parts.every((part, i) => part === parts[i]);
		const view = !grew ? combine([own, ...parts]) : last.parts.length === parts.length ? last.view : combine([last.view, ...parts.slice(last.parts.length)]);
		this.#combined = { here: docs, parts, view };
		return view;
	});
	/** What `view` combined last, so that a view that arrives is combined into it; bookkeeping only. */
	#combined: { here: Doc[]; parts: View[]; view: View } | undefined;
	/**
	 * Where a listed document is: read (on the page or in the background), on its way, or not on
	 * this device and on no relay reached now. Reactive.
	 */
	where(url: string): 'here' | 'coming' | 'missing' {
		const onPage = this.docs.find((d) => d.handle.url === url);
		if (onPage) return onPage.current !== undefined ? 'here' : this.#opener.coming(onPage.handle as DocHandle<unknown>) ? 'coming' : 'missing';
		if (url in this.#parts || this.#held.has(url)) return 'here';
		const lacking = this.#lacking.get(url);
		// The background reached no relay to ask: while the page reaches one, so will it, and ask again.
		return lacking === undefined || (lacking && this.#opener.reaching()) ? 'coming' : 'missing';
	}

	/** How many documents the background keeps whose views no page asked for yet. Reactive. */
	get holding(): number {
		return this.#held.size;
	}

	/**
	 * Documents on their way to the page (`pending`) and, once a page asked for every one (`need()`),
	 * those the background holds or is still to hold: the asking is carried out a moment later, and
	 * a page that waits for everything must not take that moment for the end. Reactive.
	 */
	get outstanding(): number {
		return this.pending + (this.#needsAll ? this.#held.size + this.#toHold.size : 0);
	}

	/**
	 * Documents on their way to this device's page or background: the status line waits for them,
	 * and a page that shows some time waits for them too, as one may cover it. Reactive.
	 */
	get arriving(): number {
		return this.pending + this.#toHold.size;
	}

	/**
	 * The view holds every listed document (those no relay has now left out): the first ones are
	 * read, none is on its way and none is kept in the background. A page that must see every one
	 * (a file of the whole agenda, an import that skips what is there) asks `need()` and waits for
	 * this. Reactive.
	 */
	get whole(): boolean {
		return this.recentOpen && this.pending === 0 && this.#toHold.size === 0 && this.#held.size === 0 && this.#cut.size === 0;
	}

	/**
	 * The view of one document, wherever it was read; none until it is. Reactive. For a document the
	 * worker sent in part (`firstShown`) this is the part until the page asked for the whole.
	 */
	viewOf(url: string): View | undefined {
		const onPage = this.docs.find((d) => d.handle.url === url)?.current;
		if (onPage !== undefined) return this.#declaration.read([{ url, doc: onPage }]);
		return this.#parts[url];
	}

	// Bookkeeping only; nothing renders from it.
	#requested = new Set<string>();
	/** Documents handed to the background that have not reported yet. */
	#awaited = new Set<string>();
	#started = false;

	constructor(name: string, declaration: DocumentsDeclaration<Index, Doc, View>, opener: Opener, first: FirstDocuments) {
		this.name = name;
		this.#declaration = declaration;
		this.#opener = opener;
		this.#first = first;
		if (declaration.order) first.wait(name);
	}

	/**
	 * Opens what the root lists and this device has not opened yet. It runs again on every change
	 * of the root; only a module's first run tells `first` it is done: a later run with nothing
	 * new must not stand in for a first one that is still loading.
	 */
	async load(index: Index, now = new Date()): Promise<void> {
		const firstRun = !this.#started;
		this.#started = true;
		const fresh = this.#declaration.listed(index).filter(({ url }) => !this.#requested.has(url));
		for (const { url } of fresh) this.#requested.add(url);
		this.pending += fresh.length;
		const order = this.#declaration.order;
		const { first, later } = order ? order(fresh, now) : { first: fresh, later: [] };
		if (firstRun) {
			await this.#first.turn(this.name);
			if (this.#declaration.within) this.#firstShown = this.#declaration.firstShown?.(now);
		}
		// A page that shows more already (a search, last month opened straight from a link) gets them whole.
		const shownFirst = this.#firstShown;
		const within = shownFirst && !this.#needsAll && this.#needed.every((n) => contains(shownFirst, n)) ? shownFirst : undefined;
		const inBackground = this.#declaration.actions !== undefined && this.#toBackground(first, false, within);
		if (!inBackground) await this.#open(first);
		if (firstRun) {
			this.#recent = first.map(({ url }) => url);
			this.#first.done(this.name);
		}
		if (later.length === 0) return;
		await this.#first.ready;
		// The background reads one thing at a time: older years wait until this week shows.
		if (inBackground) await this.#reportedAll(first);
		if (this.#opener.closed()) return;
		const { span, held } = this.#declaration;
		const kept = (entry: Listed) => span !== undefined && (held?.(entry) ?? true);
		// What pages show first; those kept in the background after.
		for (const hold of [false, true]) {
			const batch = later.filter((entry) => kept(entry) === hold);
			if (batch.length > 0 && !this.#toBackground(batch, hold)) await this.#open(batch);
		}
	}

	/**
	 * Hands documents to the background, if this module combines views and there is one. `hold`:
	 * their views stay there until a page needs them; `within`: only what covers this comes, until
	 * a page needs more.
	 */
	#toBackground(batch: Listed[], hold: boolean, within?: Span): boolean {
		if (batch.length === 0 || !this.#declaration.combine) return false;
		if (!this.#opener.background?.read(this.name, batch.map(({ url }) => url), hold, within)) return false;
		for (const { url } of batch) this.#awaited.add(url);
		if (hold) {
			this.pending -= batch.length;
			this.#toHold = new Set([...this.#toHold, ...batch.map(({ url }) => url)]);
		}
		return true;
	}

	/** Resolves once the background reported on each of these documents (or stopped). */
	#reportedAll(batch: Listed[]): Promise<void> {
		return new Promise((resolve) => {
			const check = () => {
				if (batch.every(({ url }) => !this.#awaited.has(url))) {
					this.#whenReported.delete(check);
					resolve();
				}
			};
			this.#whenReported.add(check);
			check();
		});
	}
	#whenReported = new Set<() => void>();

	/**
	 * A document read in the background: its view, first or after a change. `covers`: the view
	 * holds only what pages show first, of a document that covers this time.
	 */
	received(url: string, part: View, covers?: Span): void {
		this.#parts = { ...this.#parts, [url]: part };
		if (covers) {
			const was = this.#cut.get(url);
			if (was?.from !== covers.from || was.to !== covers.to) this.#cut = new Map(this.#cut).set(url, covers);
			// Sent before the background heard that the page asked for the whole, which is on its way.
			if (this.#wholeAsked.has(url)) return;
			// A page asked for more of it while this part was on its way.
			if (this.#beyondFirst(covers)) queueMicrotask(() => this.#showWhole([url]));
		} else {
			this.#wholeAsked.delete(url);
			if (this.#cut.has(url)) this.#cut = without(this.#cut, [url]);
		}
		if (this.#held.has(url)) this.#held = without(this.#held, [url]);
		if (this.#lacking.has(url)) this.#lacking = without(this.#lacking, [url]);
		this.#reported(url);
	}

	/**
	 * One piece of a document's view read in the background (`pieces`): the view is whole, and
	 * shown, once its last piece is here. The background posts the pieces of one sending together
	 * and in order; should one come out of step all the same, the page waits for the next whole
	 * sending rather than show half a year.
	 */
	receivedPiece(url: string, piece: View, index: number, count: number, covers?: Span): void {
		const combine = this.#declaration.combine;
		const got = index === 0 ? { count: 0, view: piece } : this.#pieces.get(url);
		if (!got || got.count !== index || (index > 0 && !combine)) {
			this.#pieces.delete(url);
			return;
		}
		// Each piece into what came before, in the task that brought it: combining them all with the
		// last made that task long (bench/member-device.ts: a quarter of it on the cheap phone).
		const view = index === 0 || !combine ? piece : combine([got.view, piece]);
		if (index + 1 < count) {
			this.#pieces.set(url, { count: index + 1, view });
			return;
		}
		this.#pieces.delete(url);
		this.received(url, view, covers);
	}
	/** Pieces of a view on their way, combined so far, by address; bookkeeping only. */
	#pieces = new Map<string, { count: number; view: View }>();

	/**
	 * A document the background read and keeps, with the time it covers: here, and brought to the
	 * page once a page needs that time. Again after each change there, as the time may have grown.
	 */
	held(url: string, span: Span | undefined): void {
		// Asked for since: its view is on its way, and this was said before the asking was heard.
		if (this.#shown.has(url) || this.#onPage.has(url)) return;
		this.#held = new Map(this.#held).set(url, span);
		if (this.#lacking.has(url)) this.#lacking = without(this.#lacking, [url]);
		this.#reported(url);
		if (this.#isNeeded(span)) this.#show([url]);
	}

	/**
	 * A page needs this module's documents over a span of time, or all of them: those the
	 * background holds that cover any of it come to the page, now and whenever one arrives. Safe
	 * to call while a page reads its view (the views come in later), and again with the same span.
	 */
	need(span?: Span): void {
		if (this.#needsAll) return;
		if (span === undefined) this.#needsAll = true;
		else if (this.#needed.some((n) => contains(n, span))) return;
		else this.#needed.push(span);
		queueMicrotask(() => {
			this.#show([...this.#held].flatMap(([url, covers]) => (this.#isNeeded(covers) ? [url] : [])));
			this.#showWhole([...this.#cut].flatMap(([url, covers]) => (this.#beyondFirst(covers) ? [url] : [])));
		});
	}
	// Bookkeeping only: what pages asked for so far, and documents asked for.
	#needed: Span[] = [];
	#needsAll = false;
	#shown = new Set<string>();

	#isNeeded(covers: Span | undefined): boolean {
		return this.#needsAll || (covers !== undefined && this.#needed.some((n) => overlaps(n, covers)));
	}

	/** A page needs more of a document than pages show first: a time it covers beyond that. */
	#beyondFirst(covers: Span): boolean {
		const first = this.#firstShown;
		return this.#needsAll || this.#needed.some((n) => (!first || !contains(first, n)) && overlaps(n, covers));
	}

	/**
	 * Documents sent in part to the page whole: on their way, counted as pending, until they are
	 * here. Once: the next part of one is the whole.
	 */
	#showWhole(urls: string[]): void {
		const cut = urls.filter((url) => this.#cut.has(url) && !this.#wholeAsked.has(url) && !this.#onPage.has(url));
		if (cut.length === 0) return;
		for (const url of cut) {
			this.#wholeAsked.add(url);
			if (this.#awaited.has(url)) continue;
			this.#awaited.add(url);
			this.pending += 1;
		}
		this.#opener.opened();
		this.#opener.background?.show(this.name, cut);
	}
	/** Documents sent in part whose whole view the page asked for; bookkeeping only. */
	#wholeAsked = new Set<string>();

	/** Held documents to the page: on their way, counted as pending, until their views are here. */
	#show(urls: string[]): void {
		const held = urls.filter((url) => this.#held.has(url) && !this.#shown.has(url));
		if (held.length === 0) return;
		this.#held = without(this.#held, held);
		for (const url of held) {
			this.#shown.add(url);
			this.#awaited.add(url);
		}
		this.pending += held.length;
		this.#opener.opened();
		this.#opener.background?.show(this.name, held);
	}

	/** A document the background could not find (not on this device, and no relay has it now). */
	lacking(url: string, offline = false): void {
		this.#lacking = new Map([...this.#lacking, [url, offline]]);
		this.#reported(url);
	}

	/**
	 * Documents the background could not ask a relay for, as it reached none: once the page reaches
	 * one, they are on their way (the background follows a moment later), and "Bijgewerkt" waits.
	 */
	get unasked(): boolean {
		return [...this.#lacking.values()].some((offline) => offline);
	}

	/** A document reported lacking is on its way after all (back online): the status line waits for it again. */
	comingAgain(url: string): void {
		if (!this.#lacking.has(url) || url in this.#parts || this.#held.has(url)) return;
		this.#lacking = without(this.#lacking, [url]);
		if (this.#awaited.has(url)) return;
		this.#awaited.add(url);
		this.pending += 1;
		this.#opener.opened();
	}

	#reported(url: string) {
		if (!this.#awaited.delete(url)) return;
		if (this.#toHold.has(url)) this.#toHold = without(this.#toHold, [url]);
		else this.pending -= 1;
		this.#opener.opened();
		for (const check of [...this.#whenReported]) check();
	}

	/** The background stopped: what it did not bring yet opens on the page after all. */
	backgroundFailed(): void {
		const left = [...this.#awaited].map((url) => ({ url }));
		this.#awaited.clear();
		// Those it was to keep: opened on the page too, counted as pending like the others.
		this.pending += this.#toHold.size;
		this.#toHold = new Set();
		this.#pieces.clear();
		this.#cut = new Map();
		this.#wholeAsked.clear();
		for (const check of [...this.#whenReported]) check();
		// Every document it read opens here now: changes are made on the page from here on.
		const read = [...Object.keys(this.#parts), ...this.#held.keys()].filter((url) => !this.#onPage.has(url));
		this.#held = new Map();
		const more = read.filter((url) => !left.some((l) => l.url === url)).map((url) => ({ url }));
		// Counted as pending while they open, as the ones it had not brought yet.
		this.pending += more.length;
		void this.#open([...left, ...more]);
	}

	/**
	 * Runs one of the module's actions on a document, where it is: on the page if it is open
	 * there, else in the background; on the page, opened first, when there is no background.
	 */
	async act(url: string, action: string, args: unknown[]): Promise<unknown> {
		const run = this.#declaration.actions?.[action] as ((handle: DocHandle<Doc>, ...rest: unknown[]) => unknown) | undefined;
		if (!run) throw new Error(`${this.name} has no action ${action}`);
		const open = this.handle(url);
		if (open) return this.#keptAfter(open, run(open, ...args));
		if (this.#inBackground(url)) {
			// Its view comes to the page, which shows what the action did.
			this.#show([url]);
			try {
				const done = this.#opener.background?.act(this.name, url, action, args);
				if (done) return await done;
			} catch {
				// The background lost it (stopped, or not there): the page opens it and acts itself.
			}
		}
		const opened = await this.open(url);
		return this.#keptAfter(opened, run(opened, ...args));
	}

	/** An action's result once its change is on this device, as one run in the background is. */
	async #keptAfter(handle: DocHandle<Doc>, result: unknown): Promise<unknown> {
		await this.#opener.keep(handle as DocHandle<unknown>);
		return result;
	}

	/** Opens a listed document the module does not show by itself (a sealed quarter's history). */
	async openMore(url: string): Promise<void> {
		if (this.#requested.has(url) && !this.#inBackground(url)) return;
		this.#onPage.add(url);
		if (this.#held.has(url)) this.#held = without(this.#held, [url]);
		if (this.#cut.has(url)) this.#cut = without(this.#cut, [url]);
		// On its way to be kept in the background: counted as coming to the page now.
		const toHold = this.#toHold.has(url);
		if (!this.#awaited.delete(url) || toHold) this.pending += 1;
		if (toHold) this.#toHold = without(this.#toHold, [url]);
		this.#requested.add(url);
		await this.#open([{ url }]);
	}

	/** Read in the background and not (yet) opened on the page. */
	#inBackground(url: string): boolean {
		return (this.#awaited.has(url) || url in this.#parts || this.#held.has(url)) && !this.#onPage.has(url);
	}
	/** Documents of the background opened on the page (to change them); bookkeeping only. */
	#onPage = new Set<string>();

	/** Opened together, added in one update instead of one per document. */
	async #open(batch: Listed[]): Promise<ReactiveDoc<Doc>[]> {
		if (batch.length === 0) return [];
		const handles = await Promise.all(batch.map(({ url }) => this.#opener.find<Doc>(url)));
		if (this.#opener.closed()) return [];
		const opened = handles.map((h) => new ReactiveDoc(h));
		this.docs = [...this.docs, ...opened];
		this.pending -= batch.length;
		this.#opener.opened();
		return opened;
	}

	/** A new document of this module, shown at once: newest first where the module lists so. */
	create<T extends Doc>(initial: T, place: 'first' | 'last' = 'last'): DocHandle<T> {
		const created = this.#opener.create<T>(initial);
		this.#requested.add(created.url);
		const reactive = new ReactiveDoc<Doc>(created as unknown as DocHandle<Doc>);
		this.docs = place === 'first' ? [reactive, ...this.docs] : [...this.docs, reactive];
		this.#opener.opened();
		return created;
	}

	/** The open handle of one of this module's documents. */
	handle(url: string): DocHandle<Doc> | undefined {
		return this.docs.find((d) => d.handle.url === url)?.handle;
	}

	/** A listed document: the open handle, or found in the repository. */
	open(url: string): DocHandle<Doc> | Promise<DocHandle<Doc>> {
		const open = this.handle(url);
		if (open) return open;
		if (!this.#inBackground(url)) return this.#opener.find<Doc>(url);
		// Shown from the background until now: opened here, so the change shows at once.
		return this.openMore(url).then(() => this.handle(url) ?? this.#opener.find<Doc>(url));
	}

	/**
	 * The open handle of a document, or none yet: one read in the background is opened on the
	 * page, and a page reading this looks again once it is (event detail, to sign up or edit).
	 */
	handleOrOpen(url: string): DocHandle<Doc> | undefined {
		const open = this.handle(url);
		// Not from inside a page's derived value: opening changes state.
		if (!open && this.#inBackground(url)) queueMicrotask(() => void this.openMore(url));
		return open;
	}

	/** Every open handle, for the status line's "is everything on the relay". */
	handles(): DocHandle<unknown>[] {
		return this.docs.map((d) => d.handle as DocHandle<unknown>);
	}
}

/** A copy without these addresses: what pages read is replaced whole, never changed in place. */
function without<T>(map: Map<string, T>, urls: string[]): Map<string, T>;
function without(set: Set<string>, urls: string[]): Set<string>;
function without<T>(from: Map<string, T> | Set<string>, urls: string[]): Map<string, T> | Set<string> {
	if (from instanceof Map) return new Map([...from].filter(([url]) => !urls.includes(url)));
	return new Set([...from].filter((url) => !urls.includes(url)));
}

const same = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item, i) => item === b[i]);
