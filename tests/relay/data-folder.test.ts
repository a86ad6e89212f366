// Only the relay's user can read the data folder: residents' names, streets and phones, and the
// member keys, are in it. Also when the folder already existed with looser modes.
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { client, eventually, find, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

const run = promisify(execFile);
let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

interface Entry {
	path: string;
	folder: boolean;
	mode: string;
}

function tree(root: string): Entry[] {
	const entries: Entry[] = [{ path: root, folder: true, mode: (statSync(root).mode & 0o777).toString(8) }];
	for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
		const path = join(entry.parentPath, entry.name);
		entries.push({ path, folder: entry.isDirectory(), mode: (statSync(path).mode & 0o777).toString(8) });
	}
	return entries;
}

const loose = (entries: Entry[]) => entries.filter((e) => e.mode !== (e.folder ? '700' : '600'));

describe('the data folder', () => {
	it('is made private at start when it was readable by others, and stays private as members sync', async () => {
		const data = tempDir();
		relay = await startTestRelay({ data });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		await relay.close();
		// As an older relay (or an unpacked backup) left it.
		for (const entry of tree(data)) chmodSync(entry.path, entry.folder ? 0o755 : 0o644);
		process.umask(0o022);
		const before = tree(data);
		expect(before.filter((e) => !e.folder).length).toBeGreaterThan(3);

		relay = await startTestRelay({ data });
		expect(relay.logs.join('')).toContain(`"fixed":${before.length}`);
		expect(loose(tree(data))).toEqual([]);

		const anna = client(relay, hosted.key);
		repos.push(anna);
		await find<RootDoc>(anna, hosted.root);
		const created = anna.create<{ note: string }>({ note: 'Mevrouw Jansen, Lindenlaan 4, 06 1234 5678' });
		// The relay has stored the new document: a folder and file of its own in documents/.
		const after = await eventually(
			() => tree(data),
			(entries) => entries.some((e) => !e.folder && e.path.includes(created.documentId.slice(2)))
		);
		expect(loose(after)).toEqual([]);
	});

	it('is private when `noaber create` makes it, whatever the shell umask', async () => {
		const data = join(tempDir(), 'nieuw');
		await run('sh', ['-c', 'umask 022 && exec "$0" bin/noaber.js create Lindenbuurt', process.execPath], {
			env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: 'https://buurt.example.nl' }
		});
		const entries = tree(data);
		expect(entries.some((e) => e.path.includes('documents') && !e.folder)).toBe(true);
		expect(loose(entries)).toEqual([]);
	});
});
