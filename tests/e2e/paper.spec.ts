import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, joinAs } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** The smallest text on the printed sheet, in points, and the PDF's page size in points. */
async function printed(page: Page): Promise<{ smallest: number; pages: number; width: number; height: number }> {
	await page.emulateMedia({ media: 'print' });
	const smallest = await page.evaluate(() => {
		let min = Infinity;
		for (const element of document.querySelectorAll('.sheet, .sheet *')) {
			const hasText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
			if (hasText) min = Math.min(min, parseFloat(getComputedStyle(element).fontSize));
		}
		return (min * 72) / 96;
	});
	const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
	const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf);
	await page.emulateMedia({ media: 'screen' });
	return { smallest, pages: (pdf.match(/\/Type \/Page\b/g) ?? []).length, width: Number(box?.[1]), height: Number(box?.[2]) };
}

test('the weekly buurtblad prints on A4 in large type, with first names and streets only', async ({ browser }) => {
	const fatima = await device(browser);
	const invite = await createNeighbourhood(fatima, relay, 'Fatima');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert de Vries');
	await askForHelp(bert, 'Wie haalt mijn medicijnen?');

	await fatima.getByRole('link', { name: 'Start' }).click();
	await fatima.getByRole('link', { name: 'Buurtblad afdrukken' }).click();
	await expect(fatima.getByRole('heading', { name: 'Buurtblad Lindenbuurt' })).toBeVisible();
	await expect(fatima.getByTestId('paper-requests')).toHaveText('Wie haalt mijn medicijnen? (Boodschappen) — Bert, Lindenlaan');
	await expect(fatima.getByText('Kunt u helpen? Bel 020 123 4567.')).toBeVisible();
	await expect(fatima.getByRole('img', { name: 'Scan de code voor de openbare pagina van de buurt.' })).toBeVisible();
	// The code leads to the public page, not into the neighbourhood: no invitation on paper.
	const qr = (await fatima.locator('.qr[data-link]').getAttribute('data-link')) ?? '';
	expect(qr).toMatch(new RegExp(`^${relay.origin}/openbaar#r=[^&]+&d=automerge:\\w+$`));
	expect(qr).not.toContain(invite.split('&t=')[1]!);
	const sheet = await printed(fatima);
	expect(sheet.smallest).toBeGreaterThanOrEqual(14);
	// A4 is 595 × 842 points.
	expect([Math.round(sheet.width), Math.round(sheet.height)]).toEqual([595, 842]);
	expect(sheet.pages).toBeGreaterThanOrEqual(1);

	await fatima.goto(`${relay.origin}/agenda/afdrukken`);
	await expect(fatima.getByRole('heading', { name: 'Agenda Lindenbuurt' })).toBeVisible();
	expect(await fatima.locator('.qr[data-link]').getAttribute('data-link')).toBe(qr);
	expect((await printed(fatima)).smallest).toBeGreaterThanOrEqual(14);
});
