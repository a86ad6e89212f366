// The one-time setup link exists so that a relay without neighbourhoods can get its first: any
// creation uses it up, and once a neighbourhood exists the relay no longer prints one.
import { spawn } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../relay/cli.ts';
import { Registry } from '../../relay/registry.ts';
import { currentSetupToken, issueSetupToken } from '../../relay/setup-token.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { eventually, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
stopAfterEach(() => relay);

const manager = {
	id: 'manager-0001',
	profile: { name: 'Fatima', area: 'Lindenlaan', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' }
};

const setup = (token: string) =>
	fetch(`${relay!.url}/api/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ token, details: emptyDetails('Beukenbuurt'), manager })
	});

const quiet = { log: () => undefined, error: () => undefined };

/** Starts `noaber relay` and returns what it printed once it is ready; then stops it. */
async function printedAtStart(data: string): Promise<string> {
	const child = spawn(process.execPath, ['bin/noaber.js', 'relay'], {
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NOABER_DATA: data, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	// 'close', not 'exit': the last lines may still be in the pipe when the process has exited.
	const exited = new Promise((resolve) => child.once('close', resolve));
	try {
		// "Data: …" is printed right before the setup link, which is written in the same tick.
		await eventually(() => output, (out) => out.includes('Data: '), 15_000);
	} finally {
		child.kill('SIGTERM');
		await exited;
	}
	return output;
}

describe('the one-time setup link', () => {
	it('is used up by a neighbourhood created from the shell, also while the relay runs', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		expect(await main(['create', 'Lindenbuurt'], quiet, { NOABER_DATA: relay.data, NOABER_PUBLIC_URL: relay.url })).toBe(0);
		expect(currentSetupToken(relay.data)).toBeUndefined();
		const refused = await setup(token);
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({ error: 'setup_used' });
		expect(relay.registry.list().map((r) => r.name)).toEqual(['Lindenbuurt']);
	});

	it('is used up by any other creation too', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		await hostNeighbourhood(relay, 'Lindenbuurt');
		expect(currentSetupToken(relay.data)).toBeUndefined();
		expect((await setup(token)).status).toBe(403);
	});

	it('left behind by an older relay after a neighbourhood was created, it is refused', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		const anHourAgo = new Date(Date.now() - 3_600_000);
		utimesSync(join(relay.data, 'setup-token'), anHourAgo, anHourAgo);
		// Written as an older relay's `noaber create` did: without touching the token.
		new Registry(relay.data).add({ id: 'oud-buurt-0001', name: 'Oude buurt', root: 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ', documents: [] });
		expect((await setup(token)).status).toBe(403);
		expect(currentSetupToken(relay.data)).toBeUndefined();

		// One the operator asks for after that (noaber setup-link) creates one more neighbourhood, once.
		const fresh = issueSetupToken(relay.data);
		expect((await setup(fresh)).status).toBe(201);
		expect((await setup(fresh)).status).toBe(403);
	});

	it('is printed at start only while the relay has no neighbourhood', async () => {
		const data = tempDir();
		const first = await printedAtStart(data);
		const link = /\/setup#token=([\w-]{20,})/.exec(first)?.[1];
		expect(link).toBeDefined();

		expect(await main(['create', 'Lindenbuurt'], quiet, { NOABER_DATA: data })).toBe(0);
		const later = await printedAtStart(data);
		expect(later).toContain('Noaber draait / is running');
		expect(later).not.toContain('setup#token=');
		expect(later).not.toContain(link);

		// Also when the operator issued a link meanwhile: it was printed where they asked for it.
		expect(await main(['setup-link'], quiet, { NOABER_DATA: data })).toBe(0);
		expect(await printedAtStart(data)).not.toContain('setup#token=');
	}, 40_000);
});
