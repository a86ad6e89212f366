// The page's own work for each older year of the ten-year agenda that arrives from the documents
// worker (issue #17: no long task over 50 ms while older years load): the year's pieces made whole,
// the year taken into the agenda the page shows, and this week found again. Each process is fresh,
// as a page is: these functions run about ten times in a page's life, not thousands, so the JIT
// has not warmed them. Node, not throttled: a cheap phone (bench/member-device.ts, CPU 4× slower)
// takes about four times as long.
//
// Run: npx tsx bench/older-years.ts [--runs 7] [--code before=<checkout with this file>] [--before-all] [--data <folder from generate-agenda.ts>]
// A checkout of an older commit needs this file copied into its bench/ folder. With
// `--before-all` it is run there with `--all`: before the page took each year into what it showed,
// it combined all years again.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import { happenings } from '../src/lib/agenda/calendar.ts';
import { todayWall, windowOf } from '../src/lib/agenda/window.ts';
import { agendaDocuments } from '../src/lib/agenda/documents.ts';
import { agendaLoadOrder } from '../src/lib/agenda/periods.ts';
import { piecesOf, type EventsRead } from '../src/lib/agenda/view.ts';
import { agendaArgs, generateAgenda, hasSavedAgenda, loadAgenda, saveAgenda } from './generate-agenda.ts';
import { fmt, median } from './timing.ts';

const value = (name: string) => {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? process.argv[at + 1] : undefined;
};

interface Years {
	/** ms per older year, in the order they arrived. */
	perYear: number[];
	events: number;
}

/** One page's life: the first documents read, then each older year as the worker sends it. */
function child(folder: string, all: boolean): Years {
	const generated = loadAgenda(folder);
	const sources = generated.documents.map((d) => ({ url: `automerge:${d.period}`, period: d.period, doc: A.load<AgendaDoc>(d.bytes) }));
	const entries = sources.map(({ url, period }) => ({ url, period })).sort((a, b) => b.period.localeCompare(a.period));
	const today = todayWall(new Date(generated.now));
	const order = agendaLoadOrder(entries, today);
	const byUrl = new Map(sources.map((s) => [s.url, s]));
	const own = agendaDocuments.read(order.first.map((e) => byUrl.get(e.url)!));
	const week = windowOf('week', today);
	happenings(own.items, week.from, week.to);
	// What the worker posts: each year in pieces, copied into the page.
	const arriving = order.later.map((e) => piecesOf(agendaDocuments.read([byUrl.get(e.url)!])).map((piece) => structuredClone(piece)));
	const combine = agendaDocuments.combine!;
	const parts: EventsRead[] = [];
	let shown = own;
	const perYear: number[] = [];
	for (const pieces of arriving) {
		const start = performance.now();
		const year = pieces.length > 1 ? combine(pieces) : pieces[0];
		parts.push(year);
		shown = all ? combine([own, ...parts]) : combine([shown, year]);
		happenings(shown.items, week.from, week.to);
		perYear.push(performance.now() - start);
	}
	return { perYear, events: shown.items.length };
}

if (process.argv.includes('--child')) {
	console.log(JSON.stringify(child(value('data')!, process.argv.includes('--all'))));
} else {
	const args = agendaArgs();
	const runs = Number(value('runs') ?? 7);
	const before = value('code')?.replace(/^before=/, '');
	const temporary = args.data ? undefined : mkdtempSync(join(tmpdir(), 'noaber-older-years-'));
	const folder = args.data ?? temporary!;
	if (!args.data || !hasSavedAgenda(folder)) saveAgenda(folder, generateAgenda(args.seed, args.scale, args.now));
	const here = fileURLToPath(import.meta.url);
	const variants = [
		...(before
			? [process.argv.includes('--before-all') ? { name: 'before (all years combined again)', cwd: resolve(before), extra: ['--all'] } : { name: 'before', cwd: resolve(before), extra: [] }]
			: []),
		{ name: 'now', cwd: resolve(here, '../..'), extra: [] }
	];
	const results = new Map<string, Years[]>(variants.map((v) => [v.name, []]));
	// Taking turns, so a busy moment of the machine falls on both.
	for (let run = 0; run < runs; run++) {
		for (const variant of variants) {
			const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/older-years.ts', '--child', '--data', folder, ...variant.extra], { cwd: variant.cwd, encoding: 'utf8' });
			if (out.status !== 0) throw new Error(`${variant.name}: ${out.stderr}`);
			results.get(variant.name)!.push(JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Years);
		}
	}
	console.log(`\n${results.values().next().value![0].events} events; ${results.values().next().value![0].perYear.length} older years; medians of ${runs} fresh processes, not throttled.\n`);
	console.log('| code | longest year | all years | per year, in order |\n|---|---|---|---|');
	for (const [name, list] of results) {
		const years = list[0].perYear.map((_, i) => median(list.map((r) => r.perYear[i])));
		console.log(`| ${name} | ${fmt(median(list.map((r) => Math.max(...r.perYear))))} | ${fmt(median(list.map((r) => r.perYear.reduce((a, b) => a + b, 0))))} | ${years.map((ms) => ms.toFixed(1)).join(', ')} |`);
	}
	if (temporary) rmSync(temporary, { recursive: true, force: true });
}
