// What the page's long tasks are made of, read from a trace of bench/page-trace.ts (for instance
// `bench/member-device.ts --trace /tmp/phone.json`):
//   npx tsx bench/long-tasks.ts /tmp/phone.json [--over 50] [--from home --to loaded] [--top 8] [--functions a,b]
// For each task of the page's main thread over `--over` ms in the window: what ran in it (the
// timeline's events, by their own time) and where its JavaScript spent its time (the sampler's
// functions, by their own time, with the file and line; an unminified build names them), and how
// much of it the thread itself ran: the rest it waited for a core (with the sampler off, a trace of
// `--no-sampler`, nearer to a run without a trace).
// `--functions`: the time under each of these functions (by name) over the whole window, in
// tasks short and long, to compare the traces of two builds where one task says little.
// `--under <function>`: what that function's time went to over the window: by the functions it
// called directly, and by the functions that ran (own time) beneath it. A name, or a name with its
// file and line as the tasks list it (`"(anonymous) 18.Cx.js:44"`: Svelte's deriveds have no name).
// `--totals`: what the main thread did over the window, in all its tasks, by the timeline's events.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { count, option } from './arguments.ts';

interface TraceEvent {
	name: string;
	cat: string;
	ph: string;
	ts: number;
	dur?: number;
	/** The thread's own CPU time in the event; with DevTools' CPU throttling, its spinning too. */
	tdur?: number;
	pid: number;
	tid: number;
	id?: string;
	args?: { name?: string; data?: Record<string, unknown> };
}

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
	console.error('usage: npx tsx bench/long-tasks.ts <trace.json> [--over 50] [--from <moment>] [--to <moment>] [--top 8]');
	process.exit(1);
}
const over = count('over', 50) * 1000;
const top = count('top', 8);
const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
const moments = ((): Record<string, number> => {
	try {
		return JSON.parse(readFileSync(`${file}.moments.json`, 'utf8')) as Record<string, number>;
	} catch {
		return {};
	}
})();
const from = moments[option('from') ?? 'home'] ?? -Infinity;
const to = moments[option('to') ?? 'loaded'] ?? Infinity;

// The page's main thread: the renderer main thread that ran the most of the site's own code. Not
// the one that ran the most tasks: that was once the browser's own address bar, a web page too.
const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const isTask = (e: TraceEvent) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
const fromTheSite = (e: TraceEvent) => /^https?:/.test(String(e.args?.data?.url ?? ''));
const busiest = mains
	.map((m) => ({ m, site: events.filter((e) => e.pid === m.pid && e.tid === m.tid && fromTheSite(e)).length }))
	.sort((a, b) => b.site - a.site)[0]?.m;
if (!busiest) throw new Error('no renderer main thread in the trace');
const onMain = events.filter((e) => e.pid === busiest.pid && e.tid === busiest.tid).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
// A task's event is nested in the scheduler's own for the same task: the outer one counts.
const tasks = onMain
	.filter((e) => isTask(e) && (e.dur ?? 0) >= over && e.ts >= from && e.ts <= to)
	.filter((e, i, all) => !all.slice(0, i).some((outer) => outer.ts <= e.ts && e.ts + (e.dur ?? 0) <= outer.ts + (outer.dur ?? 0)));

/** Own time (less what nested events took) of each timeline event within `task`, by a readable name. */
function ownTimes(task: TraceEvent): Map<string, number> {
	const inside = onMain.filter((e) => e.ph === 'X' && e !== task && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0) && !isTask(e));
	const times = new Map<string, number>();
	const stack: { end: number; key: string }[] = [];
	const add = (key: string, time: number) => times.set(key, (times.get(key) ?? 0) + time);
	for (const e of inside) {
		while (stack.length > 0 && stack.at(-1)!.end <= e.ts) stack.pop();
		const key = label(e);
		if (stack.length > 0) add(stack.at(-1)!.key, -(e.dur ?? 0));
		add(key, e.dur ?? 0);
		stack.push({ end: e.ts + (e.dur ?? 0), key });
	}
	return times;
}

function label(e: TraceEvent): string {
	const data = e.args?.data ?? {};
	const where = typeof data.url === 'string' && data.url ? ` ${basename(data.url)}` : '';
	if (e.name === 'FunctionCall') return `FunctionCall ${String(data.functionName || '(anonymous)')}${where}`;
	if (e.name === 'EventDispatch') return `EventDispatch ${String(data.type)}`;
	if (e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.compileModule' || e.name === 'v8.evaluateModule') return `${e.name}${where}`;
	return e.name;
}

// The sampler's samples on the main thread: when, and which call frame ran.
const samples: { at: number; frame: CallFrame; parents: CallFrame[] }[] = [];
{
	const profiles = new Map<string, { at: number; nodes: Map<number, { frame: CallFrame; parent?: number }> }>();
	for (const e of events) {
		if (e.pid !== busiest.pid) continue;
		if (e.name === 'Profile' && e.tid === busiest.tid) profiles.set(e.id!, { at: (e.args!.data!.startTime as number) ?? e.ts, nodes: new Map() });
		if (e.name !== 'ProfileChunk') continue;
		const profile = profiles.get(e.id!);
		if (!profile) continue;
		const data = e.args!.data! as { cpuProfile?: { nodes?: { id: number; callFrame: CallFrame; parent?: number }[]; samples?: number[] }; timeDeltas?: number[] };
		for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, { frame: node.callFrame, parent: node.parent });
		const ids = data.cpuProfile?.samples ?? [];
		const deltas = data.timeDeltas ?? [];
		for (const [i, id] of ids.entries()) {
			profile.at += deltas[i] ?? 0;
			const node = profile.nodes.get(id);
			if (!node) continue;
			const parents: CallFrame[] = [];
			for (let up = node.parent; up !== undefined; up = profile.nodes.get(up)?.parent) {
				const p = profile.nodes.get(up);
				if (p) parents.push(p.frame);
			}
			samples.push({ at: profile.at, frame: node.frame, parents });
		}
	}
	samples.sort((a, b) => a.at - b.at);
}

const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'}${f.url ? ` ${basename(f.url)}:${f.lineNumber + 1}` : ''}`;
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
const topOf = (times: Map<string, number>) => [...times].filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]).slice(0, top);

const zero = Number.isFinite(from) ? from : (tasks[0]?.ts ?? 0);
console.log(`${tasks.length} task(s) of ${ms(over)} or more on the page's main thread${Number.isFinite(from) ? ` from "${option('from') ?? 'home'}"` : ''}${Number.isFinite(to) ? ` to "${option('to') ?? 'loaded'}" (${ms(to - from)})` : ''}.`);
for (const [name, at] of Object.entries(moments)) console.log(`  moment ${name}: ${ms(at - zero)}`);
// DevTools slows the page's main thread by making it spin three quarters of its time (CPU 4×
// slower): a throttled thread that runs keeps a core busy. What a task's time had beyond the
// thread's own (its CPU time, the spinning included) it waited for a core that something else had:
// on a machine of two cores, the documents worker, the relay and the browser's other threads.
const ran = (task: TraceEvent) => task.tdur ?? task.dur!;
if (tasks.length > 0) {
	const longest = tasks.reduce((a, b) => (b.dur! > a.dur! ? b : a));
	const longestRun = tasks.reduce((a, b) => (ran(b) > ran(a) ? b : a));
	const waited = tasks.reduce((sum, t) => sum + (t.dur! - ran(t)), 0) / tasks.reduce((sum, t) => sum + t.dur!, 0);
	console.log(`  longest: ${ms(longest.dur!)} (the thread ran ${ms(ran(longest))} of it); longest as the thread ran it: ${ms(ran(longestRun))}; of these tasks' time, the thread waited for a core ${Math.round(waited * 100)}%`);
}
for (const task of tasks) {
	console.log(`\n## ${ms(task.dur!)} at ${ms(task.ts - zero)} (the thread ran ${ms(ran(task))})`);
	for (const [key, time] of topOf(ownTimes(task))) console.log(`  ${ms(time).padStart(9)}  ${key}`);
	const inTask = samples.filter((s) => s.at >= task.ts && s.at < task.ts + task.dur!);
	if (inTask.length === 0) continue;
	const gap = inTask.length > 1 ? (inTask.at(-1)!.at - inTask[0].at) / (inTask.length - 1) : 0;
	const own = new Map<string, number>();
	const within = new Map<string, number>();
	for (const s of inTask) {
		own.set(frameName(s.frame), (own.get(frameName(s.frame)) ?? 0) + gap);
		// Time under each function, counted once per sample however deep it recurs.
		for (const name of new Set([s.frame, ...s.parents].map(frameName))) within.set(name, (within.get(name) ?? 0) + gap);
	}
	console.log(`  JavaScript, own time (${inTask.length} samples):`);
	for (const [key, time] of topOf(own)) console.log(`  ${ms(time).padStart(9)}  ${key}`);
	console.log('  JavaScript, time under:');
	for (const [key, time] of topOf(within)) console.log(`  ${ms(time).padStart(9)}  ${key}`);
}

if (process.argv.includes('--totals')) {
	// Every task in the window, short ones too: what drawing the page took in all, say, is spread
	// over many tasks under 50 ms, and compares between two builds where one task says little.
	const all = onMain
		.filter((e) => isTask(e) && e.ts >= from && e.ts <= to)
		.filter((e, i, list) => !list.slice(Math.max(0, i - 8), i).some((outer) => outer.ts <= e.ts && e.ts + (e.dur ?? 0) <= outer.ts + (outer.dur ?? 0)));
	const totals = new Map<string, number>();
	for (const task of all) for (const [key, time] of ownTimes(task)) totals.set(key, (totals.get(key) ?? 0) + time);
	console.log(`\n## The main thread's work from "${option('from') ?? 'home'}" to "${option('to') ?? 'loaded'}", all ${all.length} tasks, by own time`);
	for (const [key, time] of topOf(totals)) console.log(`  ${ms(time).padStart(9)}  ${key}`);
}

const wanted = option('functions')?.split(',').filter(Boolean) ?? [];
if (wanted.length > 0) {
	const inWindow = samples.filter((s) => s.at >= from && s.at <= to);
	// The sampler's interval: the usual gap between two samples (an idle thread leaves longer ones).
	const gaps = inWindow.slice(1).map((s, i) => s.at - inWindow[i]!.at).sort((a, b) => a - b);
	const gap = gaps[Math.floor(gaps.length / 2)] ?? 0;
	console.log(`\n## Time under each function from "${option('from') ?? 'home'}" to "${option('to') ?? 'loaded'}" (${inWindow.length} samples, ${(gap / 1000).toFixed(2)} ms apart)`);
	for (const name of wanted) {
		const hits = inWindow.filter((s) => [s.frame, ...s.parents].some((f) => f.functionName === name)).length;
		console.log(`  ${ms(hits * gap).padStart(9)}  ${name}`);
	}
}

const under = option('under');
if (under) {
	const inWindow = samples.filter((s) => s.at >= from && s.at <= to);
	const gaps = inWindow.slice(1).map((s, i) => s.at - inWindow[i]!.at).sort((a, b) => a - b);
	const gap = gaps[Math.floor(gaps.length / 2)] ?? 0;
	const called = new Map<string, number>();
	const own = new Map<string, number>();
	let total = 0;
	for (const s of inWindow) {
		// parents run from the caller of the sampled frame up to the root: the one below `under` is
		// the frame just before it in that list (or the sampled frame itself).
		const stack = [s.frame, ...s.parents];
		const at = stack.findIndex((f) => f.functionName === under || frameName(f) === under);
		if (at < 0) continue;
		total += gap;
		const child = at === 0 ? '(own time)' : frameName(stack[at - 1]!);
		called.set(child, (called.get(child) ?? 0) + gap);
		own.set(frameName(s.frame), (own.get(frameName(s.frame)) ?? 0) + gap);
	}
	console.log(`\n## Under ${under} from "${option('from') ?? 'home'}" to "${option('to') ?? 'loaded'}": ${ms(total)}`);
	console.log('  by the functions it called:');
	for (const [key, time] of topOf(called)) console.log(`  ${ms(time).padStart(9)}  ${key}`);
	console.log('  by own time beneath it:');
	for (const [key, time] of topOf(own)) console.log(`  ${ms(time).padStart(9)}  ${key}`);
}
