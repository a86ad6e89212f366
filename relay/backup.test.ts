// `noaber backup` and `noaber restore` as the operator types them (in-process), on a data folder
// made by `noaber create`.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { sha256, type Manifest } from './backup-manifest.ts';
import { verifyRestored } from './restore.ts';
import { documentFolder, readStoredDocument, UnreadableDocument } from './stored-document.ts';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `noaber-${prefix}-`));

async function run(argv: string[], data?: string) {
	const lines: string[] = [];
	const errors: string[] = [];
	const code = await main(argv, { log: (l) => lines.push(l), error: (l) => errors.push(l) }, data ? { NOABER_DATA: data } : {});
	return { code, out: lines.join('\n'), err: errors.join('\n'), last: lines.at(-1) ?? '' };
}

/** A data folder as a relay leaves it: one neighbourhood, plus what a backup must leave out. */
async function dataFolder() {
	const data = temp('data');
	const created = await run(['create', 'Lindenbuurt', '--json'], data);
	expect(created.code).toBe(0);
	const { id, root } = JSON.parse(created.last) as { id: string; root: string };
	const rootId = root.replace('automerge:', '');
	// What a running relay adds (push keys, the unsubscribe key, the change log), and what a backup leaves out.
	mkdirSync(join(data, 'push'));
	writeFileSync(join(data, 'push', 'vapid.json'), '{"publicKey":"p","privateKey":"k"}\n');
	mkdirSync(join(data, 'mail'));
	writeFileSync(join(data, 'mail', 'unsubscribe.key'), 'key');
	mkdirSync(join(data, 'changes', id), { recursive: true });
	writeFileSync(join(data, 'changes', id, '2026-12-01.jsonl'), '{"at":1}\n{"at":2}\n');
	writeFileSync(join(data, 'setup-token'), 'one-use-secret\n');
	writeFileSync(join(data, 'access', `${id}.json.1234.tmp`), '{"half');
	mkdirSync(join(data, 'documents', '.partial'), { recursive: true });
	writeFileSync(join(data, 'documents', '.partial', 'abc'), 'half a chunk');
	mkdirSync(join(documentFolder(join(data, 'documents'), rootId), 'sync-state'), { recursive: true });
	writeFileSync(join(documentFolder(join(data, 'documents'), rootId), 'sync-state', 'peer'), 'x');
	// An owner line being appended at the moment of the backup.
	appendFileSync(join(data, 'owners', `${id}.log`), '4NMNnkrGWvZ');
	return { data, id, rootId };
}

const backupIn = async (data: string, dir: string, extra: string[] = []) => {
	const made = await run(['backup', dir, '--json', ...extra], data);
	expect(made.err).toBe('');
	expect(made.code).toBe(0);
	return JSON.parse(made.last) as { folder: string; documents: number; neighbourhoods: number; removed: string[] };
};

const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Manifest;

describe('noaber backup', () => {
	it('makes a private folder that is itself a data folder, without one-use and temporary files', async () => {
		const { data, id, rootId } = await dataFolder();
		const dir = temp('backups');
		const made = await backupIn(data, dir);
		expect(made.folder).toMatch(/noaber-\d{8}-\d{6}$/);
		expect(made).toMatchObject({ neighbourhoods: 1, documents: 3 });
		expect(statSync(made.folder).mode & 0o777).toBe(0o700);
		const manifest = manifestOf(made.folder);
		const paths = manifest.files.map((f) => f.path);
		expect(paths).toEqual(expect.arrayContaining([`neighbourhoods/${id}.json`, `owners/${id}.log`, `access/${id}.json`, 'push/vapid.json', 'mail/unsubscribe.key', `changes/${id}/2026-12-01.jsonl`]));
		expect(statSync(join(made.folder, `access/${id}.json`)).mode & 0o777).toBe(0o600);
		expect(paths.some((p) => p.includes('setup-token') || p.endsWith('.tmp') || p.includes('.partial'))).toBe(false);
		expect(existsSync(join(documentFolder(join(made.folder, 'documents'), rootId), 'sync-state'))).toBe(false);
		expect(existsSync(join(made.folder, 'documents', 'st'))).toBe(false);
		// The half-written owner line is left for the next backup.
		expect(readFileSync(join(made.folder, `owners/${id}.log`), 'utf8').endsWith('\n')).toBe(true);
		// Each document is one snapshot with the heads of the original.
		const original = (await readStoredDocument(join(data, 'documents'), rootId))!;
		const entry = manifest.documents.find((d) => d.id === rootId)!;
		expect(entry.heads).toEqual([...A.getHeads(original)].sort());
		expect(readdirSync(join(documentFolder(join(made.folder, 'documents'), rootId), 'snapshot'))).toHaveLength(1);
	});

	it('--keep deletes only the oldest of its own backups', async () => {
		const { data } = await dataFolder();
		const dir = temp('backups');
		const first = await backupIn(data, dir);
		// Three older backups of its own, and things in the same folder that are not its backups.
		for (const name of ['noaber-20240101-020000', 'noaber-20250101-020000', 'noaber-20250101-020000-2']) cpSync(first.folder, join(dir, name), { recursive: true });
		mkdirSync(join(dir, 'noaber-20200101-020000')); // a look-alike without a manifest
		mkdirSync(join(dir, 'photos'));
		writeFileSync(join(dir, 'notes.txt'), 'mine');
		// What a backup killed halfway a year ago left behind.
		mkdirSync(join(dir, '.noaber-20251201-020000.partial'));
		const made = await backupIn(data, dir, ['--keep', '3']);
		expect(made.removed).toEqual(['noaber-20240101-020000', 'noaber-20250101-020000', '.noaber-20251201-020000.partial']);
		const left = readdirSync(dir).sort();
		expect(left).toEqual(['noaber-20200101-020000', 'noaber-20250101-020000-2', first.folder.split('/').at(-1), made.folder.split('/').at(-1), 'notes.txt', 'photos'].sort());
	});

	it('refuses a backup folder inside the data folder, and --keep 0', async () => {
		const { data } = await dataFolder();
		const inside = await run(['backup', join(data, 'backups')], data);
		expect(inside.code).toBe(1);
		expect(inside.err).toContain('may not be inside the data folder');
		const zero = await run(['backup', temp('backups'), '--keep', '0'], data);
		expect(zero.code).toBe(2);
	});
});

describe('noaber restore', () => {
	it('restores into an empty folder and says it verified every document', async () => {
		const { data, id } = await dataFolder();
		const { folder } = await backupIn(data, temp('backups'));
		const target = join(temp('restore'), 'data');
		const restored = await run(['restore', folder, '--data', target]);
		expect(restored.err).toBe('');
		expect(restored.code).toBe(0);
		expect(restored.out).toContain('Lindenbuurt');
		expect(restored.out).toContain('verified: OK');
		expect(statSync(target).mode & 0o777).toBe(0o700);
		// The relay's own view of the restored folder.
		const list = await run(['list', '--json'], target);
		expect(JSON.parse(list.last)).toEqual([expect.objectContaining({ id, name: 'Lindenbuurt' })]);
		const members = await run(['members', id, '--json'], target);
		expect(members.code).toBe(0);
	});

	it('refuses a data folder that is not empty and leaves it as it was', async () => {
		const { data } = await dataFolder();
		const { folder } = await backupIn(data, temp('backups'));
		const before = readdirSync(data).sort();
		const refused = await run(['restore', folder], data);
		expect(refused.code).toBe(1);
		expect(refused.err).toContain('is not empty');
		expect(refused.err).toContain('move it aside');
		expect(refused.err).toContain('niet leeg');
		expect(readdirSync(data).sort()).toEqual(before);
	});

	it('refuses a backup with a flipped byte in a chunk, a missing file or a broken manifest, and writes nothing', async () => {
		const { data, id } = await dataFolder();
		const dir = temp('backups');
		const { folder } = await backupIn(data, dir);
		const manifest = manifestOf(folder);
		const target = join(temp('restore'), 'data');

		const flipped = join(dir, 'flipped');
		cpSync(folder, flipped, { recursive: true });
		const chunk = join(flipped, manifest.documents[0]!.file.path);
		const bytes = readFileSync(chunk);
		bytes[Math.floor(bytes.length / 2)] ^= 0x01;
		writeFileSync(chunk, bytes);
		const damaged = await run(['restore', flipped, '--data', target]);
		expect(damaged.code).toBe(1);
		expect(damaged.err).toContain('damaged or incomplete');
		expect(damaged.err).toContain(`damaged (checksum differs): ${manifest.documents[0]!.file.path}`);
		expect(existsSync(target)).toBe(false);

		const incomplete = join(dir, 'incomplete');
		cpSync(folder, incomplete, { recursive: true });
		rmSync(join(incomplete, `access/${id}.json`));
		const missing = await run(['restore', incomplete, '--data', target]);
		expect(missing.code).toBe(1);
		expect(missing.err).toContain(`missing: access/${id}.json`);
		expect(existsSync(target)).toBe(false);

		const broken = join(dir, 'broken');
		cpSync(folder, broken, { recursive: true });
		writeFileSync(join(broken, 'manifest.json'), readFileSync(join(folder, 'manifest.json'), 'utf8').slice(0, 200));
		const unreadable = await run(['restore', broken, '--data', target]);
		expect(unreadable.code).toBe(1);
		expect(unreadable.err).toContain('manifest.json is not readable JSON');
		expect(existsSync(target)).toBe(false);

		const none = await run(['restore', join(dir, 'nothing-here'), '--data', target]);
		expect(none.code).toBe(1);
		expect(none.err).toContain('No backup in');
	});

	it('reports exactly which document does not match the manifest, with a non-zero exit code', async () => {
		const { data, rootId } = await dataFolder();
		const { folder } = await backupIn(data, temp('backups'));
		// A snapshot that is whole (its checksum fits the manifest) but holds one change more than the
		// manifest says: what a restore that lost or gained something would show.
		const manifest = manifestOf(folder);
		const entry = manifest.documents.find((d) => d.id === rootId)!;
		const doc = A.change(A.load<Record<string, unknown>>(readFileSync(join(folder, entry.file.path))), (d) => void (d.extra = 1));
		const bytes = A.save(doc);
		writeFileSync(join(folder, entry.file.path), bytes);
		entry.file = { ...entry.file, bytes: bytes.length, sha256: sha256(bytes) };
		writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));

		const target = join(temp('restore'), 'data');
		const restored = await run(['restore', folder, '--data', target]);
		expect(restored.code).toBe(1);
		expect(restored.err).toContain('NOT OK: 1 difference');
		expect(restored.err).toContain(`document ${rootId}: back-up / backup ${entry.changes} changes`);
		expect(restored.err).toContain(`restored ${entry.changes + 1} changes`);

		// And the check itself, on a restored folder where a file was changed afterwards.
		writeFileSync(join(target, manifest.files[0]!.path), 'changed');
		expect(await verifyRestored(target, manifest)).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ kind: 'document-differs', id: rootId }),
				{ kind: 'file-differs', path: manifest.files[0]!.path }
			])
		);
	});
});

describe('reading a stored document', () => {
	it('refuses a document whose chunks miss the changes they depend on', async () => {
		const documents = temp('docs');
		const id = '4NMNnkrGWvZhYuLxMxTXzHCcTqWb';
		let doc = A.from<{ n: number }>({ n: 0 });
		const base = A.getHeads(doc);
		doc = A.change(doc, (d) => void (d.n = 1));
		mkdirSync(join(documentFolder(documents, id), 'incremental'), { recursive: true });
		writeFileSync(join(documentFolder(documents, id), 'incremental', 'a'), A.saveSince(doc, base));
		await expect(readStoredDocument(documents, id, 3)).rejects.toThrow(UnreadableDocument);
	});
});
