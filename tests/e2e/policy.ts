// Fails a browser test when the relay's Content-Security-Policy blocked anything on a page: a
// policy that breaks a script, the wasm, a tile or a websocket would otherwise only show as a
// page that quietly does less. Specs import `test` and `expect` from here instead of Playwright.
import { test as base, expect, type BrowserContext } from '@playwright/test';

const violations: string[] = [];

/** Records every securitypolicyviolation event of the context's pages (service workers excluded). */
export async function watchPolicy(context: BrowserContext): Promise<void> {
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

export const test = base.extend<{ policyGuard: void }>({
	policyGuard: [
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			violations.length = 0;
			await use();
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };
