// Node benchmark of the agenda's domain layer at ten years (issue: 5,000 events, 200 of them
// recurring): stored sizes, loading what the app opens first (agendaLoadOrder) and everything,
// reading, and the week, month and year views. The in-browser measurement is agenda-page.ts.
// Run: npx tsx bench/agenda-node.ts [--seed n] [--scale 1] [--data <folder from generate-agenda.ts>]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import { byDay, happenings } from '../src/lib/agenda/calendar.ts';
import { todayWall, windowOf } from '../src/lib/agenda/window.ts';
import { signUp, type AgendaHandle } from '../src/lib/agenda/mutations.ts';
import { agendaLoadOrder } from '../src/lib/agenda/periods.ts';
import { ruleStarts } from '../src/lib/agenda/recurrence.ts';
import { addDays } from '../src/lib/agenda/time.ts';
import { readEvents, type AgendaSource } from '../src/lib/agenda/view.ts';
import { agendaArgs, generateAgenda, hasSavedAgenda, loadAgenda, saveAgenda, type AgendaDocument, type GeneratedAgenda } from './generate-agenda.ts';
import { fmt, free, kb, median, time, timed } from './timing.ts';

const args = agendaArgs();
const sourcesOf = (documents: AgendaDocument[], docs: A.Doc<AgendaDoc>[]): AgendaSource[] =>
	documents.map((d, i) => ({ url: `automerge:${d.period}`, doc: docs[i] }));

/** What the app opens before the agenda shows, in the order it loads them. */
function openedFirst(generated: GeneratedAgenda): { first: AgendaDocument[]; later: AgendaDocument[] } {
	// Newest period first, as readPeriodIndex sorts the root's index ('series' sorts before years).
	const entries = generated.documents.map((d) => ({ period: d.period, url: `automerge:${d.period}` })).sort((a, b) => b.period.localeCompare(a.period));
	const order = agendaLoadOrder(entries, todayWall(new Date(generated.now)));
	const byPeriod = (period: string) => generated.documents.find((d) => d.period === period)!;
	return { first: order.first.map((e) => byPeriod(e.period)), later: order.later.map((e) => byPeriod(e.period)) };
}

/**
 * The first opening in a fresh process: nothing parsed, no rule expanded, nothing compiled by the
 * JIT. In-process "cold" numbers after the first would flatter every later run.
 */
function coldOpen(generated: GeneratedAgenda) {
	const { first } = openedFirst(generated);
	const today = todayWall(new Date(generated.now));
	const [docs, load] = time(() => first.map((d) => A.load<AgendaDoc>(d.bytes)));
	const [read, readTime] = time(() => readEvents(sourcesOf(first, docs)));
	const week = windowOf('week', today);
	const [days, weekTime] = time(() => byDay(happenings(read.items, week.from, week.to)));
	const [, againTime] = time(() => byDay(happenings(read.items, week.from, week.to)));
	const month = windowOf('month', today);
	const [, monthTime] = time(() => byDay(happenings(read.items, month.from, month.to)));
	return { load, read: readTime, week: weekTime, weekAgain: againTime, month: monthTime, days: days.length, events: read.items.length };
}
type Cold = ReturnType<typeof coldOpen>;

if (process.argv.includes('--cold') && hasSavedAgenda(args.data)) {
	console.log(JSON.stringify(coldOpen(loadAgenda(args.data))));
	process.exit(0);
}

const rows: [string, string][] = [];
const report = (what: string, value: string) => {
	rows.push([what, value]);
	console.log(`  ${what}: ${value}`);
};

// --- data -----------------------------------------------------------------------------------------
const started = performance.now();
let generated: GeneratedAgenda;
let folder = args.data;
if (hasSavedAgenda(folder)) {
	generated = loadAgenda(folder);
	console.log(`Loaded the agenda of seed ${generated.seed} from ${folder}`);
} else {
	console.log(`Generating ${args.scale.events} one-off events and ${args.scale.series} series (seed ${args.seed})…`);
	generated = generateAgenda(args.seed, args.scale, args.now);
	report('generate (one change per action)', `${fmt(performance.now() - started)}, ${generated.counts.changes} changes`);
	folder ??= mkdtempSync(join(tmpdir(), 'noaber-agenda-'));
	saveAgenda(folder, generated);
}
const { counts } = generated;
const today = todayWall(new Date(generated.now));
report(
	'agenda',
	`${counts.events} one-off events + ${counts.series} series (${counts.events + counts.series} events), ${counts.signups} sign-ups, ${counts.changes} changes, ${generated.documents.length} documents; today ${today.slice(0, 10)}`
);

// --- stored size ----------------------------------------------------------------------------------
const total = generated.documents.reduce((n, d) => n + d.bytes.byteLength, 0);
report('stored size, total', kb(total));
free([A.load(generated.documents[0].bytes)]); // the first load in a process also starts up the wasm side
console.log('\n| document | events | sign-ups | changes | stored | Automerge.load (median of 3) |\n|---|---|---|---|---|---|');
for (const d of generated.documents) {
	const [, load] = timed(3, () => A.load<AgendaDoc>(d.bytes), (doc) => A.free(doc));
	console.log(`| ${d.period} | ${d.events} | ${d.signups} | ${d.changes} | ${kb(d.bytes.byteLength)} | ${fmt(load)} |`);
}
console.log('');

// --- cold open, in fresh processes ----------------------------------------------------------------
const colds: Cold[] = [];
for (let run = 0; run < 3; run += 1) {
	const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--cold', '--data', folder!], { encoding: 'utf8' });
	if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
	colds.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Cold);
}
const cold = (key: keyof Cold) => fmt(median(colds.map((c) => c[key])));
const { first, later } = openedFirst(generated);
const firstNames = first.map((d) => d.period).join(' + ');
report(`cold open, fresh process (median of 3): load ${firstNames}`, cold('load'));
report('  + readEvents', `${cold('read')} → ${colds[0].events} events`);
report('  + week view (happenings + byDay), first expansion of every rule', `${cold('week')} → ${colds[0].days} days`);
report('  + same week again', cold('weekAgain'));
report('  + month view', cold('month'));
report(
	'  = agenda open to week on screen (load + read + week)',
	fmt(median(colds.map((c) => c.load + c.read + c.week)))
);

// --- loading --------------------------------------------------------------------------------------
const firstBytes = first.reduce((n, d) => n + d.bytes.byteLength, 0);
const [firstDocs, loadFirst] = timed(5, () => first.map((d) => A.load<AgendaDoc>(d.bytes)), free);
report(`load what opens first: ${firstNames}, ${kb(firstBytes)} (Automerge.load, median of 5)`, fmt(loadFirst));
let clones: A.Doc<AgendaDoc>[] = [];
const [firstRead, readFirst] = timed(5, () => {
	free(clones);
	clones = firstDocs.map((d) => A.clone(d));
	return readEvents(sourcesOf(first, clones));
});
report('  + readEvents (validate, cold cache)', `${fmt(readFirst)} → ${firstRead.items.length} events, ${firstRead.skipped} skipped`);

const ordered = [...first, ...later];
const [allDocs, loadAll] = timed(3, () => ordered.map((d) => A.load<AgendaDoc>(d.bytes)), free);
report(`load all ${ordered.length} documents, ${kb(total)}`, fmt(loadAll));
const [allRead, readAll] = timed(3, () => {
	free(clones);
	clones = allDocs.map((d) => A.clone(d));
	return readEvents(sourcesOf(ordered, clones));
});
free(clones);
report('  + readEvents (cold cache)', `${fmt(readAll)} → ${allRead.items.length} events, ${allRead.skipped} skipped, ${allRead.skippedParts} parts skipped`);
const sources = sourcesOf(ordered, allDocs);
readEvents(sources);
const [, readWarm] = timed(5, () => readEvents(sources.map((s, i) => (i === 0 ? { ...s, doc: A.clone(allDocs[0]) } : s))));
report(`  re-read after one document (${ordered[0].period}) changed`, fmt(readWarm));

// --- views ----------------------------------------------------------------------------------------
const events = allRead.items;
const weekView = (day: string, list = events) => {
	const w = windowOf('week', day);
	return byDay(happenings(list, w.from, w.to));
};
// rrule memoises `between` per window: the same week again is a cache hit, another week is not.
const [weekDays, weekSame] = timed(5, () => weekView(today));
const weekItems = weekDays.reduce((n, d) => n + d.items.length, 0);
report('week view, same week again (all events)', `${fmt(weekSame)} → ${weekItems} happenings on ${weekDays.length} days`);
const otherWeeks = Array.from({ length: 7 }, (_, i) => addDays(today, 7 * (i + 1)));
const [, weekOther] = timed(7, (() => {
	let i = 0;
	return () => weekView(otherWeeks[i++]);
})());
report('week view, a week not shown before (next/previous week)', fmt(weekOther));
const [, weekFirstOnly] = timed(7, (() => {
	let i = 0;
	return () => weekView(addDays(today, -7 * (i++ + 1)), firstRead.items);
})());
report('  the same with only the first documents loaded', fmt(weekFirstOnly));
const months = Array.from({ length: 5 }, (_, i) => addDays(today, 31 * (i + 3)));
const [monthDays, monthTime] = timed(5, (() => {
	let i = 0;
	return () => {
		const m = windowOf('month', months[i++]);
		return byDay(happenings(events, m.from, m.to));
	};
})());
report('month view, a month not shown before', `${fmt(monthTime)} → ${monthDays.reduce((n, d) => n + d.items.length, 0)} happenings`);
const thisMonth = windowOf('month', today);
const [, monthSame] = timed(5, () => byDay(happenings(events, thisMonth.from, thisMonth.to)));
report('month view, this month again', fmt(monthSame));
const year = today.slice(0, 4);
const [yearItems, yearTime] = timed(3, (() => {
	let shift = 0;
	// A minute's shift per run keeps rrule's memo from answering.
	return () => happenings(events, `${year}-01-01T00:0${shift}`, `${Number(year) + 1}-01-01T00:0${shift++}`);
})());
report(`happenings over the whole of ${year}`, `${fmt(yearTime)} → ${yearItems.length} happenings`);
const seriesOnly = events.filter((e) => e.rrule);
const [, seriesYear] = timed(3, (() => {
	let shift = 5;
	return () => happenings(seriesOnly, `${year}-01-01T00:0${shift}`, `${Number(year) + 1}-01-01T00:0${shift++}`);
})());
report(`  of which the ${seriesOnly.length} series`, fmt(seriesYear));
const [, rulesOnly] = timed(5, (() => {
	let i = 0;
	return () => {
		const w = windowOf('week', addDays(today, 7 * (20 + i++)));
		for (const e of seriesOnly) ruleStarts(e, w.from, w.to);
	};
})());
report('rrule expansion alone: every series over a week not shown before', fmt(rulesOnly));

// --- change cost ----------------------------------------------------------------------------------
const seriesDoc = generated.documents.find((d) => d.period === 'series')!;
let doc = A.load<AgendaDoc>(seriesDoc.bytes);
const plain: AgendaHandle = { change: (fn) => void (doc = A.change(doc, fn)) };
const target = Object.keys(doc.events)[Object.keys(doc.events).length - 1];
const members = generated.members.map((m) => m.id);
let who = 0;
const [, changeTime] = timed(21, () => signUp(plain, target, '', { memberId: members[who++ % members.length] }));
report('one change (a sign-up) on the series document (Automerge.change)', fmt(changeTime));
const [, rereadTime] = timed(5, () => readEvents([{ url: 'automerge:series', doc: A.clone(doc) }]));
report('  re-read of the series document after it', fmt(rereadTime));

free([...allDocs, ...firstDocs, doc]);
if (!args.data) rmSync(folder!, { recursive: true, force: true });
console.log(`\nNode ${process.version}, ${cpus().length} cores; whole run ${fmt(performance.now() - started)}`);
console.log('\n| measure | value |\n|---|---|');
for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
