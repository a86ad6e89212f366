// No client and no network event stops the relay: a phone that announces a document and loses its
// connection used to make the relay exit 60 s later (an unhandled rejection inside automerge-repo
// 2.5.6). Since the relay answers announcements of documents nobody lists without its repo
// (claims.ts), the risk remains for a document the neighbourhood's root already lists and no device
// delivered yet. The relay runs as a child process here, so an unhandled rejection would really kill it.
import { next as A } from '@automerge/automerge';
import type { Repo } from '@automerge/automerge-repo/slim';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Faults, containUnhandledRejections } from '../../relay/faults.ts';
import { createLogger } from '../../relay/log.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { announceAndVanish, listOnRoot, newQuarter, type Quarter } from './announce.ts';
import { createFromShell, startChild, type Child } from './child.ts';
import { client, eventually, find, nameOf, shutdown, tempDir } from './harness.ts';

const children: Child[] = [];
const repos: Repo[] = [];

afterEach(async () => {
	await shutdown(...repos.splice(0));
	for (const { child } of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The document ids the relay recorded for a neighbourhood, as an operator finds them on disk. */
function ownersLog(data: string, neighbourhood: string): string[] {
	try {
		return readFileSync(join(data, 'owners', `${neighbourhood}.log`), 'utf8').split('\n');
	} catch {
		return [];
	}
}

describe('a relay that stays up', () => {
	it('survives a phone that announces a listed document and vanishes, and still syncs everyone', async () => {
		const data = tempDir();
		// Plain documents, no neighbourhood's: the relay's plumbing, not its rules.
		const relay = await startChild(data, { NOABER_SYNC_TIMEOUT_MS: '1000', NOABER_RULES: 'off' });
		children.push(relay);
		const created = await createFromShell(data, relay.port);

		// A document nobody lists is answered as by an empty peer: nothing in the relay waits for it.
		const stray = newQuarter('Niemand kent dit');
		await announceAndVanish(relay.port, created.key, stray.doc, stray.documentId);

		// The phone's app lists its new quarter in the root, and the relay takes the listing...
		const phone = client(relay, created.key);
		repos.push(phone);
		const quarter = newQuarter('Boodschappen voor mevrouw Jansen');
		await listOnRoot(phone, created.root, quarter);
		await eventually(() => ownersLog(data, created.id), (ids) => ids.includes(quarter.documentId));
		// ...then the phone sends the quarter's first sync message and loses its network.
		await announceAndVanish(relay.port, created.key, quarter.doc, quarter.documentId);
		await shutdown(...repos.splice(0));

		// The wait for the document gives up (after 1 s instead of 60 s): contained, logged, counted.
		await eventually(relay.output, (out) => out.includes('"reason":"sync-timeout"'), 15_000);
		expect(relay.output()).toContain(quarter.documentId);
		// The unlisted one, announced first, never reached the repo: no wait, no fault, no claim.
		expect(relay.output()).not.toContain(stray.documentId);
		expect(ownersLog(data, created.id).some((line) => line.includes(stray.documentId))).toBe(false);
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

		// The phone comes back with its network, and its quarter reaches the others after all.
		const back = client(relay, created.key);
		repos.push(back);
		back.import<Quarter>(A.save(quarter.doc), { docId: quarter.documentId });
		const other = client(relay, created.key);
		repos.push(other);
		const post = await eventually(
			async () => {
				const handle = await find<Quarter>(other, quarter.url);
				return handle.isReady() ? handle.doc().posts.first : undefined;
			},
			(text) => text === 'Boodschappen voor mevrouw Jansen',
			15_000
		);
		expect(post).toBe('Boodschappen voor mevrouw Jansen');
		expect(relay.child.exitCode).toBeNull();
		// It stays the neighbourhood's own, for good: the listing decided, not the late delivery.
		expect(ownersLog(data, created.id)).not.toContain(`?${quarter.documentId}`);

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
