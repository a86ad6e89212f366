// No client and no network event stops the relay: a phone that announces a document and loses its
// connection used to make the relay exit 60 s later (an unhandled rejection inside automerge-repo
// 2.5.6). The relay runs as a child process here, so an unhandled rejection would really kill it.
import { next as A } from '@automerge/automerge';
import { generateAutomergeUrl, parseAutomergeUrl, type Repo } from '@automerge/automerge-repo/slim';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Faults, containUnhandledRejections } from '../../relay/faults.ts';
import { createLogger } from '../../relay/log.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { announceAndVanish, type Note } from './announce.ts';
import { createFromShell, startChild, type Child } from './child.ts';
import { client, eventually, find, nameOf, shutdown, tempDir } from './harness.ts';

const children: Child[] = [];
const repos: Repo[] = [];

afterEach(async () => {
	await shutdown(...repos.splice(0));
	for (const { child } of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('a relay that stays up', () => {
	it('survives a phone that announces a document and vanishes, and still syncs everyone', async () => {
		const data = tempDir();
		const relay = await startChild(data, { NOABER_SYNC_TIMEOUT_MS: '1000' });
		children.push(relay);
		const created = await createFromShell(data, relay.port);

		const documentId = parseAutomergeUrl(generateAutomergeUrl()).documentId;
		const doc = A.change(A.init<Note>(), (d) => {
			d.title = 'Boodschappen voor mevrouw Jansen';
		});
		await announceAndVanish(relay.port, created.key, doc, documentId);

		// The wait for the document gives up (after 1 s instead of 60 s): contained, logged, counted.
		await eventually(relay.output, (out) => out.includes('"reason":"sync-timeout"'), 15_000);
		expect(relay.output()).toContain(documentId);
		expect(relay.child.exitCode).toBeNull();
		const health = await fetch(`http://127.0.0.1:${relay.port}/healthz`);
		expect(health.status).toBe(200);
		expect(await health.json()).toMatchObject({ ok: true, neighbourhoods: 1 });

		// Everyone else keeps syncing through it.
		const anna = client(relay, created.key);
		const bert = client(relay, created.key);
		repos.push(anna, bert);
		const root = await find<RootDoc>(anna, created.root);
		expect(nameOf(root.doc())).toBe('Lindenbuurt');
		updateDetails(root, emptyDetails('Lindenbuurt blijft in de lucht'));
		const seen = await find<RootDoc>(bert, created.root);
		await eventually(() => nameOf(seen.doc()), (name) => name === 'Lindenbuurt blijft in de lucht');

		// The phone comes back with its network, and its document reaches the others after all.
		const phone = client(relay, created.key);
		repos.push(phone);
		phone.import<Note>(A.save(doc), { docId: documentId });
		const other = client(relay, created.key);
		repos.push(other);
		const note = await eventually(
			async () => {
				const handle = await find<Note>(other, `automerge:${documentId}`);
				return handle.isReady() ? handle.doc().title : undefined;
			},
			(title) => title === 'Boodschappen voor mevrouw Jansen',
			15_000
		);
		expect(note).toBe('Boodschappen voor mevrouw Jansen');
		expect(relay.child.exitCode).toBeNull();

		await shutdown(...repos.splice(0));
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);
		// The log names the reason, never the document's content.
		expect(relay.output()).not.toContain('mevrouw Jansen');
	}, 45_000);

	it('refuses a sync timeout it cannot honour', async () => {
		const data = tempDir();
		const { execFile } = await import('node:child_process');
		const code = await new Promise<number | null>((resolve) => {
			const run = execFile(process.execPath, ['bin/noaber.js', 'relay'], {
				env: { ...process.env, NOABER_DATA: data, PORT: '0', NOABER_SYNC_TIMEOUT_MS: 'soon' }
			});
			run.on('exit', resolve);
		});
		expect(code).toBe(2);
	});
});

describe('the last line of defence', () => {
	function setup() {
		const lines: string[] = [];
		const log = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
		const faults = new Faults(log);
		const proc = Object.assign(new EventEmitter(), { exit: (code?: number) => void exits.push(code ?? 0) });
		const exits: number[] = [];
		const stop = containUnhandledRejections(log, faults, proc as never);
		return { lines, faults, proc, exits, stop };
	}

	it('counts a rejection from inside automerge-repo instead of stopping', () => {
		const { faults, proc, exits, lines, stop } = setup();
		const error = new Error('withTimeout: timed out after 60000ms');
		error.name = 'TimeoutError';
		error.stack = `TimeoutError: withTimeout: timed out after 60000ms\n    at Timeout._onTimeout (/srv/noaber/node_modules/@automerge/automerge-repo/dist/helpers/withTimeout.js:9:53)`;
		proc.emit('unhandledRejection', error);
		expect(exits).toEqual([]);
		expect(faults.counts['unhandled-rejection']).toBe(1);
		expect(lines.join('')).toContain('"reason":"unhandled-rejection"');
		stop();
		expect(proc.listenerCount('unhandledRejection')).toBe(0);
	});

	it('still stops on a rejection from the relay itself', () => {
		const { faults, proc, exits, lines } = setup();
		proc.emit('unhandledRejection', new Error('a bug in the relay'));
		expect(exits).toEqual([1]);
		expect(faults.total).toBe(0);
		expect(lines.join('')).toContain('unhandled rejection: stopping');
	});
});
