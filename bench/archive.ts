// Export and import of the ten-year neighbourhood (issue #15): the help board, agenda and social map
// benchmark data together in one relay data folder, then `noaber export --with-access` of it and
// `noaber import` into an empty data folder, measured through the same functions the commands run
// (without the command's start-up of a few seconds). Prints the time of each, the file's size and
// the data folders' sizes. Goal: export and import each under 60 s on this machine.
// Run: npm run bench:archive [-- --scale 0.1 --seed 7 --workers 2 --data <folder from make-board.ts>]
// `--keep <folder>` leaves the seeded data folder there; `--from <folder>` measures one kept before
// (no generating or seeding).
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportNeighbourhood } from '../relay/archive-export.ts';
import { importArchiveFile } from '../relay/archive-import.ts';
import { Registry } from '../relay/registry.ts';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import type { MapDoc } from '../src/lib/map/document.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { addAgendaDoc, addMapDoc } from '../src/lib/neighbourhood/mutations.ts';
import { agendaArgs, generateAgenda } from './generate-agenda.ts';
import { benchArgs, type Generated } from './generate-help.ts';
import { generateMap } from './generate-map.ts';
import { generateParallel } from './generate-parallel.ts';
import { loadGenerated } from './help-files.ts';
import { seedRelay } from './seed-relay.ts';
import { mb, reporter } from './timing.ts';

const { seed, scale, workers, data: saved } = benchArgs();
const factor = scale.posts / 20_000;
const { report, table } = reporter();
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const keep = option('keep');
const kept = option('from');
const ms = (start: number) => Math.round(performance.now() - start);

function folderBytes(folder: string): number {
	let total = 0;
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const path = join(folder, entry.name);
		total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
	}
	return total;
}

let start = performance.now();

/** A data folder with the ten-year neighbourhood: the id of the neighbourhood. */
async function seedFolder(from: string): Promise<string> {
	let generated: Generated;
	if (saved && existsSync(join(saved, 'index.json'))) {
		generated = loadGenerated(saved);
		console.log(`Loaded the board of seed ${generated.seed} from ${saved}`);
	} else {
		console.log(`Generating ${scale.posts} posts and ${scale.responses} responses in ${scale.periods} quarters (seed ${seed}, scale ${factor})…`);
		generated = await generateParallel(seed, scale, workers);
	}
	const agenda = generateAgenda(seed, agendaArgs().scale);
	const map = generateMap(seed, factor);
	report('generate help, agenda, map', `${ms(start)} ms; ${generated.counts.posts} posts, ${agenda.counts.events + agenda.counts.series} events, ${Object.keys(map.services).length} services`);
	start = performance.now();
	const hosted = await seedRelay(from, 'http://localhost:3000', generated);
	// The agenda's years and series, and the social map, into the same neighbourhood.
	const registry = new Registry(from);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(from, 'documents')) });
	const root = await repo.find<RootDoc>(hosted.root as AutomergeUrl);
	for (const { period, bytes } of agenda.documents) {
		const handle = repo.import<AgendaDoc>(bytes);
		registry.claim(handle.documentId, hosted.id);
		addAgendaDoc(root, period, handle.url);
	}
	const mapHandle = repo.import<MapDoc>(A.save(map));
	registry.claim(mapHandle.documentId, hosted.id);
	addMapDoc(root, mapHandle.url);
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	report('seed the data folder', `${ms(start)} ms, ${registry.documentsOf(hosted.id).length} documents`);
	return hosted.id;
}

const from = kept ?? keep ?? mkdtempSync(join(tmpdir(), 'noaber-bench-archive-'));
const to = mkdtempSync(join(tmpdir(), 'noaber-bench-archive-'));
const file = join(mkdtempSync(join(tmpdir(), 'noaber-bench-archive-')), 'tien-jaar.noaber.zip');
try {
	const id = kept ? new Registry(kept).list()[0]!.id : await seedFolder(from);
	const registry = new Registry(from);
	const record = registry.find(id)!;
	start = performance.now();
	const exported = await exportNeighbourhood(from, registry, record, { withAccess: true });
	writeFileSync(file, exported.bytes);
	const exportMs = ms(start);
	report('export (noaber export --with-access)', `${exportMs} ms, ${exported.documents} documents`);
	report('export file', mb(exported.bytes.length));
	report('data folder (documents, registry, access)', mb(folderBytes(from)));

	start = performance.now();
	const imported = await importArchiveFile(to, exported.bytes);
	const importMs = ms(start);
	if (!imported.ok) throw new Error(`import refused: ${imported.reason}`);
	report('import into an empty data folder', `${importMs} ms, ${imported.documents.added} documents`);
	report('data folder after import', mb(folderBytes(to)));
	start = performance.now();
	const again = await importArchiveFile(to, exported.bytes);
	report('the same import again (nothing to do)', `${ms(start)} ms, unchanged: ${again.ok && again.unchanged}`);
	table();
	console.log(`Goal: export and import each under 60 s: ${exportMs < 60_000 && importMs < 60_000 ? 'met' : 'NOT met'} (${kept ? `the data folder ${kept}` : `scale ${factor}`}).`);
} finally {
	for (const folder of [to, join(file, '..'), ...(kept || keep ? [] : [from])]) rmSync(folder, { recursive: true, force: true });
	if (keep) console.log(`Kept the seeded data folder: ${keep} (measure it again with --from ${keep})`);
}
