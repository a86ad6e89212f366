// Backup and restore of a relay holding the ten-year help board (40 quarterly documents): time of
// each, and the backup's size against the data folder's. The quarters are stored as a relay stores
// them after a day of use: a snapshot plus incremental chunks, which the backup compacts into one.
// Run: npx tsx bench/backup.ts [--scale 1] [--seed 20261128] [--workers 2]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo/slim';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBackup } from '../relay/backup.ts';
import { Registry } from '../relay/registry.ts';
import { restoreBackup } from '../relay/restore.ts';
import { documentFolder, snapshotName } from '../relay/stored-document.ts';
import { benchArgs } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';

const bytesUnder = (folder: string): number =>
	readdirSync(folder, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? bytesUnder(join(folder, e.name)) : statSync(join(folder, e.name)).size), 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const args = benchArgs();
let t = performance.now();
const generated = await generateParallel(args.seed, args.scale, args.workers);
console.log(`generated ${generated.counts.posts} posts, ${generated.counts.responses} responses, ${generated.counts.changes} changes in ${Math.round(performance.now() - t)} ms`);

const data = mkdtempSync(join(tmpdir(), 'noaber-bench-backup-'));
const registry = new Registry(data);
const ids: string[] = [];
for (const period of generated.periods) {
	const id = parseAutomergeUrl(generateAutomergeUrl()).documentId;
	ids.push(id);
	const doc = A.load(period.bytes);
	// The last ten changes as separate incremental chunks, the rest as the snapshot.
	const changes = A.getAllChanges(doc);
	const [early] = A.applyChanges(A.init(), changes.slice(0, -10));
	const folder = documentFolder(join(data, 'documents'), id);
	mkdirSync(join(folder, 'snapshot'), { recursive: true });
	mkdirSync(join(folder, 'incremental'), { recursive: true });
	writeFileSync(join(folder, 'snapshot', snapshotName(A.getHeads(early))), A.save(early));
	changes.slice(-10).forEach((change, i) => writeFileSync(join(folder, 'incremental', String(i)), change));
}
const root = parseAutomergeUrl(generateAutomergeUrl()).documentId;
registry.add({ id: 'benchbuurt0001', name: 'Benchbuurt', root: `automerge:${root}`, documents: ids });

const backups = mkdtempSync(join(tmpdir(), 'noaber-bench-backups-'));
t = performance.now();
const made = await makeBackup({ data, dir: backups });
const backupMs = performance.now() - t;
t = performance.now();
const restored = await restoreBackup({ backup: made.folder, data: join(mkdtempSync(join(tmpdir(), 'noaber-bench-restore-')), 'data') });
const restoreMs = performance.now() - t;
console.log(`data folder ${mb(bytesUnder(data))}, backup ${mb(bytesUnder(made.folder))} (${made.manifest.documents.length} documents)`);
console.log(`backup ${Math.round(backupMs)} ms, restore with verification ${Math.round(restoreMs)} ms, mismatches: ${restored.mismatches.length}`);
