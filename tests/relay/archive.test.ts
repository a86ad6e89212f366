// `noaber export` on one relay's data folder, `noaber import` into another: the neighbourhood comes
// back with the same document ids and history, its devices' credentials keep working, editing goes
// on, importing twice changes nothing, a damaged file changes nothing, and importing into a relay
// that holds newer changes loses none of them.
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AccessBook } from '../../relay/access-book.ts';
import { main } from '../../relay/cli.ts';
import { Registry } from '../../relay/registry.ts';
import { writeJsonFile } from '../../relay/json-file.ts';
import { readStored } from '../../relay/stored-document.ts';
import { readArchive } from '../../src/lib/archive/read.ts';
import type { Manifest } from '../../src/lib/archive/format.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import { blankPost, createPost } from '../../src/lib/help/mutations.ts';
import { readPosts } from '../../src/lib/help/view.ts';
import { rewriteHistory } from '../../src/lib/erase/rewrite.ts';
import { listedDocuments } from '../../src/lib/neighbourhood/documents.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { ANNA, fillNeighbourhood } from '../fixtures/archive-neighbourhood.ts';
import { client, eventually, find, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';
import { newMember } from './members.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

async function noaber(data: string, ...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) }, { NOABER_DATA: data });
	return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.at(-1)!) };
}

/** Every file under the folder with its mode and a hash of its bytes: equal only when nothing changed. */
function snapshot(folder: string): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) {
				files[`${relative(folder, path)}/`] = statSync(path).mode.toString(8);
				walk(path);
			} else files[relative(folder, path)] = `${statSync(path).mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
		}
	};
	walk(folder);
	return files;
}

/** A neighbourhood made with `noaber create`, a manager with a device, and content made through the domain modules. */
async function madeWithCreate(data: string) {
	const created = await noaber(data, 'create', 'Lindenbuurt', '--json');
	expect(created.code).toBe(0);
	const { id, root } = created.json() as { id: string; root: string };
	const anna = newMember(new AccessBook(data), id, { name: 'Anna Jansen', roles: ['manager'] });
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	await fillNeighbourhood(repo, root);
	// What the relay records as members bring new documents.
	const registry = new Registry(data);
	const rootHandle = await repo.find<RootDoc>(root as AutomergeUrl);
	for (const url of listedDocuments(rootHandle.doc())) registry.claim(url, id);
	const quarter = Object.keys(rootHandle.doc().docs.help)[0];
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	return { id, root, anna, quarter };
}

const titlesIn = (doc: unknown, url: string) => readPosts([{ url, doc }]).items.map((p) => p.title);

async function manifestOf(file: string): Promise<Manifest> {
	const read = await readArchive(readFileSync(file));
	if (!read.ok) throw new Error(read.reason);
	return read.archive.manifest;
}

describe('moving a neighbourhood to another relay with export and import', () => {
	it('the new relay serves the same documents and history, the old credentials work, editing goes on; a second import changes nothing', async () => {
		const from = tempDir();
		const to = tempDir();
		const n = await madeWithCreate(from);
		// An erasure happened here once: its record (hashes, no content) and the managers' period move along.
		const erasures = { eraseAfterMonths: 6, records: [{ document: n.quarter.replace('automerge:', ''), at: '2026-11-20T10:00:00.000Z', first: ['ab'.repeat(32)] }] };
		writeJsonFile(join(from, 'erasures', `${n.id}.json`), erasures);
		const file = join(tempDir('noaber-export-'), 'linden.noaber.zip');
		const exported = await noaber(from, 'export', 'Lindenbuurt', '--out', file, '--with-access');
		expect(exported.code).toBe(0);
		expect(exported.out).toContain(`Export: ${file}`);
		expect(exported.out).toContain('keep this file like a backup');
		const manifest = await manifestOf(file);
		expect(manifest.withAccess).toBe(true);
		expect(manifest.documents.length).toBeGreaterThanOrEqual(5);
		// Hashes only: the device's secret is nowhere in the file.
		expect(Buffer.from(readFileSync(file)).includes(n.anna.credential)).toBe(false);

		const imported = await noaber(to, 'import', file);
		expect(imported.code, imported.err).toBe(0);
		expect(imported.out).toContain('Buurt / neighbourhood: Lindenbuurt');
		expect(imported.out).toContain(`${manifest.documents.length} nieuw / new`);
		expect(JSON.parse(readFileSync(join(to, 'erasures', `${n.id}.json`), 'utf8'))).toEqual(erasures);
		const before = snapshot(to);
		const again = await noaber(to, 'import', file);
		expect(again.code).toBe(0);
		expect(again.out).toContain('Al aanwezig / already up to date');
		expect(snapshot(to)).toEqual(before);

		relay = await startTestRelay({ data: to });
		const anna = client(relay, n.anna.credential);
		repos.push(anna);
		for (const entry of manifest.documents) {
			const handle = await find<unknown>(anna, `automerge:${entry.id}`);
			const doc = await eventually(() => (handle.isReady() ? handle.doc() : undefined), (d) => d !== undefined && A.getHeads(d as A.Doc<unknown>).length > 0);
			expect([...A.getHeads(doc as A.Doc<unknown>)].sort(), entry.id).toEqual(entry.heads);
			expect(A.getAllChanges(doc as A.Doc<unknown>).length).toBe(entry.changes);
		}
		const quarter = await find<HelpDoc>(anna, n.quarter);
		expect(titlesIn(quarter.doc(), n.quarter)).toContain('Hulp met de vuilnisbak');
		createPost(quarter, { ...blankPost('request'), category: 'klussen', title: 'Na de verhuizing' }, { memberId: ANNA });
		const onRelay = await find<HelpDoc>(relay.repo, n.quarter);
		await eventually(() => titlesIn(onRelay.doc(), n.quarter), (titles) => titles.includes('Na de verhuizing'));
	}, 60_000);

	it('a damaged, truncated or wrong-version file is refused in Dutch and English and leaves the data folder byte for byte as it was', async () => {
		const from = tempDir();
		const to = tempDir();
		await madeWithCreate(from);
		const file = join(tempDir('noaber-export-'), 'linden.noaber.zip');
		expect((await noaber(from, 'export', 'Lindenbuurt', '--out', file)).code).toBe(0);
		const good = readFileSync(file);
		const flipped = Buffer.from(good);
		// A byte inside the first stored document.
		flipped[good.indexOf(Buffer.from('.automerge')) + 40] ^= 0x20;
		const files = unzipSync(good);
		const manifest = JSON.parse(strFromU8(files['manifest.json'])) as Manifest;
		const newer = zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 2 })) });
		const cases: Array<[string, Uint8Array, RegExp]> = [
			['flipped', flipped, /^Geweigerd: .+\nRefused: /],
			['truncated', good.subarray(0, good.length - 200), /niet compleet[\s\S]*not complete/],
			['newer', newer, /nieuwere Noaber[\s\S]*newer Noaber/]
		];
		// Into a fresh data folder, and into one that already holds the neighbourhood.
		expect((await noaber(to, 'import', file)).code).toBe(0);
		const fresh = tempDir();
		for (const [name, bytes, message] of cases) {
			const bad = join(tempDir('noaber-export-'), `${name}.noaber.zip`);
			writeFileSync(bad, bytes);
			for (const target of [fresh, to]) {
				const before = snapshot(target);
				const refused = await noaber(target, 'import', bad);
				expect(refused.code, name).toBe(1);
				expect(refused.err, name).toMatch(message);
				expect(snapshot(target), name).toEqual(before);
			}
		}
		expect(snapshot(fresh)).toEqual({});
	}, 60_000);

	it('importing into a relay that has newer changes merges: nothing stored there is lost', async () => {
		const here = tempDir();
		const there = tempDir();
		const n = await madeWithCreate(here);
		const file = join(tempDir('noaber-export-'), 'linden.noaber.zip');
		expect((await noaber(here, 'export', n.id, '--out', file, '--with-access')).code).toBe(0);
		expect((await noaber(there, 'import', file)).code).toBe(0);
		// Each side goes on: a post only here, another only there.
		const write = async (data: string, title: string) => {
			const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
			const quarter = await repo.find<HelpDoc>(n.quarter as AutomergeUrl);
			createPost(quarter, { ...blankPost('request'), category: 'klussen', title }, { memberId: ANNA });
			await repo.flush();
			await repo.shutdown().catch(() => undefined);
		};
		await write(here, 'Alleen hier');
		await write(there, 'Alleen daar');
		const back = join(tempDir('noaber-export-'), 'back.noaber.zip');
		expect((await noaber(there, 'export', n.id, '--out', back, '--with-access')).code).toBe(0);
		const merged = await noaber(here, 'import', back, '--json');
		expect(merged.code).toBe(0);
		expect(merged.json()).toMatchObject({ ok: true, created: false, documents: { merged: 1 }, access: 'present', unchanged: false });
		const quarterId = n.quarter.replace('automerge:', '');
		const stored = await readStored(here, quarterId);
		expect(titlesIn(stored, n.quarter)).toEqual(expect.arrayContaining(['Alleen hier', 'Alleen daar', 'Hulp met de vuilnisbak']));
		// And the same file once more: already there.
		expect((await noaber(here, 'import', back, '--json')).json()).toMatchObject({ ok: true, unchanged: true });

		// An erasure rewrote the quarter's history here since (same actors and sequence numbers, other
		// content): the older file cannot be merged into it, and is refused before anything is written.
		const post = readPosts([{ url: n.quarter, doc: stored }]).items.find((p) => p.title === 'Alleen daar')!;
		const rewritten = rewriteHistory(stored as A.Doc<unknown>, [{ path: ['posts', post.id, 'title'], replace: 'gewist' }]);
		expect(rewritten.gone.length).toBeGreaterThan(0);
		const storage = new NodeFSStorageAdapter(join(here, 'documents'));
		await storage.removeRange([quarterId, 'snapshot']);
		await storage.removeRange([quarterId, 'incremental']);
		await storage.save([quarterId, 'snapshot', 'rewritten'], A.save(rewritten.doc));
		const before = snapshot(here);
		const refused = await noaber(here, 'import', back);
		expect(refused.code).toBe(1);
		expect(refused.err).toMatch(/gegevens van een lid gewist[\s\S]*a member's data was erased/);
		expect(snapshot(here)).toEqual(before);
		expect(titlesIn(await readStored(here, quarterId), n.quarter)).toContain('gewist');
	}, 60_000);
});
