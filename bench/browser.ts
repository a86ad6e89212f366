// The browser side shared by the Chromium benchmarks: Debian's Chromium, a new member joining
// through the invite, and waiting until the device holds everything before measuring offline.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labelled } from './arguments.ts';

/** The built app the relay serves; the browser benchmarks measure it, not the dev server. */
export function builtApp(): string {
	const app = resolve('build');
	if (!existsSync(join(app, 'index.html'))) {
		console.error('Build the app first: npm run build');
		process.exit(1);
	}
	return app;
}

/** `--app name=dir`, as often as wanted, to measure builds side by side; this checkout's build when none is given. */
export function builtApps(): { name: string; dir: string }[] {
	const given = labelled('app');
	if (given.length === 0) return [{ name: 'this build', dir: builtApp() }];
	return given.map(({ label, value: dir }) => {
		if (!existsSync(join(resolve(dir), 'index.html'))) throw new Error(`--app ${label}=${dir}: no built app (index.html) in ${dir}`);
		return { name: label, dir: resolve(dir) };
	});
}

const CHROMIUM = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
};

// Chromium 156 builds its address bar's suggestion list as a web page of its own at every start,
// headless too: about 1 s of CPU that a cold start measured on this machine's two CPUs shared with
// the page (a trace of an offline start showed it as the busiest renderer). A phone's browser does
// not do so while an installed app opens.
const ADDRESS_BAR_PAGES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

let launchArgs: Promise<string[]> | undefined;

/**
 * The arguments with the address bar's pages switched off. Chromium keeps only the last
 * --disable-features it is given, and Playwright gives one of its own: that list is read from a
 * first browser (chrome://version shows what is switched off) and given again with ours.
 */
function chromiumArgs(): Promise<string[]> {
	launchArgs ??= (async () => {
		const browser = await chromium.launch(CHROMIUM);
		try {
			const page = await browser.newPage();
			await page.goto('chrome://version/?show-variations-cmd');
			const off = /--disable-features="([^"]*)"/.exec(await page.innerText('body'))?.[1]?.split(',') ?? [];
			return [...CHROMIUM.args, `--disable-features=${[...new Set([...off, ...ADDRESS_BAR_PAGES])].join(',')}`];
		} finally {
			await browser.close();
		}
	})();
	return launchArgs;
}

export async function launchChromium(): Promise<Browser> {
	return chromium.launch({ ...CHROMIUM, args: await chromiumArgs() });
}

/**
 * A browser of its own on a profile kept in `profile`: closing it ends every page and process, so
 * the next launch on the same profile is a cold start with what the device stored (IndexedDB, the
 * service worker and its cache).
 */
export async function launchWithProfile(profile: string, options: { locale: string; timezoneId: string; offline?: boolean }): Promise<BrowserContext> {
	return chromium.launchPersistentContext(profile, { ...CHROMIUM, args: await chromiumArgs(), ...options });
}

/** Opens the invite and fills in a name; the caller times the tap on "Klaar". */
export async function startJoining(browser: Browser, invite: string): Promise<{ context: BrowserContext; page: Page; finish: () => Promise<void> }> {
	const context = await browser.newContext({ locale: 'nl-NL' });
	const page = await context.newPage();
	await page.goto(invite);
	await page.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await page.getByLabel('Uw naam').fill('Bench');
	return { context, page, finish: () => page.getByRole('button', { name: 'Klaar' }).click() };
}

/**
 * Waits until the relay has everything, the app shell is cached and IndexedDB settled; returns
 * bytes stored. With `documents`, until that many documents are stored on the device: "Bijgewerkt"
 * says the relay has all this device's changes, not that the device wrote them all down. On the
 * cheap phone, two seconds after it only 3 to 12 of 15 documents were stored.
 */
export async function whenHeldLocally(page: Page, documents?: number): Promise<number> {
	await page.getByText('Bijgewerkt met de buurt').waitFor({ timeout: 120_000 });
	await page.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return navigator.serviceWorker.controller !== null;
	});
	if (documents === undefined) await page.waitForTimeout(2000); // let the last IndexedDB writes land
	else await page.waitForFunction(storedDocuments, documents, { polling: 1000, timeout: 600_000 });
	return page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
}

/**
 * In the page: how many documents have content in the neighbourhoods' databases, once at least
 * `wanted` have (false before then, so a wait for it polls).
 */
export async function storedDocuments(wanted: number): Promise<number | false> {
	const stored = new Set<string>();
	for (const { name } of await indexedDB.databases()) {
		if (!name?.startsWith('noaber-')) continue;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const opening = indexedDB.open(name);
			opening.onsuccess = () => resolve(opening.result);
			opening.onerror = () => reject(opening.error);
		});
		for (const store of db.objectStoreNames) {
			const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
				const reading = db.transaction(store).objectStore(store).getAllKeys();
				reading.onsuccess = () => resolve(reading.result);
				reading.onerror = () => reject(reading.error);
			});
			// automerge-repo's keys: [document id, 'snapshot' | 'incremental' | 'sync-state', …].
			for (const key of keys) if (Array.isArray(key) && (key[1] === 'snapshot' || key[1] === 'incremental')) stored.add(String(key[0]));
		}
		db.close();
	}
	return stored.size >= wanted ? stored.size : false;
}
