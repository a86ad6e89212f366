import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it, vi } from 'vitest';
import { BackgroundHost, type Port, type Started, type Starter } from './background-repo.ts';
import type { BackgroundTarget, FromBackground, ToBackground } from './background-messages.ts';

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

const target = (root: string): BackgroundTarget => ({ root, relay: 'wss://relay.example', key: 'k1', wasm: '' });

function host() {
	const repos: Repo[] = [];
	const stopped: Repo[] = [];
	const start: Starter = vi.fn(async () => {
		const repo = new Repo({ network: [] });
		repos.push(repo);
		return {
			repo,
			ready: Promise.resolve(),
			follow: () => undefined,
			checkErasures: () => undefined,
			stop: async () => void stopped.push(repo)
		} satisfies Started;
	});
	const background = new BackgroundHost({ agenda: (_url, doc) => (doc as { title: string }).title }, start);
	return { background, start, repos, stopped };
}

/** Waits until the condition holds: the worker answers over several turns. */
async function until(condition: () => boolean) {
	await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 2000, interval: 5 });
}

describe('the documents worker shared by tabs', () => {
	it('gives two tabs of one neighbourhood one repository, and tells both of every change', async () => {
		const { background, start, repos } = host();
		const [first, second] = [new TabPort(), new TabPort()];
		background.serve(first);
		background.serve(second);
		first.say({ type: 'start', target: target('automerge:root1') });
		second.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 1);
		const handle = repos[0]!.create({ title: 'Koffieochtend' });
		first.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		second.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => first.titles().length === 1 && second.titles().length === 1);
		expect([first.titles(), second.titles()]).toEqual([['Koffieochtend'], ['Koffieochtend']]);

		handle.change((doc) => (doc.title = 'Wandelgroep'));
		await until(() => first.titles().length === 2 && second.titles().length === 2);
		expect([first.titles()[1], second.titles()[1]]).toEqual(['Wandelgroep', 'Wandelgroep']);
		expect(start).toHaveBeenCalledTimes(1);
	});

	it('tells a tab that closed nothing more, and stops the repository when the last tab closes', async () => {
		const { background, start, repos, stopped } = host();
		const [first, second] = [new TabPort(), new TabPort()];
		background.serve(first);
		background.serve(second);
		first.say({ type: 'start', target: target('automerge:root1') });
		second.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 1);
		const handle = repos[0]!.create({ title: 'Koffieochtend' });
		for (const port of [first, second]) port.say({ type: 'read', module: 'agenda', urls: [handle.url] });
		await until(() => first.titles().length === 1 && second.titles().length === 1);

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

	it('tells a tab that asks later what is there now', async () => {
		const { background, repos } = host();
		const [first, second] = [new TabPort(), new TabPort()];
		background.serve(first);
		first.say({ type: 'start', target: target('automerge:root1') });
		await until(() => repos.length === 1);
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
});
