import { generateAutomergeUrl, Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it, vi } from 'vitest';
import { BackgroundHost, type Port, type Started, type Starter } from './background-repo.ts';
import type { BackgroundTarget, FromBackground, ToBackground } from './background-messages.ts';
import type { Span } from './span.ts';

/** A tab's port as the worker sees it: what it was sent, and a way to speak to the worker. */
class TabPort implements Port {
	received: FromBackground[] = [];
	closed = false;
	#listeners: ((event: MessageEvent<ToBackground>) => void)[] = [];
	postMessage(message: FromBackground) {
		this.received.push(message);
	}
	addEventListener(_type: 'message', listener: (event: MessageEvent<ToBackground>) => void) {
		this.#listeners.push(listener);
	}
	close() {
		this.closed = true;
	}
	say(data: ToBackground) {
		for (const listener of this.#listeners) listener({ data } as MessageEvent<ToBackground>);
	}
	titles(): unknown[] {
		return this.received.flatMap((m) => (m.type === 'part' ? [m.view] : []));
	}
}

const dayIn = (title: string) => /\d{4}-\d{2}-\d{2}/.exec(title)?.[0];

const target = (root: string): BackgroundTarget => ({ root, relay: 'wss://relay.example', key: 'k1', wasm: '' });

function host() {
	const repos: Repo[] = [];
	const stopped: Repo[] = [];
	const relay = { has: false, reached: false, lacks: false, changed: new Set<() => void>() };
	const reaching: string[][] = [];
	const start: Starter = vi.fn(async () => {
		const repo = new Repo({ network: [] });
		repos.push(repo);
		return {
			repo,
			ready: Promise.resolve(),
			answered: Promise.resolve(),
			follow: () => undefined,
			reach: (relays) => void reaching.push(relays),
			checkErasures: () => undefined,
			onRelays: () => relay.has,
			onRefused: () => undefined,
			coming: (handle) => !handle.isReady() && relay.reached && !relay.lacks,
			reaching: () => relay.reached,
			onReach: (listener) => void relay.changed.add(listener),
			stop: async () => void stopped.push(repo)
		} satisfies Started;
	});
	const actions = {
		agenda: {
			rename: (handle: DocHandle<{ title: string }>, title: string) => {
				handle.change((doc) => (doc.title = title));
				return `nu ${title}`;
			}
		} as never
	};
	// A title with " | " is a large view: it goes to the page in pieces. It covers the days it names,
	// and its part within a time is the titles of the days in it.
	const cut = { views: 0 };
	const read = (_url: string, doc: unknown) => {
		const title = (doc as { title: string }).title;
		const days = title.match(/\d{4}-\d{2}-\d{2}/g)?.sort();
		const within = (span: Span) => title.split(' | ').filter((t) => (dayIn(t) ?? '') >= span.from && (dayIn(t) ?? '') <= span.to);
		return { pieces: () => (cut.views++, title.split(' | ')), within, ...(days ? { span: { from: days[0]!, to: days.at(-1)! } } : {}) };
	};
	const background = new BackgroundHost({ agenda: read }, actions, start);
	return { background, start, repos, stopped, relay, cut, reaching };
}

/** Waits until the condition holds: the worker answers over several turns. */
async function until(condition: () => boolean) {
	await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 2000, interval: 5 });
}

/** Tabs of this neighbourhood, each with its port served, started once the worker has a repository. */
async function openTabs(h: ReturnType<typeof host>, count: number, root = 'automerge:root1'): Promise<TabPort[]> {
	const tabs = Array.from({ length: count }, () => new TabPort());
	for (const tab of tabs) {
		h.background.serve(tab);
		tab.say({ type: 'start', target: target(root) });
	}
	await until(() => h.repos.length > 0);
	return tabs;
}

/** Two tabs that both follow one new document, and have heard it once. */
async function twoTabsFollowing(h: ReturnType<typeof host>) {
	const [first, second] = await openTabs(h, 2);
	const handle = h.repos[0]!.create({ title: 'Koffieochtend' });
	for (const tab of [first!, second!]) tab.say({ type: 'read', module: 'agenda', urls: [handle.url] });
	await until(() => first!.titles().length === 1 && second!.titles().length === 1);
	return { first: first!, second: second!, handle };
}

describe('the documents worker shared by tabs', () => {
	it('gives two tabs of one neighbourhood one repository, and tells both of every change', async () => {
		const h = host();
		const { first, second, handle } = await twoTabsFollowing(h);
		expect([first.titles(), second.titles()]).toEqual([['Koffieochtend'], ['Koffieochtend']]);

		handle.change((doc) => (doc.title = 'Wandelgroep'));
		await until(() => first.titles().length === 2 && second.titles().length === 2);
		expect([first.titles()[1], second.titles()[1]]).toEqual(['Wandelgroep', 'Wandelgroep']);
		expect(h.repos).toHaveLength(1);
		expect(h.start).toHaveBeenCalledTimes(1);
	});

	it('tells a tab that closed nothing more, and stops the repository when the last tab closes', async () => {
		const h = host();
		const { background, start, repos, stopped } = h;
		const { first, second, handle } = await twoTabsFollowing(h);

		first.say({ type: 'close' });
		await until(() => first.closed);
		handle.change((doc) => (doc.title = 'Wandelgroep'));
		await until(() => second.titles().length === 2);
		expect(first.titles()).toEqual(['Koffieochtend']);
		expect(stopped).toEqual([]);

		second.say({ type: 'close' });
		await until(() => stopped.length === 1);
		// A tab that opens later starts afresh.
		const third = new TabPort();
		background.serve(third);
		third.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 2);
		expect(start).toHaveBeenCalledTimes(2);
	});

	it('gives a tab of another neighbourhood a repository of its own', async () => {
		const { background, repos } = host();
		const [first, second] = [new TabPort(), new TabPort()];
		background.serve(first);
		background.serve(second);
		first.say({ type: 'start', target: target('automerge:root1') });
		second.say({ type: 'start', target: target('automerge:root2') });
		await until(() => repos.length === 2);
	});

	it('sends a large view in pieces, in order, each in a message of its own, also to a tab that asks later', async () => {
		const h = host();
		const [first] = await openTabs(h, 1);
		const handle = h.repos[0]!.create({ title: 'Koffieochtend | Wandelgroep | Bingo' });
		first!.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => first!.titles().length === 3);
		const pieces = (tab: TabPort) => tab.received.flatMap((m) => (m.type === 'part' ? [[m.view, m.piece]] : []));
		expect(pieces(first!)).toEqual([
			['Koffieochtend', { index: 0, count: 3 }],
			['Wandelgroep', { index: 1, count: 3 }],
			['Bingo', { index: 2, count: 3 }]
		]);

		const later = new TabPort();
		h.background.serve(later);
		later.say({ type: 'start', target: target('automerge:root1') });
		later.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => later.titles().length === 3);
		expect(pieces(later)).toEqual(pieces(first!));
		// A view of one piece is one part, as before.
		handle.change((doc) => (doc.title = 'Koffieochtend'));
		await until(() => later.titles().length === 4);
		expect(later.received.at(-1)).toEqual({ type: 'part', module: 'agenda', url: handle.url, view: 'Koffieochtend' });
	});

	it('tells a tab that holds a document only that it is here and what it covers, until the tab asks for it', async () => {
		const h = host();
		const [holds, shows] = await openTabs(h, 2);
		const handle = h.repos[0]!.create({ title: 'Bingo 2018-05-04 | Koor 2018-09-12' });
		holds!.say({ type: 'read', module: 'agenda', urls: [handle.url], hold: true });
		shows!.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => holds!.received.length === 1 && shows!.titles().length === 2);
		expect(holds!.received).toEqual([{ type: 'held', module: 'agenda', url: handle.url, span: { from: '2018-05-04', to: '2018-09-12' } }]);

		// A change: what it covers now, not the view.
		handle.change((doc) => (doc.title = 'Bingo 2018-05-04 | Koor 2018-12-01'));
		await until(() => holds!.received.length === 2 && shows!.titles().length === 4);
		expect(holds!.received[1]).toEqual({ type: 'held', module: 'agenda', url: handle.url, span: { from: '2018-05-04', to: '2018-12-01' } });
		expect(holds!.titles()).toEqual([]);

		// Asked for: the view now, in its pieces, and after every change.
		holds!.say({ type: 'show', module: 'agenda', urls: [handle.url] });
		await until(() => holds!.titles().length === 2);
		expect(holds!.titles()).toEqual(['Bingo 2018-05-04', 'Koor 2018-12-01']);
		handle.change((doc) => (doc.title = 'Bingo 2018-05-04'));
		await until(() => holds!.titles().length === 3);
		expect(holds!.received.filter((m) => m.type === 'held')).toHaveLength(2);
		// Asking twice sends it once.
		holds!.say({ type: 'show', module: 'agenda', urls: [handle.url] });
		const later = h.repos[0]!.create({ title: 'Wandelgroep 2019-01-02' });
		holds!.say({ type: 'read', module: 'agenda', urls: [later.url], hold: true });
		await until(() => holds!.received.some((m) => m.type === 'held' && m.url === later.url));
		expect(holds!.titles()).toHaveLength(3);
	});

	it('sends a tab that asks for a time only what covers it, saying what the whole covers, until the tab asks for the whole', async () => {
		const h = host();
		const [part, whole] = await openTabs(h, 2);
		const year = h.repos[0]!.create({ title: 'Bingo 2026-03-04 | Koor 2026-12-02' });
		const within = { from: '2026-11-28', to: '9999-12-31' };
		part!.say({ type: 'read', module: 'agenda', urls: [year.url], within });
		whole!.say({ type: 'read', module: 'agenda', urls: [year.url] });
		await until(() => part!.titles().length === 1 && whole!.titles().length === 2);
		const covers = { from: '2026-03-04', to: '2026-12-02' };
		expect(part!.received).toEqual([{ type: 'part', module: 'agenda', url: year.url, view: 'Koor 2026-12-02', covers }]);

		// After a change, again only what covers that time.
		year.change((doc) => (doc.title = 'Bingo 2026-03-04 | Koor 2026-12-02 | Kerstmarkt 2026-12-19'));
		await until(() => part!.titles().length === 3 && whole!.titles().length === 5);
		expect(part!.received.slice(1)).toEqual(
			['Koor 2026-12-02', 'Kerstmarkt 2026-12-19'].map((view, index) => ({ type: 'part', module: 'agenda', url: year.url, view, piece: { index, count: 2 }, covers: { from: '2026-03-04', to: '2026-12-19' } }))
		);

		// Asked for the whole: all of it, now and after every change; asked twice, sent once.
		part!.say({ type: 'show', module: 'agenda', urls: [year.url] });
		part!.say({ type: 'show', module: 'agenda', urls: [year.url] });
		await until(() => part!.titles().length === 6);
		expect(part!.titles().slice(3)).toEqual(['Bingo 2026-03-04', 'Koor 2026-12-02', 'Kerstmarkt 2026-12-19']);
		year.change((doc) => (doc.title = 'Bingo 2026-03-04'));
		await until(() => part!.titles().length === 7);
		expect(part!.received.at(-1)).toEqual({ type: 'part', module: 'agenda', url: year.url, view: 'Bingo 2026-03-04' });

		// A document all within that time comes whole, as it is.
		const next = h.repos[0]!.create({ title: 'Nieuwjaarsborrel 2027-01-04' });
		part!.say({ type: 'read', module: 'agenda', urls: [next.url], within });
		await until(() => part!.received.some((m) => m.type === 'part' && m.url === next.url));
		expect(part!.received.at(-1)).toEqual({ type: 'part', module: 'agenda', url: next.url, view: 'Nieuwjaarsborrel 2027-01-04' });
		expect(whole!.received.every((m) => m.type !== 'part' || m.covers === undefined)).toBe(true);
	});

	it('cuts no view into pieces while the only tab that follows the document holds it', async () => {
		const h = host();
		const [holds] = await openTabs(h, 1);
		const handle = h.repos[0]!.create({ title: 'Bingo 2018-05-04 | Koor 2018-09-12' });
		holds!.say({ type: 'read', module: 'agenda', urls: [handle.url], hold: true });
		await until(() => holds!.received.length === 1);
		handle.change((doc) => (doc.title = 'Bingo 2018-05-04 | Koor 2018-12-01'));
		await until(() => holds!.received.length === 2);
		expect(h.cut.views).toBe(0);
		holds!.say({ type: 'show', module: 'agenda', urls: [handle.url] });
		await until(() => holds!.titles().length === 2);
		expect(h.cut.views).toBe(1);
	});

	it('tells a tab that asks later what is there now', async () => {
		const h = host();
		const { background, repos } = h;
		const [first] = await openTabs(h, 1);
		const second = new TabPort();
		const handle = repos[0]!.create({ title: 'Koffieochtend' });
		first.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => first.titles().length === 1);
		handle.change((doc) => (doc.title = 'Wandelgroep'));
		await until(() => first.titles().length === 2);

		background.serve(second);
		second.say({ type: 'start', target: target('automerge:root1') });
		second.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => second.titles().length === 1);
		expect(second.titles()).toEqual(['Wandelgroep']);
	});

	it("runs a tab's action on the document, and tells every tab of it and of whether the relay has it", async () => {
		const h = host();
		const { first, second, handle } = await twoTabsFollowing(h);

		first.say({ type: 'act', id: 7, module: 'agenda', url: handle.url, action: 'rename', args: ['Wandelgroep'] });
		await until(() => first.received.some((m) => m.type === 'acted'));
		expect(first.received.find((m) => m.type === 'acted')).toEqual({ type: 'acted', id: 7, result: 'nu Wandelgroep' });
		expect(handle.doc().title).toBe('Wandelgroep');
		await until(() => second.titles().at(-1) === 'Wandelgroep');
		// Not on the relay yet: both tabs' status lines wait, until it is.
		for (const port of [first, second]) expect(port.received).toContainEqual({ type: 'unshared', count: 1 });
		h.relay.has = true;
		for (const port of [first, second]) await until(() => port.received.some((m) => m.type === 'unshared' && m.count === 0));
	});

	it('tells every tab what an action did before it answers the tab that asked', async () => {
		const h = host();
		const { first, second, handle } = await twoTabsFollowing(h);

		first.say({ type: 'act', id: 8, module: 'agenda', url: handle.url, action: 'rename', args: ['Wandelgroep'] });
		await until(() => first.received.some((m) => m.type === 'acted'));
		const answer = first.received.findIndex((m) => m.type === 'acted');
		const told = first.received.findIndex((m) => m.type === 'part' && m.view === 'Wandelgroep');
		expect(told).toBeGreaterThan(-1);
		expect(told).toBeLessThan(answer);
		expect(second.titles()).toEqual(['Koffieochtend', 'Wandelgroep']);
		// Told once: the change is not read and sent again after the burst's wait.
		await new Promise((resolve) => setTimeout(resolve, 120));
		expect(first.titles()).toEqual(['Koffieochtend', 'Wandelgroep']);
	});

	it('answers an action it ran though the device could not store it, so the page does not run it again', async () => {
		const h = host();
		const { first, handle } = await twoTabsFollowing(h);
		h.repos[0]!.flush = () => Promise.reject(new Error('QuotaExceededError'));

		first.say({ type: 'act', id: 9, module: 'agenda', url: handle.url, action: 'rename', args: ['Wandelgroep'] });
		await until(() => first.received.some((m) => m.type === 'acted'));
		expect(first.received.find((m) => m.type === 'acted')).toEqual({ type: 'acted', id: 9, result: 'nu Wandelgroep' });
		expect(first.titles().at(-1)).toBe('Wandelgroep');
	});

	it('keeps a connection to every relay a tab says the neighbourhood has, so what changes here reaches them all', async () => {
		const h = host();
		const [tab] = await openTabs(h, 1);
		tab!.say({ type: 'relays', relays: ['wss://relay.example/sync', 'wss://tweede.example/sync'] });
		await until(() => h.reaching.length === 1);
		expect(h.reaching).toEqual([['wss://relay.example/sync', 'wss://tweede.example/sync']]);
	});

	it('answers an action it cannot run as failed, and changes nothing', async () => {
		const { background, repos } = host();
		const tab = new TabPort();
		background.serve(tab);
		tab.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 1);
		const handle = repos[0]!.create({ title: 'Koffieochtend' });
		tab.say({ type: 'act', id: 1, module: 'agenda', url: handle.url, action: 'erase', args: [] });
		await until(() => tab.received.some((m) => m.type === 'acted'));
		expect(tab.received.find((m) => m.type === 'acted')).toEqual({ type: 'acted', id: 1, failed: true });
		expect(handle.doc().title).toBe('Koffieochtend');
	});

	it('says a document not here is lacking while no relay is reached (offline), on its way again once one is, and lacking when it says so', async () => {
		const { background, repos, relay } = host();
		const tab = new TabPort();
		background.serve(tab);
		tab.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 1);
		const missing = generateAutomergeUrl();
		tab.say({ type: 'read', module: 'agenda', urls: [missing] });
		await until(() => tab.received.length === 1);
		expect(tab.received).toEqual([{ type: 'lacking', module: 'agenda', url: missing, offline: true }]);

		relay.reached = true;
		relay.changed.forEach((changed) => changed());
		relay.changed.forEach((changed) => changed());
		expect(tab.received.slice(1)).toEqual([{ type: 'coming', module: 'agenda', url: missing }]);
		// The relay says it does not have it either: lacking, with a relay reached.
		relay.lacks = true;
		relay.changed.forEach((changed) => changed());
		expect(tab.received.slice(2)).toEqual([{ type: 'lacking', module: 'agenda', url: missing }]);
		// The line drops: lacking still, now because no relay is reached.
		relay.reached = false;
		relay.changed.forEach((changed) => changed());
		expect(tab.received.slice(3)).toEqual([{ type: 'lacking', module: 'agenda', url: missing, offline: true }]);
	});
});
