// Node benchmark of the help board's domain layer at ten years of activity (20,000 posts, 50,000
// responses in 40 quarterly documents): loading, the board view, filter, search, stored sizes and
// the cost of one change. The in-browser measurement (IndexedDB, the built app) is help-board.ts.
// Run: npx tsx bench/help-node.ts [--seed n] [--scale 1] [--workers 2] [--data <folder from make-board.ts>]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { imm } from '../src/lib/automerge/immutable.ts';
import { archivable, archiveEntry, yearOf } from '../src/lib/help/archive.ts';
import type { ArchiveDoc, HelpDoc } from '../src/lib/help/document.ts';
import { needsCheck } from '../src/lib/help/lifecycle.ts';
import { matchesFor } from '../src/lib/help/matching.ts';
import { respond, type HelpHandle } from '../src/lib/help/mutations.ts';
import { monthlyReport } from '../src/lib/help/report.ts';
import { filterPosts } from '../src/lib/help/search.ts';
import { readPosts, type PeriodSource } from '../src/lib/help/view.ts';
import { BENCH_NOW, benchArgs, type Generated } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';
import { loadGenerated, saveGenerated } from './help-files.ts';
import { fmt, free, kb, mb, median, time, timed } from './timing.ts';

const args = benchArgs();
const rows: [string, string][] = [];
const report = (what: string, value: string) => {
	rows.push([what, value]);
	console.log(`  ${what}: ${value}`);
};

// --- data -----------------------------------------------------------------------------------------
let generated: Generated;
const started = performance.now();
if (args.data && existsSync(join(args.data, 'index.json'))) {
	generated = loadGenerated(args.data);
	console.log(`Loaded the board of seed ${generated.seed} from ${args.data}`);
} else {
	console.log(`Generating ${args.scale.posts} posts / ${args.scale.responses} responses in ${args.scale.periods} quarters (seed ${args.seed}, ${args.workers} workers)…`);
	generated = await generateParallel(args.seed, args.scale, args.workers);
	report('generate (one change per action)', `${fmt(performance.now() - started)}, ${generated.counts.changes} changes`);
	if (args.data) saveGenerated(args.data, generated);
}
const { counts } = generated;
report('board', `${counts.posts} posts, ${counts.responses} responses, ${counts.changes} changes, ${generated.periods.length} quarters`);
const newestFirst = [...generated.periods].sort((a, b) => b.period.localeCompare(a.period));

// --- stored size ----------------------------------------------------------------------------------
const sizes = newestFirst.map((p) => p.bytes.byteLength);
const total = sizes.reduce((a, b) => a + b, 0);
report('stored size, total', `${mb(total)} in ${sizes.length} quarters`);
report('stored size per quarter', `median ${kb(median(sizes))}, smallest ${kb(Math.min(...sizes))}, largest ${kb(Math.max(...sizes))}`);
console.log(`    ${newestFirst.map((p) => `${p.period} ${kb(p.bytes.byteLength)}`).join(', ')}`);

// --- loading --------------------------------------------------------------------------------------
const source = (p: (typeof newestFirst)[number], doc: A.Doc<HelpDoc>): PeriodSource => ({ url: `automerge:${p.period}`, doc });
const [recentDocs, loadRecent] = timed(3, () => newestFirst.slice(0, 2).map((p) => A.load<HelpDoc>(p.bytes)), free);
const [recentRead, readRecent] = timed(3, () => readPosts(newestFirst.slice(0, 2).map((p, i) => source(p, A.clone(recentDocs[i])))));
report('load latest two quarters (Automerge.load)', fmt(loadRecent));
report('  + validate and read them (readPosts)', `${fmt(readRecent)} → ${recentRead.items.length} posts`);

const [allDocs, loadAll] = timed(3, () => newestFirst.map((p) => A.load<HelpDoc>(p.bytes)), free);
report('load all quarters (Automerge.load)', fmt(loadAll));
// `readPosts` caches per document snapshot: time a cold read on fresh clones, then a warm one.
let clones: A.Doc<HelpDoc>[] = [];
const [allRead, readAll] = timed(3, () => {
	free(clones);
	clones = allDocs.map((d) => A.clone(d));
	return readPosts(newestFirst.map((p, i) => source(p, clones[i])));
});
free(clones);
const sources = newestFirst.map((p, i) => source(p, allDocs[i]));
readPosts(sources);
// The app re-reads on every change: only the changed quarter is validated again.
const [, readWarm] = timed(5, () => readPosts(sources.map((s, i) => (i === 0 ? { ...s, doc: A.clone(allDocs[0]) } : s))));
report('  + validate and read them (readPosts, cold)', `${fmt(readAll)} → ${allRead.items.length} posts, ${allRead.skipped} skipped`);
report('  re-read after one quarter changed (39 cached)', fmt(readWarm));

// --- views ----------------------------------------------------------------------------------------
const posts = allRead.items;
const [board, boardTime] = timed(5, () => filterPosts(posts, { status: 'open' }));
report('board view: open posts newest first (of all loaded)', `${fmt(boardTime)} → ${board.length} posts`);
const [active, activeTime] = timed(5, () => filterPosts(posts, { status: 'active' }));
report('board view: open + agreed', `${fmt(activeTime)} → ${active.length} posts`);
const [filtered, filterTime] = timed(5, () => filterPosts(posts, { kind: 'request', category: 'vervoer', status: 'done' }));
report('filter kind + category + status over all posts', `${fmt(filterTime)} → ${filtered.length} posts`);
const freshPosts = readPosts(newestFirst.map((p, i) => source(p, A.clone(allDocs[i])))).items;
const [, firstSearch] = time(() => filterPosts(freshPosts, { query: 'cafe' }));
const [found, searchTime] = timed(5, () => filterPosts(posts, { query: 'cafe' }));
report('search "cafe" (finds "café"), first search incl. folding all text', fmt(firstSearch));
report('search "cafe", later searches', `${fmt(searchTime)} → ${found.length} posts`);
const [, twoWords] = timed(5, () => filterPosts(posts, { query: 'koffie PRAATJE' }));
report('search two words', fmt(twoWords));
const [stale, staleTime] = timed(5, () => posts.filter((p) => needsCheck(p, BENCH_NOW)));
report('needsCheck over all posts', `${fmt(staleTime)} → ${stale.length} flagged`);
const members = generated.members.map((m) => ({ id: m.id, name: m.profile.name, helpWith: m.profile.helpWith }));
const request = board.find((p) => p.kind === 'request') ?? posts[0];
const [matches, matchTime] = timed(5, () => matchesFor(request, posts, members as Parameters<typeof matchesFor>[2]));
report('matching for one request', `${fmt(matchTime)} → ${matches.posts.length} offers, ${matches.members.length} members`);
const [monthly, reportTime] = timed(3, () => monthlyReport(posts));
report('monthly report over ten years', `${fmt(reportTime)} → ${monthly.length} rows`);

// --- change cost ----------------------------------------------------------------------------------
const fullest = newestFirst.reduce((a, b) => (b.bytes.byteLength > a.bytes.byteLength ? b : a));
let doc = A.load<HelpDoc>(fullest.bytes);
const plain: HelpHandle = { change: (fn) => void (doc = A.change(doc, fn)) };
const target = Object.keys(doc.posts)[0];
const [, changeTime] = timed(21, () => respond(plain, target, 'Ik kan ook helpen', { memberId: members[0].id }));
report(`one change (a response) on the fullest quarter, ${fullest.period} (Automerge.change)`, fmt(changeTime));
const repo = new Repo();
const handle = repo.import<HelpDoc>(fullest.bytes);
const [, handleTime] = timed(21, () => respond(handle, target, 'Ik kan ook helpen', { memberId: members[1].id }));
report('the same through a DocHandle (no storage, no network)', fmt(handleTime));
await repo.shutdown().catch(() => undefined);

// --- archive (what the app keeps live) -----------------------------------------------------------
// The app seals quarters whose posts all closed 60+ days ago and reads their posts from one
// archive document per year (src/lib/help/archive.ts). Measure what it then opens.
const byPeriod = new Map<string, typeof posts>();
for (const post of posts) byPeriod.set(post.period, [...(byPeriod.get(post.period) ?? []), post]);
const live = newestFirst.filter((p) => !archivable(p.period, byPeriod.get(p.period) ?? [], BENCH_NOW));
const archives = new Map<string, A.Doc<ArchiveDoc>>();
for (const p of newestFirst.filter((q) => !live.includes(q))) {
	const year = yearOf(p.period);
	const empty: ArchiveDoc = { year: imm(year), posts: {} };
	const before: A.Doc<ArchiveDoc> = archives.get(year) ?? A.from({ ...empty });
	archives.set(year, A.change(before, (d) => {
		for (const post of byPeriod.get(p.period) ?? []) d.posts[post.id] = imm(archiveEntry(post));
	}));
}
const archiveBytes = [...archives.values()].map((d) => A.save(d));
const liveBytes = live.map((p) => p.bytes);
const [, archivedOpen] = timed(3, () => {
	const docs = [...liveBytes, ...archiveBytes].map((b) => A.load<HelpDoc | ArchiveDoc>(b));
	readPosts(docs.map((d, i) => ({ url: `automerge:${i}`, doc: d })));
	return docs;
}, free);
report(
	'with archiving: live quarters + yearly archives',
	`${live.length} live quarters + ${archiveBytes.length} archives, ${mb([...liveBytes, ...archiveBytes].reduce((n, b) => n + b.byteLength, 0))}; ` +
		`load + read everything ${fmt(archivedOpen)}`
);
const olderOpen = posts.filter((p) => p.status === 'open' && !newestFirst.slice(0, 2).some((q) => q.period === p.period)).length;
report('open posts older than the latest two quarters', String(olderOpen));

console.log(`\nNode ${process.version}, ${(await import('node:os')).cpus().length} cores; whole run ${fmt(performance.now() - started)}`);
console.log('\n| measure | value |\n|---|---|');
for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
