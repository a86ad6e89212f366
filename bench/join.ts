// Figure of issue #11: how long a new resident waits from opening an invite link until the
// neighbourhood's home screen is shown (approval off), before and after a change, in one run. The
// issue allows the new join handshake at most 100 ms more.
//
// Each checkout given with --app is measured as a resident meets it: its own relay, started the way
// an operator starts it (`node bin/noaber.js relay`, serving that checkout's build/), a neighbourhood
// made with its own `node bin/noaber.js create Lindenbuurt --json`, and Debian's Chromium with a
// fresh browser context (no storage, no service worker) for every run. The bench drives only what a
// person sees, read from that checkout's messages/nl.json and ProfileForm.svelte, so a change of
// wording or of the handshake behind the screens (key or ticket in the link, a credential fetched
// first) is measured, not broken:
//   open the invite link → tap "join.start" → type a name into the profile form's name field →
//   tap "join.done" → the home screen (the neighbourhood's name as page heading and the
//   "home.modules" heading, at /) is shown.
// An untimed first join per checkout makes the wijkverbinder (the first member runs the
// neighbourhood) and warms the relay, so every timed run is an ordinary resident joining.
// Times are taken inside the page (performance.now(), whose zero is the start of navigation to the
// link), at the animation frame after the screen is in the DOM, so Playwright's polling does not
// blur them:
//   (a) open link → invitation screen shown (its "join.start" button)
//   (a′) the app's first screen (any page heading: "join.title" while it connects) → invitation
//       shown: the part of (a) where the handshake happens, without loading the app's files. About
//       1 s of it is automerge-repo 2.5.6 waiting for its BroadcastChannel adapter (peerWaitMs,
//       1000 ms by default) before it asks the relay for a document the device does not have.
//   (b) tap on "join.done" → home shown
//   (c) open link → home shown (includes Playwright typing and tapping, the same for every checkout)
// Checkouts are interleaved run by run (before, after, before, after…) so load on the machine hits
// them alike; the load average is printed at start and end. p90 is the nearest rank (of 7 runs: the
// slowest). Besides the difference of the medians, the median of the run-by-run differences is
// printed with an interval that holds it at least 90% of the time: if that interval is wider than
// the 100 ms the issue allows, the run has not shown either way. On a 2-core machine at load 8–11,
// two checkouts of the same code differed by up to ±0.4 s in median with 7 runs; with 25 runs the
// intervals were about ±0.4 s for (a) and (c), ±0.15 s for (a′) and ±0.05 s for (b). Judge the
// budget by (a′) and (b) with --runs 25, on a quiet machine if there is one.
//
// Run (each checkout built first: `npm run build` in it; it needs its node_modules):
//   npx tsx bench/join.ts --app before=<checkout dir> --app after=<checkout dir> [--runs 7]
//   npm run bench:join -- --app before=/work/main --app after=.
// A commit without a checkout of its own can be measured from a copy (outside the repository):
//   mkdir /tmp/before && git archive <commit> | tar -x -C /tmp/before &&
//   ln -s "$PWD/node_modules" /tmp/before/node_modules && (cd /tmp/before && npm run build)
// A checkout whose relay code is edited after its build was made (work in progress) shows up as an
// invitation that never comes; the bench then says what the page shows instead.
import type { Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from './browser.ts';
import { createWithCli, freePort, startRelayChild, type RelayChild } from './relay-child.ts';
import { fmt, median, reporter } from './timing.ts';

const NEIGHBOURHOOD = 'Lindenbuurt';

interface Wording {
	/** The invitation screen's button. */
	start: string;
	/** The profile form's name field. */
	nameLabel: string;
	/** The profile screen's submit button. */
	done: string;
	/** A heading only the home screen of a member shows. */
	modules: string;
	neighbourhood: string;
}

interface App {
	label: string;
	checkout: string;
	wording: Wording;
	data: string;
	relay?: RelayChild;
	origin?: string;
	invite?: string;
	runs: Marks[];
}

/** Milliseconds since the start of navigation to the invite link. */
interface Marks {
	/** The app's first screen (any page heading): from here to the invitation is reaching the neighbourhood. */
	app: number;
	invitation: number;
	submit: number;
	home: number;
}

function parseArgs(argv: string[]): { apps: { label: string; checkout: string }[]; runs: number } {
	const apps: { label: string; checkout: string }[] = [];
	let runs = 7;
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--app') {
			const [label, ...dir] = (argv[++i] ?? '').split('=');
			if (!label || dir.length === 0) throw new Error(`--app wants label=<checkout dir>, not "${argv[i]}"`);
			apps.push({ label, checkout: resolve(dir.join('=')) });
		} else if (argv[i] === '--runs') {
			runs = Number(argv[++i]);
			if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number, not "${argv[i]}"`);
		} else throw new Error(`Unknown argument "${argv[i]}". Run: npx tsx bench/join.ts --app before=<dir> --app after=<dir> [--runs 7]`);
	}
	if (apps.length === 0) throw new Error('Name at least one checkout: --app before=<dir> --app after=<dir>');
	return { apps, runs };
}

/** What a resident reads on the screens of this checkout, so a change of wording does not break the bench. */
function readWording(checkout: string): Wording {
	const messages = JSON.parse(readFileSync(join(checkout, 'messages/nl.json'), 'utf8')) as Record<string, unknown>;
	const text = (key: string): string => {
		const value = messages[key];
		if (typeof value !== 'string') throw new Error(`${checkout}/messages/nl.json has no plain text for "${key}"`);
		return value;
	};
	// The name field's label is whatever message the profile form gives the field with id "…-name".
	const form = readFileSync(join(checkout, 'src/lib/ui/ProfileForm.svelte'), 'utf8');
	const nameKey = /id="\{prefix\}-name"[^>]*?label=\{t\('([^']+)'\)/s.exec(form)?.[1] ?? 'profile.name';
	return { start: text('join.start'), nameLabel: text(nameKey), done: text('join.done'), modules: text('home.modules'), neighbourhood: NEIGHBOURHOOD };
}

function describeCheckout(checkout: string): string {
	try {
		const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		const head = git('rev-parse', '--short', 'HEAD');
		const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
		return `${head}${dirty ? ' + uncommitted changes' : ''}`;
	} catch {
		return 'not a git checkout';
	}
}

// Runs in the page before any of the app's scripts (a string: tsx would wrap a function's inner
// names in a helper the page does not have). Marks each screen at the frame after it enters the DOM.
const markerScript = (w: Wording): string => `(() => {
	const want = ${JSON.stringify(w)};
	const marks = {};
	const pending = {};
	Object.defineProperty(window, '__joinBench', { value: marks });
	const text = (el) => (el.textContent || '').trim();
	const has = (selector, wanted) => Array.from(document.querySelectorAll(selector)).some((el) => text(el) === wanted);
	const stamp = (key) => {
		if (marks[key] !== undefined || pending[key]) return;
		pending[key] = true;
		requestAnimationFrame(() => { marks[key] = performance.now(); });
	};
	const check = () => {
		if (document.querySelector('h1')) stamp('app');
		if (has('button', want.start)) stamp('invitation');
		if (location.pathname === '/' && has('h1', want.neighbourhood) && has('h2', want.modules)) stamp('home');
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
	document.addEventListener('click', (event) => {
		const button = event.target instanceof Element ? event.target.closest('button') : null;
		if (button && text(button) === want.done && marks.submit === undefined) marks.submit = performance.now();
	}, true);
})();`;

async function joinOnce(browser: Browser, app: App, name: string): Promise<Marks> {
	const context = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
	try {
		await context.addInitScript({ content: markerScript(app.wording) });
		const page = await context.newPage();
		const w = app.wording;
		// What the resident sees instead, when a screen does not come: the bench's own made-up neighbourhood.
		const stuck = async (what: string, error: unknown): Promise<never> => {
			const shown = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 400);
			throw new Error(`${app.label} (${app.checkout}): ${what}. The page shows: "${shown}"`, { cause: error });
		};
		await page.goto(app.invite!);
		await page
			.getByRole('button', { name: w.start, exact: true })
			.click({ timeout: 60_000 })
			.catch((error: unknown) => stuck(`the invitation ("${w.start}") did not show within 60 s (does build/ match the relay's code?)`, error));
		await page.getByLabel(w.nameLabel, { exact: true }).fill(name);
		await page.getByRole('button', { name: w.done, exact: true }).click();
		await page
			.waitForFunction(() => (window as unknown as { __joinBench: Partial<Marks> }).__joinBench.home !== undefined, undefined, { timeout: 60_000 })
			.catch((error: unknown) => stuck(`the home screen did not show within 60 s of "${w.done}" (is approval on for new neighbourhoods?)`, error));
		const marks = await page.evaluate(() => (window as unknown as { __joinBench: Marks }).__joinBench);
		return { app: marks.app, invitation: marks.invitation, submit: marks.submit, home: marks.home };
	} finally {
		await context.close();
	}
}

const p90 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1];

/**
 * The median of run-by-run differences (each run of one checkout against the neighbouring run of the
 * other, which met the same load), with an interval that holds it at least 90% of the time (sign
 * test; no assumption about how the times spread). When the interval spans more than the budget,
 * more runs or a quieter machine are needed before the figure says anything.
 */
function pairedDifference(differences: number[]): { median: number; low: number; high: number; confidence: number } {
	const sorted = [...differences].sort((a, b) => a - b);
	const n = sorted.length;
	const below = (k: number): number => {
		// P(X < k) for X ~ Binomial(n, 1/2)
		let p = 0;
		let term = 0.5 ** n;
		for (let i = 0; i < k; i += 1) {
			p += term;
			term = (term * (n - i)) / (i + 1);
		}
		return p;
	};
	let k = 1;
	while (k + 1 <= Math.ceil(n / 2) && below(k + 1) <= 0.05) k += 1;
	return { median: median(sorted), low: sorted[k - 1], high: sorted[n - k], confidence: 1 - 2 * below(k) };
}
const signed = (ms: number): string => `${ms >= 0 ? '+' : '−'}${fmt(Math.abs(ms))}`;
const measures: [string, (m: Marks) => number][] = [
	['(a) open link → invitation shown', (m) => m.invitation],
	["(a′) app's first screen → invitation shown", (m) => m.invitation - m.app],
	['(b) submit (join.done) → home shown', (m) => m.home - m.submit],
	['(c) open link → home shown (total)', (m) => m.home]
];

const { apps: wanted, runs } = parseArgs(process.argv.slice(2));
for (const { label, checkout } of wanted) {
	if (!existsSync(join(checkout, 'build/index.html'))) {
		console.error(`${label}: ${checkout} has no build (build/index.html is missing). Build it first: (cd ${checkout} && npm run build)`);
		process.exit(1);
	}
	if (!existsSync(join(checkout, 'node_modules'))) {
		console.error(`${label}: ${checkout} has no node_modules. Install first: (cd ${checkout} && npm ci)`);
		process.exit(1);
	}
}
const apps: App[] = wanted.map(({ label, checkout }) => ({
	label,
	checkout,
	wording: readWording(checkout),
	data: mkdtempSync(join(tmpdir(), `noaber-join-bench-${label}-`)),
	runs: []
}));

function inviteWithCli(checkout: string, data: string, origin: string): string {
	const stdout = execFileSync(process.execPath, [join(checkout, 'bin/noaber.js'), 'invite', NEIGHBOURHOOD, '--json'], {
		cwd: checkout,
		env: { ...process.env, NOABER_DATA: data, NOABER_PUBLIC_URL: origin },
		encoding: 'utf8'
	});
	return (JSON.parse(stdout.trim().split('\n').at(-1)!) as { invite: string }).invite;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Load average at start: ${load()} (${cpus().length} CPUs)`);
const { report, table } = reporter();
let browser: Browser | undefined;
try {
	for (const app of apps) {
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const created = await createWithCli({ checkout: app.checkout, data: app.data, name: NEIGHBOURHOOD, port, origin }).catch((error: Error & { stderr?: string }) => {
			throw new Error(`${app.label}: \`node bin/noaber.js create ${NEIGHBOURHOOD} --json\` failed in ${app.checkout}:\n${error.stderr ?? error.message}`);
		});
		app.invite = created.invite;
		app.origin = origin;
		app.relay = await startRelayChild({
			checkout: app.checkout,
			data: app.data,
			logLevel: 'warn',
			port,
			env: { NOABER_PUBLIC_URL: origin, NOABER_APP: join(app.checkout, 'build') }
		});
		console.log(`${app.label}: ${app.checkout} (${describeCheckout(app.checkout)}), relay at ${origin}`);
	}
	browser = await launchChromium();
	console.log(`Chromium ${browser.version()}; ${runs} runs per checkout, interleaved\n`);
	for (const app of apps) {
		await joinOnce(browser, app, 'Wijkverbinder');
		// The first invitation made the wijkverbinder (since December 2026 it works once); residents
		// join with an invitation for anyone, which `noaber invite` makes (older relays print the same link).
		app.invite = inviteWithCli(app.checkout, app.data, app.origin!);
	}
	for (let run = 0; run < runs; run += 1) {
		for (const app of apps) {
			const marks = await joinOnce(browser, app, `Buur ${run + 1}`);
			app.runs.push(marks);
			const times = measures.map(([what, of]) => `${what.slice(0, what.indexOf(')') + 1)} ${fmt(of(marks))}`).join(', ');
			console.log(`  run ${run + 1} ${app.label}: ${times}`);
		}
	}
	console.log(`\nLoad average at end: ${load()}\n`);
	for (const app of apps) {
		for (const [what, of] of measures) {
			const values = app.runs.map(of);
			report(`${app.label}: ${what}`, `median ${fmt(median(values))}, p90 ${fmt(p90(values))}`);
		}
	}
	for (const other of apps.slice(1)) {
		for (const [what, of] of measures) {
			const difference = median(other.runs.map(of)) - median(apps[0].runs.map(of));
			const paired = pairedDifference(other.runs.map((m, i) => of(m) - of(apps[0].runs[i])));
			report(
				`${other.label} − ${apps[0].label}, median ${what}`,
				`${signed(difference)} (run by run: median ${signed(paired.median)}, ${Math.floor(paired.confidence * 100)}% interval ${signed(paired.low)} … ${signed(paired.high)})`
			);
		}
	}
	console.log('Issue #11 allows the new handshake at most +100 ms.');
} catch (error) {
	for (const app of apps) if (app.relay) console.error(`${app.label} relay said:\n${app.relay.output().slice(-2000)}`);
	throw error;
} finally {
	await browser?.close();
	for (const app of apps) {
		await app.relay?.stop();
		rmSync(app.data, { recursive: true, force: true });
	}
}
table();
