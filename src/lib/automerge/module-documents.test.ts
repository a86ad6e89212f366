// A module's documents open in the order its declaration gives, and older ones wait for every
// module's recent ones: what a resident sees first must not queue behind ten years.
import { generateAutomergeUrl, Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { FirstDocuments } from './first-documents.ts';
import { ModuleDocuments, type DocumentsDeclaration, type Listed, type Opener } from './module-documents.svelte.ts';

interface YearDoc {
	year: string;
	titles: string[];
}
type Index = Record<string, Listed[]>;

/** Years before 2026 wait; the view is every title, in the order the documents arrived. */
const years = (name: string): DocumentsDeclaration<Index, YearDoc, string[]> => ({
	listed: (index) => index[name] ?? [],
	order: (fresh) => ({ first: fresh.filter((e) => e.period! >= '2026'), later: fresh.filter((e) => e.period! < '2026') }),
	read: (docs) => docs.flatMap(({ doc }) => doc.titles)
});

/** A repository whose finds for some documents are held back until released. */
function repository() {
	const repo = new Repo();
	const held = new Map<string, () => void>();
	const finds: string[] = [];
	let closed = false;
	let opened = 0;
	const opener: Opener = {
		async find<T>(url: string) {
			finds.push(url);
			if (held.has(url)) await new Promise<void>((resolve) => held.set(url, resolve));
			return repo.find<T>(url as never, { allowableStates: ['ready', 'unavailable'] });
		},
		create: <T>(initial: T) => repo.create<T>(initial),
		closed: () => closed,
		opened: () => void (opened += 1),
		coming: () => false,
		reaching: () => false,
		keep: (handle) => repo.flush([handle.documentId])
	};
	const doc = (year: string, ...titles: string[]): Listed => ({ url: repo.create<YearDoc>({ year, titles }).url, period: year });
	return {
		opener,
		doc,
		finds,
		hold: (entry: Listed) => held.set(entry.url, () => {}),
		release: (entry: Listed) => held.get(entry.url)!(),
		close: () => (closed = true),
		/** How often the module said it added documents (the status line looks again each time). */
		opened: () => opened
	};
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("a module's documents", () => {
	it('open recent ones first, older ones once every module has shown its recent ones', async () => {
		const r = repository();
		const first = new FirstDocuments();
		const help = new ModuleDocuments('help', years('help'), r.opener, first);
		const agenda = new ModuleDocuments('agenda', years('agenda'), r.opener, first);
		const agendaNow = r.doc('2026', 'Koffieochtend');
		const index: Index = { help: [r.doc('2019', 'Oude vraag'), r.doc('2026', 'Boodschappen')], agenda: [agendaNow, r.doc('2018', 'Wandelgroep 2018')] };
		r.hold(agendaNow);

		const loadingHelp = help.load(index);
		const loadingAgenda = agenda.load(index);
		await settled();
		expect(help.view).toEqual(['Boodschappen']);
		expect(help.pending).toBe(1);
		expect(r.opened()).toBe(1);
		expect([help.recentOpen, agenda.recentOpen]).toEqual([true, false]);
		// The agenda's recent year is still on its way: nobody's older documents open yet.
		expect(r.finds).not.toContain(index.help[0].url);

		r.release(agendaNow);
		await Promise.all([loadingHelp, loadingAgenda]);
		expect(help.view).toEqual(['Boodschappen', 'Oude vraag']);
		expect(agenda.view).toEqual(['Koffieochtend', 'Wandelgroep 2018']);
		expect([help.pending, agenda.pending]).toEqual([0, 0]);
		expect(r.opened()).toBe(4);
	});

	it('open everything at once for a module without an order, and hold nobody back', async () => {
		const r = repository();
		const first = new FirstDocuments();
		const map = new ModuleDocuments('map', { listed: (index: Index) => index.map, read: (docs: { doc: YearDoc }[]) => docs.flatMap(({ doc }) => doc.titles) }, r.opener, first);
		const help = new ModuleDocuments('help', years('help'), r.opener, first);
		const index: Index = { map: [r.doc('map', 'Huisarts'), r.doc('map', 'Wijkteam')], help: [r.doc('2026', 'Vraag'), r.doc('2017', 'Oud')] };
		await Promise.all([map.load(index), help.load(index)]);
		expect(map.view).toEqual(['Huisarts', 'Wijkteam']);
		expect(help.view).toEqual(['Vraag', 'Oud']);
	});

	it('are not "open" while a recent one is still on its way after the line dropped, and are, as missing, once no relay has it', async () => {
		for (const coming of [true, false]) {
			const r = repository();
			const agenda = new ModuleDocuments('agenda', years('agenda'), { ...r.opener, coming: () => coming }, new FirstDocuments());
			// A year nobody sent yet: automerge-repo calls it unavailable, also when the line dropped.
			await agenda.load({ agenda: [{ url: generateAutomergeUrl(), period: '2026' }] });
			expect(agenda.pending).toBe(0);
			expect(agenda.recentOpen).toBe(!coming);
			// Not coming and not here: missing, which a page says rather than "niets".
			expect(agenda.recentMissing).toBe(!coming);
		}
	});

	it("open the recent documents of the page's module before any other module's", async () => {
		const r = repository();
		const first = new FirstDocuments('agenda');
		const help = new ModuleDocuments('help', years('help'), r.opener, first);
		const map = new ModuleDocuments('map', { listed: (index: Index) => index.map, read: (docs: { doc: YearDoc }[]) => docs.flatMap(({ doc }) => doc.titles) }, r.opener, first);
		const agenda = new ModuleDocuments('agenda', years('agenda'), r.opener, first);
		const thisYear = r.doc('2026', 'Koffieochtend');
		const index: Index = { help: [r.doc('2026', 'Boodschappen')], map: [r.doc('map', 'Huisarts')], agenda: [thisYear, r.doc('2018', 'Wandelgroep 2018')] };
		r.hold(thisYear);

		const loading = [help.load(index), map.load(index), agenda.load(index)];
		await settled();
		// The agenda's year is still on its way: the help board and the map wait their turn.
		expect(r.finds).toEqual([thisYear.url]);
		expect([help.view, map.view]).toEqual([[], []]);

		r.release(thisYear);
		await Promise.all(loading);
		expect(r.finds.slice(0, 3)).toEqual([thisYear.url, index.help[0].url, index.map[0].url]);
		expect([help.view, map.view, agenda.view]).toEqual([['Boodschappen'], ['Huisarts'], ['Koffieochtend', 'Wandelgroep 2018']]);
	});

	it("let the others come when the page's module shows nothing recent in time", async () => {
		const r = repository();
		const first = new FirstDocuments('agenda');
		const help = new ModuleDocuments('help', years('help'), r.opener, first);
		new ModuleDocuments('agenda', years('agenda'), r.opener, first);
		const loading = help.load({ help: [r.doc('2026', 'Nu')] });
		await settled();
		expect(help.view).toEqual([]);
		first.releaseAll();
		await loading;
		expect(help.view).toEqual(['Nu']);
	});

	it('let older documents come when a module never shows its recent ones', async () => {
		const r = repository();
		const first = new FirstDocuments();
		const help = new ModuleDocuments('help', years('help'), r.opener, first);
		new ModuleDocuments('agenda', years('agenda'), r.opener, first);
		const index: Index = { help: [r.doc('2026', 'Nu'), r.doc('2015', 'Toen')] };
		const loading = help.load(index);
		await settled();
		expect(help.view).toEqual(['Nu']);
		first.releaseAll();
		await loading;
		expect(help.view).toEqual(['Nu', 'Toen']);
	});

	it('open each document once, however often the root changes, and show new ones where the module lists them', async () => {
		const r = repository();
		const help = new ModuleDocuments('help', years('help'), r.opener, new FirstDocuments());
		const index: Index = { help: [r.doc('2026', 'Eerste')] };
		await help.load(index);
		const made = help.create({ year: '2027', titles: ['Nieuwste'] }, 'first');
		index.help = [{ url: made.url, period: '2027' }, ...index.help, r.doc('2026', 'Van een ander toestel')];
		await Promise.all([help.load(index), help.load(index)]);
		expect(help.view).toEqual(['Nieuwste', 'Eerste', 'Van een ander toestel']);
		expect(r.finds.filter((url) => url === index.help[1].url)).toHaveLength(1);
		expect(help.handle(made.url)).toBe(made as DocHandle<YearDoc>);
		expect(help.pending).toBe(0);
	});

	it('open a document the root does not list for the board, once, when asked', async () => {
		const r = repository();
		const help = new ModuleDocuments('help', years('help'), r.opener, new FirstDocuments());
		const sealed = r.doc('2020', 'Gesloten kwartaal');
		await Promise.all([help.openMore(sealed.url), help.openMore(sealed.url)]);
		expect(help.view).toEqual(['Gesloten kwartaal']);
		expect(help.pending).toBe(0);
	});

	it('add nothing once the connection closed', async () => {
		const r = repository();
		const help = new ModuleDocuments('help', years('help'), r.opener, new FirstDocuments());
		const entry = r.doc('2026', 'Te laat');
		r.hold(entry);
		const loading = help.load({ help: [entry] });
		await settled();
		r.close();
		r.release(entry);
		await loading;
		expect(help.view).toEqual([]);
	});

	describe('read in the background', () => {
		/** Older years go to a background that reports when told to; titles combine in year order. */
		const combining = (name: string): DocumentsDeclaration<Index, YearDoc, string[]> => ({
			...years(name),
			combine: (views) => views.flat().sort()
		});
		function background(works = true) {
			const handed: string[] = [];
			const held: string[] = [];
			const shown: string[] = [];
			return {
				handed,
				held,
				shown,
				read: (_module: string, urls: string[], hold?: boolean) => (works ? (handed.push(...urls), hold && held.push(...urls), true) : false),
				show: (_module: string, urls: string[]) => void shown.push(...urls),
				act: () => undefined
			};
		}

		it('leaves the older years to the background and shows its reads with its own, until it is opened here', async () => {
			const r = repository();
			const behind = background();
			const agenda = new ModuleDocuments('agenda', combining('agenda'), { ...r.opener, background: behind }, new FirstDocuments());
			const old = r.doc('2018', 'Wandelgroep 2018');
			const older = r.doc('2017', 'Bingo 2017');
			await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend'), old, older] });

			// The page opened only this year; the rest waits for the background, and says so.
			expect(r.finds).toHaveLength(1);
			expect(behind.handed).toEqual([old.url, older.url]);
			expect(agenda.view).toEqual(['Koffieochtend']);
			expect(agenda.pending).toBe(2);

			agenda.received(old.url, ['Wandelgroep 2018']);
			expect(agenda.view).toEqual(['Koffieochtend', 'Wandelgroep 2018']);
			expect(agenda.pending).toBe(1);
			// Not on this device and no relay has it: nothing to wait for, nothing to show.
			agenda.lacking(older.url);
			expect(agenda.pending).toBe(0);
			// It came after all; and a change there comes as a new read, counted once.
			agenda.received(older.url, ['Bingo 2017']);
			agenda.received(old.url, ['Wandelgroep 2018 (verzet)']);
			expect(agenda.view).toEqual(['Bingo 2017', 'Koffieochtend', 'Wandelgroep 2018 (verzet)']);
			expect(agenda.pending).toBe(0);

			// To change it, a page opens the document here: its view is read from here from then on.
			expect(agenda.handle(old.url)).toBeUndefined();
			const handle = (await agenda.open(old.url)) as DocHandle<YearDoc>;
			expect(agenda.handle(old.url)).toBe(handle);
			expect(agenda.view).toEqual(['Bingo 2017', 'Koffieochtend', 'Wandelgroep 2018']);
			agenda.received(old.url, ['Wandelgroep 2018 (uit de achtergrond)']);
			expect(agenda.view).toEqual(['Bingo 2017', 'Koffieochtend', 'Wandelgroep 2018']);
			expect(agenda.pending).toBe(0);
		});

		it('combines each year that arrives into the view it shows, and all again when one changed', async () => {
			const r = repository();
			const calls: string[][][] = [];
			const declaration = combining('agenda');
			const counted = { ...declaration, combine: (views: string[][]) => (calls.push(views), declaration.combine!(views)) };
			const agenda = new ModuleDocuments('agenda', counted, { ...r.opener, background: background() }, new FirstDocuments());
			const older = [r.doc('2019', 'Bingo 2019'), r.doc('2018', 'Wandelgroep 2018'), r.doc('2017', 'Koor 2017')];
			await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend'), ...older] });

			agenda.received(older[0].url, ['Bingo 2019']);
			expect(agenda.view).toEqual(['Bingo 2019', 'Koffieochtend']);
			agenda.received(older[1].url, ['Wandelgroep 2018']);
			expect(agenda.view).toEqual(['Bingo 2019', 'Koffieochtend', 'Wandelgroep 2018']);
			agenda.received(older[2].url, ['Koor 2017']);
			expect(agenda.view).toEqual(['Bingo 2019', 'Koffieochtend', 'Koor 2017', 'Wandelgroep 2018']);
			// Ten years are not combined again for each that arrives: the view so far and the new one.
			expect(calls.at(-1)).toEqual([['Bingo 2019', 'Koffieochtend', 'Wandelgroep 2018'], ['Koor 2017']]);

			agenda.received(older[1].url, ['Wandelgroep 2018 (verzet)']);
			expect(agenda.view).toEqual(['Bingo 2019', 'Koffieochtend', 'Koor 2017', 'Wandelgroep 2018 (verzet)']);
			expect(calls.at(-1)).toHaveLength(4);
		});

		it('shows a view sent in pieces once its last piece is here, and drops pieces out of step', async () => {
			const r = repository();
			const agenda = new ModuleDocuments('agenda', combining('agenda'), { ...r.opener, background: background() }, new FirstDocuments());
			const old = r.doc('2018', 'Wandelgroep 2018');
			await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend'), old] });

			agenda.receivedPiece(old.url, ['Wandelgroep 2018'], 0, 2);
			// Half a year is not shown, nor counted as here: the page still says older years are coming.
			expect(agenda.view).toEqual(['Koffieochtend']);
			expect(agenda.pending).toBe(1);
			expect(agenda.where(old.url)).toBe('coming');
			agenda.receivedPiece(old.url, ['Bingo 2018'], 1, 2);
			expect(agenda.view).toEqual(['Bingo 2018', 'Koffieochtend', 'Wandelgroep 2018']);
			expect(agenda.pending).toBe(0);

			// A piece out of step is not shown: the page waits for the next whole sending.
			agenda.receivedPiece(old.url, ['Wandelgroep 2018 (verzet)'], 1, 2);
			expect(agenda.view).toEqual(['Bingo 2018', 'Koffieochtend', 'Wandelgroep 2018']);
			agenda.receivedPiece(old.url, ['Bingo 2018 (verzet)'], 0, 2);
			agenda.receivedPiece(old.url, ['Wandelgroep 2018 (verzet)'], 1, 2);
			expect(agenda.view).toEqual(['Bingo 2018 (verzet)', 'Koffieochtend', 'Wandelgroep 2018 (verzet)']);
		});

		it('combines each piece into those before it as it arrives, so the last adds only itself', async () => {
			const r = repository();
			const calls: string[][][] = [];
			const declaration = combining('agenda');
			const counted = { ...declaration, combine: (views: string[][]) => (calls.push(views), declaration.combine!(views)) };
			const agenda = new ModuleDocuments('agenda', counted, { ...r.opener, background: background() }, new FirstDocuments());
			const old = r.doc('2018', 'Wandelgroep 2018');
			await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend'), old] });

			agenda.receivedPiece(old.url, ['Bingo 2018'], 0, 3);
			agenda.receivedPiece(old.url, ['Koor 2018'], 1, 3);
			expect(calls.at(-1)).toEqual([['Bingo 2018'], ['Koor 2018']]);
			expect(agenda.view).toEqual(['Koffieochtend']);
			calls.length = 0;
			agenda.receivedPiece(old.url, ['Wandelgroep 2018'], 2, 3);
			// With the last piece: that piece into the two before it, then the year into the agenda.
			expect(calls[0]).toEqual([['Bingo 2018', 'Koor 2018'], ['Wandelgroep 2018']]);
			expect(agenda.view).toEqual(['Bingo 2018', 'Koffieochtend', 'Koor 2018', 'Wandelgroep 2018']);
			// A sending that starts again midway drops what it had: the next whole one is shown.
			agenda.receivedPiece(old.url, ['Bingo 2018 (verzet)'], 0, 3);
			agenda.receivedPiece(old.url, ['Bingo 2018 (verzet)'], 0, 3);
			agenda.receivedPiece(old.url, ['Koor 2018'], 2, 3);
			expect(agenda.view).toEqual(['Bingo 2018', 'Koffieochtend', 'Koor 2018', 'Wandelgroep 2018']);
		});

		it('opens a document on the page when a page needs its handle, and once only', async () => {
			const r = repository();
			const agenda = new ModuleDocuments('agenda', combining('agenda'), { ...r.opener, background: background() }, new FirstDocuments());
			const old = r.doc('2018', 'Wandelgroep 2018');
			await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend'), old] });
			agenda.received(old.url, ['Wandelgroep 2018']);

			expect(agenda.handleOrOpen(old.url)).toBeUndefined();
			expect(agenda.handleOrOpen(old.url)).toBeUndefined();
			await settled();
			expect(agenda.handleOrOpen(old.url)?.url).toBe(old.url);
			expect(r.finds.filter((url) => url === old.url)).toHaveLength(1);
			expect(agenda.pending).toBe(0);
		});

		describe('a module whose documents say the time they cover', () => {
			/** Each year covers its own days; a year without titles covers none. */
			const spanning = (name: string): DocumentsDeclaration<Index, YearDoc, string[]> => ({
				...combining(name),
				span: (view) => {
					const years = view.map((title) => /\d{4}/.exec(title)?.[0]).filter((y) => y !== undefined).sort();
					return years.length ? { from: `${years[0]}-01-01`, to: `${years.at(-1)}-12-31` } : undefined;
				}
			});
			async function agendaOf(r: ReturnType<typeof repository>, behind: ReturnType<typeof background>, ...older: Listed[]) {
				const agenda = new ModuleDocuments('agenda', spanning('agenda'), { ...r.opener, background: behind }, new FirstDocuments());
				await agenda.load({ agenda: [r.doc('2026', 'Koffieochtend 2026'), ...older] });
				return agenda;
			}

			it('keeps older years in the background, here but not shown, until a page shows a day they cover', async () => {
				const r = repository();
				const behind = background();
				const [y2018, y2017, y2016] = [r.doc('2018', 'Wandelgroep 2018'), r.doc('2017', 'Bingo 2017'), r.doc('2016', 'Koor 2016')];
				const agenda = await agendaOf(r, behind, y2018, y2017, y2016);
				expect(behind.held).toEqual([y2018.url, y2017.url, y2016.url]);

				agenda.held(y2018.url, { from: '2018-01-01', to: '2018-12-31' });
				agenda.held(y2017.url, { from: '2017-01-01', to: '2017-12-31' });
				agenda.held(y2016.url, undefined);
				// Here as far as the status line and "still loading" go; this week needs none of them.
				expect(agenda.pending).toBe(0);
				expect(agenda.holding).toBe(3);
				expect(agenda.where(y2018.url)).toBe('here');
				expect(agenda.view).toEqual(['Koffieochtend 2026']);
				agenda.need({ from: '2026-03-02', to: '2026-03-09' });
				await settled();
				expect(behind.shown).toEqual([]);

				// A month of 2018: that year comes, and the page waits for it as for any older year.
				agenda.need({ from: '2018-06-01', to: '2018-07-01' });
				agenda.need({ from: '2018-06-01', to: '2018-07-01' });
				await settled();
				expect(behind.shown).toEqual([y2018.url]);
				expect(agenda.pending).toBe(1);
				expect(agenda.holding).toBe(2);
				expect(agenda.where(y2018.url)).toBe('coming');
				// Said before the background heard the asking: not held again.
				agenda.held(y2018.url, { from: '2018-01-01', to: '2018-12-31' });
				expect(agenda.pending).toBe(1);
				agenda.received(y2018.url, ['Wandelgroep 2018']);
				expect(agenda.view).toEqual(['Koffieochtend 2026', 'Wandelgroep 2018']);
				expect(agenda.pending).toBe(0);

				// Everything (an export, a search of all years): the rest comes, the empty year too.
				agenda.need();
				await settled();
				expect(behind.shown).toEqual([y2018.url, y2017.url, y2016.url]);
				expect(agenda.pending).toBe(2);
			});

			it('is whole only when no year is held, asked for or on its way', async () => {
				const r = repository();
				const behind = background();
				const [y2018, y2017, y2016] = [r.doc('2018', 'Wandelgroep 2018'), r.doc('2017', 'Bingo 2017'), r.doc('2016', 'Koor 2016')];
				const agenda = await agendaOf(r, behind, y2018, y2017, y2016);
				// This week is here; the older years are on their way to the background.
				expect(agenda.recentOpen).toBe(true);
				expect(agenda.whole).toBe(false);
				agenda.held(y2018.url, { from: '2018-01-01', to: '2018-12-31' });
				agenda.held(y2017.url, { from: '2017-01-01', to: '2017-12-31' });
				agenda.lacking(y2016.url);
				expect(agenda.pending).toBe(0);
				expect(agenda.whole).toBe(false);

				// Asked for every year: until the asking is heard the years are held, then on their way.
				agenda.need();
				expect(agenda.whole).toBe(false);
				await settled();
				expect(agenda.whole).toBe(false);
				agenda.received(y2018.url, ['Wandelgroep 2018']);
				expect(agenda.whole).toBe(false);
				// The year no relay has now is left out, as the status line leaves it.
				agenda.received(y2017.url, ['Bingo 2017']);
				expect(agenda.whole).toBe(true);
				expect([...agenda.view].sort()).toEqual(['Bingo 2017', 'Koffieochtend 2026', 'Wandelgroep 2018']);
			});

			/** As the board: later documents with a period come to the page; those without stay behind. */
			function boardOf(r: ReturnType<typeof repository>, behind: ReturnType<typeof background>) {
				const declaration: DocumentsDeclaration<Index, YearDoc, string[]> = {
					...spanning('help'),
					order: (fresh) => ({ first: fresh.filter((e) => e.period === '2026'), later: fresh.filter((e) => e.period !== '2026') }),
					held: (entry) => entry.period === undefined
				};
				return new ModuleDocuments('help', declaration, { ...r.opener, background: behind }, new FirstDocuments());
			}

			it('keeps back only the later documents its declaration says, and waits for them once a page asks for every one', async () => {
				const r = repository();
				const behind = background();
				const board = boardOf(r, behind);
				const older = r.doc('2019', 'Open vraag 2019');
				const archive = { url: r.doc('2017', 'Afgerond 2017').url };
				await board.load({ help: [r.doc('2026', 'Boodschappen 2026'), older, archive] });

				expect(behind.handed).toEqual([older.url, archive.url]);
				expect(behind.held).toEqual([archive.url]);
				// The page waits for the older quarter only; the status line for both, so that the
				// archive is on the device offline.
				expect([board.pending, board.outstanding, board.arriving]).toEqual([1, 1, 2]);
				board.received(older.url, ['Open vraag 2019']);
				expect([board.pending, board.outstanding, board.arriving]).toEqual([0, 0, 1]);
				board.held(archive.url, { from: '2017-01-01', to: '2017-12-31' });
				expect([board.pending, board.outstanding, board.arriving]).toEqual([0, 0, 0]);
				expect(board.view).toEqual(['Boodschappen 2026', 'Open vraag 2019']);

				// A page that reads every post: until the archive is here, it is waited for, also in
				// the moment before the asking is carried out.
				board.need();
				expect(board.outstanding).toBe(1);
				await settled();
				expect(behind.shown).toEqual([archive.url]);
				expect(board.outstanding).toBe(1);
				board.received(archive.url, ['Afgerond 2017']);
				expect(board.outstanding).toBe(0);
				expect(board.view).toEqual(['Afgerond 2017', 'Boodschappen 2026', 'Open vraag 2019']);
			});

			it('counts a document still on its way to be kept back for a page that asks for every one, or opens it', async () => {
				const r = repository();
				const behind = background();
				const board = boardOf(r, behind);
				const [archive, other] = [{ url: r.doc('2017', 'Afgerond 2017').url }, { url: r.doc('2016', 'Afgerond 2016').url }];
				await board.load({ help: [r.doc('2026', 'Boodschappen 2026'), archive, other] });
				expect([board.pending, board.outstanding, board.arriving]).toEqual([0, 0, 2]);

				// Asked for every post before the background read the archives: both are waited for.
				board.need();
				expect(board.outstanding).toBe(2);
				board.held(archive.url, { from: '2017-01-01', to: '2017-12-31' });
				await settled();
				expect(behind.shown).toEqual([archive.url]);
				expect([board.pending, board.outstanding, board.arriving]).toEqual([1, 2, 2]);
				// One opened on the page before the background said it has it: opened, counted once.
				await board.openMore(other.url);
				expect([board.pending, board.outstanding, board.arriving]).toEqual([1, 1, 1]);
				board.received(archive.url, ['Afgerond 2017']);
				expect([board.pending, board.outstanding, board.arriving]).toEqual([0, 0, 0]);
				expect(board.view).toEqual(['Afgerond 2016', 'Afgerond 2017', 'Boodschappen 2026']);
			});

			it('brings a held year as soon as it grows into a time a page needs', async () => {
				const r = repository();
				const behind = background();
				const y2019 = r.doc('2019', 'Bingo 2019');
				const agenda = await agendaOf(r, behind, y2019);
				agenda.need({ from: '2019-05-01', to: '2019-05-31' });
				await settled();
				// Not here yet when the page asked: it comes once the background says it covers that month.
				expect(behind.shown).toEqual([]);
				agenda.held(y2019.url, { from: '2019-09-01', to: '2019-09-01' });
				expect(behind.shown).toEqual([]);
				agenda.held(y2019.url, { from: '2019-05-20', to: '2019-09-01' });
				expect(behind.shown).toEqual([y2019.url]);
			});

			it('shows a held year that an action changes, and opens one a page must change here', async () => {
				const r = repository();
				const behind = { ...background(), act: () => Promise.resolve('gedaan') };
				const [y2018, y2017] = [r.doc('2018', 'Wandelgroep 2018'), r.doc('2017', 'Bingo 2017')];
				const agenda = new ModuleDocuments('agenda', { ...spanning('agenda'), actions: { rename: () => 'hier' } as never }, { ...r.opener, background: behind }, new FirstDocuments());
				const now = r.doc('2026', 'Koffieochtend 2026');
				const loading = agenda.load({ agenda: [now, y2018, y2017] });
				// A module with actions reads its first documents in the background too; older ones after.
				await settled();
				agenda.received(now.url, ['Koffieochtend 2026']);
				await loading;
				expect(behind.held).toEqual([y2018.url, y2017.url]);
				agenda.held(y2018.url, { from: '2018-01-01', to: '2018-12-31' });
				agenda.held(y2017.url, { from: '2017-01-01', to: '2017-12-31' });

				expect(await agenda.act(y2018.url, 'rename', [])).toBe('gedaan');
				expect(behind.shown).toEqual([y2018.url]);

				expect(agenda.handleOrOpen(y2017.url)).toBeUndefined();
				await settled();
				expect(agenda.handle(y2017.url)?.url).toBe(y2017.url);
				expect(agenda.where(y2017.url)).toBe('here');
			});

			it('opens what it held on the page when the background stops', async () => {
				const r = repository();
				const behind = background();
				const y2018 = r.doc('2018', 'Wandelgroep 2018');
				const agenda = await agendaOf(r, behind, y2018);
				agenda.held(y2018.url, { from: '2018-01-01', to: '2018-12-31' });
				agenda.backgroundFailed();
				await settled();
				expect(agenda.view).toEqual(['Koffieochtend 2026', 'Wandelgroep 2018']);
				expect(agenda.pending).toBe(0);
			});
		});

		it('opens everything on the page when there is no background, or it stops', async () => {
			const r = repository();
			const none = new ModuleDocuments('agenda', combining('agenda'), { ...r.opener, background: background(false) }, new FirstDocuments());
			await none.load({ agenda: [r.doc('2026', 'Koffieochtend'), r.doc('2018', 'Wandelgroep 2018')] });
			expect(none.view).toEqual(['Koffieochtend', 'Wandelgroep 2018']);
			expect(none.pending).toBe(0);

			const stops = new ModuleDocuments('agenda', combining('agenda'), { ...r.opener, background: background() }, new FirstDocuments());
			const old = r.doc('2018', 'Wandelgroep 2018');
			const older = r.doc('2017', 'Bingo 2017');
			await stops.load({ agenda: [r.doc('2026', 'Koffieochtend'), old, older] });
			stops.received(old.url, ['Wandelgroep 2018']);
			stops.backgroundFailed();
			await settled();
			// What it had read opens here too: it would not follow changes any more.
			expect(stops.view).toEqual(['Koffieochtend', 'Bingo 2017', 'Wandelgroep 2018']);
			expect(stops.handle(old.url)?.url).toBe(old.url);
			expect(stops.pending).toBe(0);
		});

		describe('a module with actions', () => {
			/** Each title in a year, renamed by the action `rename`. */
			const acting = (name: string): DocumentsDeclaration<Index, YearDoc, string[]> => ({
				...combining(name),
				actions: {
					rename: (handle: DocHandle<YearDoc>, from: string, to: string) => {
						handle.change((doc) => (doc.titles[doc.titles.indexOf(from)] = to));
						return `${from} → ${to}`;
					}
				} as never
			});
			function actingBackground() {
				const handed: string[][] = [];
				const acts: unknown[][] = [];
				let failing = false;
				return {
					handed,
					acts,
					fail: () => (failing = true),
					read: (_module: string, urls: string[]) => (handed.push(urls), true),
					show: () => undefined,
					act: (...act: unknown[]) => (acts.push(act), failing ? Promise.reject(new Error('stopped')) : Promise.resolve('in de achtergrond'))
				};
			}

			it('leaves its first documents to the background too, and older ones once those are in', async () => {
				const r = repository();
				const behind = actingBackground();
				const agenda = new ModuleDocuments('agenda', acting('agenda'), { ...r.opener, background: behind }, new FirstDocuments());
				const now = r.doc('2026', 'Koffieochtend');
				const old = r.doc('2018', 'Wandelgroep 2018');
				const loading = agenda.load({ agenda: [now, old] });
				await settled();
				expect(r.finds).toEqual([]);
				expect(behind.handed).toEqual([[now.url]]);
				// This week is not there yet: the page must not say the agenda is empty.
				expect([agenda.recentOpen, agenda.recentMissing]).toEqual([false, false]);

				agenda.received(now.url, ['Koffieochtend']);
				await loading;
				expect(behind.handed).toEqual([[now.url], [old.url]]);
				expect([agenda.recentOpen, agenda.recentMissing, agenda.view]).toEqual([true, false, ['Koffieochtend']]);
				expect(r.finds).toEqual([]);
			});

			it('says when its first document is not on this device and no relay has it', async () => {
				const r = repository();
				const agenda = new ModuleDocuments('agenda', acting('agenda'), { ...r.opener, background: actingBackground() }, new FirstDocuments());
				const now = r.doc('2026', 'Koffieochtend');
				const loading = agenda.load({ agenda: [now] });
				await settled();
				agenda.lacking(now.url);
				await loading;
				expect([agenda.recentOpen, agenda.recentMissing, agenda.pending]).toEqual([true, true, 0]);
				// Back online, a relay may have it: on its way again, and waited for.
				agenda.comingAgain(now.url);
				expect([agenda.recentOpen, agenda.recentMissing, agenda.pending]).toEqual([false, false, 1]);
				agenda.received(now.url, ['Koffieochtend']);
				expect([agenda.recentOpen, agenda.recentMissing, agenda.pending, agenda.view]).toEqual([true, false, 0, ['Koffieochtend']]);
			});

			it('a document the background could not ask a relay for is missing offline, and on its way once the page reaches one', async () => {
				const r = repository();
				let reaching = false;
				const agenda = new ModuleDocuments('agenda', acting('agenda'), { ...r.opener, reaching: () => reaching, background: actingBackground() }, new FirstDocuments());
				const now = r.doc('2026', 'Koffieochtend');
				const loading = agenda.load({ agenda: [now] });
				await settled();
				agenda.lacking(now.url, true);
				await loading;
				expect([agenda.recentOpen, agenda.recentMissing, agenda.unasked]).toEqual([true, true, true]);
				// The page is back before the background: the week is on its way, not missing, and the
				// status line waits (`unasked`) until the background asks or has it.
				reaching = true;
				expect([agenda.recentOpen, agenda.recentMissing, agenda.unasked]).toEqual([false, false, true]);
				agenda.comingAgain(now.url);
				expect([agenda.recentMissing, agenda.unasked, agenda.pending]).toEqual([false, false, 1]);
				// A relay reached says it lacks it: missing, and nothing to wait for.
				agenda.lacking(now.url);
				expect([agenda.recentOpen, agenda.recentMissing, agenda.unasked, agenda.pending]).toEqual([true, true, false, 0]);
			});

			/** This year's agenda, read in the background. */
			async function readBehind() {
				const r = repository();
				const behind = actingBackground();
				const agenda = new ModuleDocuments('agenda', acting('agenda'), { ...r.opener, background: behind }, new FirstDocuments());
				const now = r.doc('2026', 'Koffieochtend');
				void agenda.load({ agenda: [now] });
				await settled();
				agenda.received(now.url, ['Koffieochtend']);
				return { r, behind, agenda, now };
			}

			it('sends an action to where the document is: the background, or the page once it is open there', async () => {
				const { r, behind, agenda, now } = await readBehind();

				expect(await agenda.act(now.url, 'rename', ['Koffieochtend', 'Koffie'])).toBe('in de achtergrond');
				expect(behind.acts).toEqual([['agenda', now.url, 'rename', ['Koffieochtend', 'Koffie']]]);
				expect(r.finds).toEqual([]);

				// Opened here (a volunteer edits it): the action runs on the page's copy.
				await agenda.open(now.url);
				expect(await agenda.act(now.url, 'rename', ['Koffieochtend', 'Koffie'])).toBe('Koffieochtend → Koffie');
				expect(agenda.handle(now.url)?.doc().titles).toEqual(['Koffie']);
				expect(behind.acts).toHaveLength(1);
			});

			it('opens the document on the page and acts there when the background cannot', async () => {
				const { behind, agenda, now } = await readBehind();
				behind.fail();
				expect(await agenda.act(now.url, 'rename', ['Koffieochtend', 'Koffie'])).toBe('Koffieochtend → Koffie');
				expect(agenda.handle(now.url)?.doc().titles).toEqual(['Koffie']);
			});

			describe('whose pages show a time first', () => {
				const december = { from: '2026-12-01', to: '9999-12-31' };
				const year = { from: '2026-01-01', to: '2026-12-31' };
				/** Pages show December on first; a title names the day it is on. */
				const cutting = (name: string): DocumentsDeclaration<Index, YearDoc, string[]> => ({
					...acting(name),
					firstShown: () => december,
					within: (view, span) => view.filter((title) => title.slice(-10) >= span.from && title.slice(-10) <= span.to)
				});
				async function firstYear(before?: (agenda: ModuleDocuments<Index, YearDoc, string[]>) => void) {
					const r = repository();
					const read: { urls: string[]; within?: unknown }[] = [];
					const shown: string[][] = [];
					const behind = { ...actingBackground(), read: (_module: string, urls: string[], _hold?: boolean, within?: unknown) => (read.push({ urls, within }), true), show: (_module: string, urls: string[]) => void shown.push(urls) };
					const agenda = new ModuleDocuments('agenda', cutting('agenda'), { ...r.opener, background: behind }, new FirstDocuments());
					const now = r.doc('2026', 'Bingo 2026-03-04', 'Koor 2026-12-02');
					before?.(agenda);
					void agenda.load({ agenda: [now] });
					await settled();
					return { agenda, now, read, shown };
				}

				it('asks its first documents for only that time, and for the whole once a page needs more', async () => {
					const { agenda, now, read, shown } = await firstYear();
					expect(read).toEqual([{ urls: [now.url], within: december }]);
					agenda.received(now.url, ['Koor 2026-12-02'], year);
					// This week is there; the year is not whole on the page.
					expect([agenda.recentOpen, agenda.pending, agenda.whole, agenda.view]).toEqual([true, 0, false, ['Koor 2026-12-02']]);

					// This week: in what came.
					agenda.need({ from: '2026-12-07', to: '2026-12-13' });
					await settled();
					expect(shown).toEqual([]);
					// A time of another year: not in this one.
					agenda.need({ from: '2019-03-01', to: '2019-03-31' });
					await settled();
					expect(shown).toEqual([]);

					// March: the whole year comes, once, while the page goes on showing what it has.
					agenda.need({ from: '2026-03-01', to: '2026-03-31' });
					agenda.need({ from: '2026-02-01', to: '2026-02-28' });
					await settled();
					expect(shown).toEqual([[now.url]]);
					expect([agenda.recentOpen, agenda.pending, agenda.whole]).toEqual([true, 1, false]);
					// A change sent before the background heard: shown, and the whole is still on its way.
					agenda.received(now.url, ['Koor 2026-12-02', 'Kerstmarkt 2026-12-19'], year);
					await settled();
					expect([agenda.pending, agenda.view, shown.length]).toEqual([1, ['Kerstmarkt 2026-12-19', 'Koor 2026-12-02'], 1]);
					agenda.received(now.url, ['Bingo 2026-03-04', 'Kerstmarkt 2026-12-19', 'Koor 2026-12-02']);
					expect([agenda.pending, agenda.whole, agenda.view]).toEqual([0, true, ['Bingo 2026-03-04', 'Kerstmarkt 2026-12-19', 'Koor 2026-12-02']]);
				});

				it('asks for the whole of one that arrives after a page needed more, or everything', async () => {
					const { agenda, now, shown } = await firstYear();
					agenda.need();
					await settled();
					expect(shown).toEqual([]);
					agenda.received(now.url, ['Koor 2026-12-02'], year);
					await settled();
					expect(shown).toEqual([[now.url]]);
					expect([agenda.pending, agenda.whole]).toEqual([1, false]);
				});

				it('asks for the whole at once when a page showed more before they opened', async () => {
					const { read } = await firstYear((agenda) => agenda.need({ from: '2026-03-01', to: '2026-03-31' }));
					expect(read).toEqual([{ urls: [expect.any(String)], within: undefined }]);
					const { read: thisWeek } = await firstYear((agenda) => agenda.need({ from: '2026-12-07', to: '2026-12-13' }));
					expect(thisWeek).toEqual([{ urls: [expect.any(String)], within: december }]);
				});
			});
		});

		it('is not used by a module whose views do not combine', async () => {
			const r = repository();
			const behind = background();
			const help = new ModuleDocuments('help', years('help'), { ...r.opener, background: behind }, new FirstDocuments());
			await help.load({ help: [r.doc('2026', 'Boodschappen'), r.doc('2019', 'Oude vraag')] });
			expect(behind.handed).toEqual([]);
			expect(help.view).toEqual(['Boodschappen', 'Oude vraag']);
		});
	});
});
