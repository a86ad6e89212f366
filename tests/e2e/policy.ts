// Fails a browser test when the relay's Content-Security-Policy blocked anything on a page: a
// policy that breaks a script, the wasm, a tile or a websocket would otherwise only show as a
// page that quietly does less. Specs import `test` and `expect` from here instead of Playwright.
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { relaysOfThisTest } from './relay.ts';

const violations: string[] = [];
/** The pages' warnings and errors, printed only when the test fails. */
const pageTrouble: string[] = [];
/**
 * The devices the current test opened. Closed when it ends: a device left open keeps its page
 * running (syncing, reconnecting to a relay that is gone) through every later test, and by the
 * end of the suite dozens of them slowed the machine enough to fail walks that pass alone.
 */
const contexts = new Set<BrowserContext>();

/** Records every securitypolicyviolation event of the context's pages (service workers excluded). */
export async function watchPolicy(context: BrowserContext): Promise<void> {
	contexts.add(context);
	context.once('close', () => contexts.delete(context));
	context.on('console', (message) => {
		if (message.type() === 'error' || message.type() === 'warning') pageTrouble.push(`${new Date().toISOString()} ${message.page()?.url() ?? '?'} ${message.type()}: ${message.text().slice(0, 300)}`);
	});
	context.on('weberror', (error) => pageTrouble.push(`${new Date().toISOString()} ${error.page()?.url() ?? '?'} uncaught: ${error.error().message.slice(0, 300)}`));
	await context.exposeBinding('__noaberPolicyViolation', ({ page }, line: string) => {
		violations.push(`${page?.url() ?? '?'}: ${line}`);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			// cbor-x (inside automerge-repo) probes `Function('')` once and, refused, decodes without
			// generated code: expected under the policy, and nothing breaks.
			if (event.blockedURI === 'eval' && event.sample === '(function anonymous(\n) {\n\n})') return;
			const report = (window as unknown as { __noaberPolicyViolation?: (line: string) => void }).__noaberPolicyViolation;
			report?.(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) sample ${JSON.stringify(event.sample)}`);
		});
	});
}

/**
 * What each open device showed when a walk failed: its address and the words on its screen, so a
 * rare failure on a busy machine can be read from the log alone ("Laden…", an empty board, an
 * error) without the trace files a clean CI run does not keep.
 */
async function whatDevicesShow(): Promise<string> {
	const lines: string[] = [];
	let n = 0;
	for (const context of contexts) {
		for (const page of context.pages()) {
			n += 1;
			const text = await page
				.evaluate(() => {
					const words = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
					return `[${words(document.querySelector('[data-status]'))}] ${words(document.querySelector('main') ?? document.body).slice(0, 700)}`;
				})
				.catch((error: unknown) => `(unreadable: ${String(error).slice(0, 100)})`);
			lines.push(`device ${n} ${page.url()}\n  ${text}`);
		}
	}
	return `--- what the open devices showed ---\n${lines.join('\n')}`;
}

export const test = base.extend<{ policyGuard: void }>({
	policyGuard: [
		// eslint-disable-next-line no-empty-pattern
		async ({}, use, info) => {
			violations.length = 0;
			pageTrouble.length = 0;
			relaysOfThisTest.length = 0;
			await use();
			// A failed walk says what the relay saw (its log holds no secrets: relay.ts checks that).
			if (info.status !== info.expectedStatus) {
				if (pageTrouble.length > 0) console.log(`--- the pages' warnings and errors (last 40) ---\n${pageTrouble.slice(-40).join('\n')}`);
				for (const relay of relaysOfThisTest) console.log(`--- relay ${relay.origin} log (last 80 lines) ---\n${relay.output().split('\n').slice(-80).join('\n')}`);
				console.log(await whatDevicesShow());
			}
			await Promise.allSettled([...contexts].map((context) => context.close()));
			contexts.clear();
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };
