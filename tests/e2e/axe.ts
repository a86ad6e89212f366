// The WCAG 2.2 A/AA check (axe) of what a page shows now, shared by the browser tests. The count
// of passed checks proves axe looked at a real page, not at an empty one.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectNoViolations(page: Page, where: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.passes.length, where).toBeGreaterThan(10);
	const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(summary, `${where}\n${summary.join('\n')}`).toEqual([]);
}
