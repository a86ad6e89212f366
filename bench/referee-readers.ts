// The readers of the referee benchmark's fan-out: stock automerge-repo clients, each with its own
// member credential and its own copy of the board, in a process of their own. The parent says
// which change to watch for; this process answers once every reader has it.
//   spawned by bench/referee-fanout.ts, which sends { init } and then { watch } messages over IPC.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { readFileSync } from 'node:fs';
import { doorAdapter, type Door } from '../tests/relay/door.ts';
import { holdDocument } from './held-document.ts';

export interface ReadersInit {
	/** One door per reader: the relay's address with that reader's credential. */
	doors: Door[];
	url: string;
	/** The document as the relay stores it: every reader already holds it. */
	bytesFile: string;
}

export type ToReaders = { init: ReadersInit } | { watch: string; sample: number } | 'stop';
export type FromReaders = 'listening' | { ready: number } | { connected: number } | { seen: number; readers: number };

if (!process.send) throw new Error('Run by bench/referee-fanout.ts');
const send = (message: FromReaders) => process.send!(message);
const repos: Repo[] = [];
const handles: DocHandle<unknown>[] = [];
let watching: { hash: string; sample: number; waiting: Set<DocHandle<unknown>> } | undefined;

function check(handle: DocHandle<unknown>) {
	if (!watching || !watching.waiting.has(handle)) return;
	if (!A.hasHeads(handle.doc() as A.Doc<unknown>, [watching.hash])) return;
	watching.waiting.delete(handle);
	if (watching.waiting.size === 0) {
		send({ seen: watching.sample, readers: handles.length });
		watching = undefined;
	}
}

const RETRY_MS = 3000;

async function start({ doors, url, bytesFile }: ReadersInit) {
	const base = A.load(new Uint8Array(readFileSync(bytesFile)));
	for (const door of doors) {
		// Retried as the app retries (RelaySocket's 3 s). The stock client adapter leaves a socket it
		// gives up on open: with 500 ms, 200 readers connecting at once left about 90 such sockets on
		// the relay that answers each door a little later, counted as memory per idle connection.
		const repo = new Repo({ network: [doorAdapter(door, RETRY_MS)] });
		const handle = holdDocument(repo, url as AutomergeUrl, A.clone(base));
		handle.on('heads-changed', () => check(handle));
		repos.push(repo);
		handles.push(handle);
	}
	let reported = -1;
	for (;;) {
		const connected = repos.filter((repo) => repo.peers.length > 0).length;
		if (connected === repos.length) break;
		if (connected !== reported) send({ connected: (reported = connected) });
		await new Promise((r) => setTimeout(r, 250));
	}
	send({ ready: repos.length });
}

process.on('message', (message: ToReaders) => {
	if (message === 'stop') {
		void Promise.allSettled(repos.map((r) => r.shutdown())).then(() => process.exit(0));
	} else if ('init' in message) {
		void start(message.init);
	} else {
		watching = { hash: message.watch, sample: message.sample, waiting: new Set(handles) };
		for (const handle of handles) check(handle);
	}
});
process.on('disconnect', () => process.exit(0));
// A message sent before this process listens is lost: the parent waits for this one first.
send('listening');
