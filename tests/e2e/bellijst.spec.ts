// Issue #13: a volunteer who helps a resident without a device sees that resident's news on the
// home screen ("Nieuw voor u") and on the bellijst, and prints the bellijst on A4 in large type.
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { createNeighbourhood, dayAhead, device, joinAs, openPost } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let relay: RunningRelay;

test.beforeEach(async () => {
	relay = await startRelay();
});

test.afterEach(async () => {
	await relay.stop();
});

/** The smallest text on the printed sheet, in points, and the PDF's page size in points (as paper.spec.ts). */
async function printed(page: Page): Promise<{ smallest: number; width: number; height: number }> {
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
	return { smallest, width: Number(box?.[1]), height: Number(box?.[2]) };
}

test("a volunteer hears of a resident's news on the home screen and on the bellijst, which prints on A4 in large type", async ({ browser }) => {
	const anna = await device(browser);
	const invite = await createNeighbourhood(anna, relay, 'Anna');
	const bert = await device(browser);
	await joinAs(bert, invite, 'Bert de Vries');

	// Anna helps Henk, who has no phone or computer, and asks for help for him on a given day.
	await anna.getByRole('link', { name: 'Buren', exact: true }).click();
	await anna.getByRole('link', { name: 'Iemand zonder telefoon of computer toevoegen' }).click();
	await anna.getByLabel('Uw naam').fill('Henk Jansen');
	await anna.getByLabel('Telefonisch').check();
	await anna.getByLabel('Deze persoon weet hiervan en is het ermee eens.').check();
	await anna.getByRole('button', { name: 'Profiel maken' }).click();
	await anna.getByRole('link', { name: 'Bewoners die ik help' }).click();
	await anna.getByRole('link', { name: 'Hulp vragen voor Henk Jansen' }).click();
	await anna.getByLabel('Boodschappen', { exact: true }).check();
	await anna.getByLabel('Korte titel').fill('Brood halen, Lindenlaan 4');
	await anna.getByLabel('Op een dag').check();
	const day = dayAhead(3);
	await anna.getByLabel('Datum').fill(day);
	await anna.getByRole('button', { name: 'Plaatsen' }).click();
	await expect(anna.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	// Bert offers to help.
	await openPost(bert, 'Brood halen, Lindenlaan 4');
	await bert.getByLabel('Bericht (mag leeg blijven)').fill('Bel me op 06 12345678');
	await bert.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(bert.getByText('Bijgewerkt met de buurt.')).toBeVisible();

	// On Anna's home screen: the news of the resident she acts for, as a link to the post.
	await anna.getByRole('link', { name: 'Start' }).click();
	const news = anna.getByTestId('news');
	await expect(news.getByRole('heading', { name: 'Nieuw voor u' })).toBeVisible();
	await expect(news.getByRole('link', { name: 'Henk: Bert wil helpen met boodschappen' })).toBeVisible();
	await expect(news).not.toContainText('06 12345678');
	await expect(news).not.toContainText('Lindenlaan');
	await expectNoViolations(anna, 'home with news');

	// The bellijst, from the overview of residents: the same news, with the day the help is for.
	await anna.getByRole('link', { name: 'Bewoners die ik help' }).click();
	await anna.getByRole('link', { name: 'Bellijst voor vandaag' }).click();
	await expect(anna.getByRole('heading', { name: 'Bellijst', level: 1 })).toBeVisible();
	const weekday = new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(`${day}T12:00:00Z`));
	await expect(anna.getByTestId('call-Henk Jansen')).toContainText(`Henk: Bert wil helpen met boodschappen, ${weekday}`);
	await expect(anna.getByRole('button', { name: 'Afdrukken' })).toBeVisible();
	await expectNoViolations(anna, 'bellijst');
	const sheet = await printed(anna);
	expect(sheet.smallest).toBeGreaterThanOrEqual(14);
	// A4 is 595 × 842 points.
	expect([Math.round(sheet.width), Math.round(sheet.height)]).toEqual([595, 842]);

	// Read: the home screen is calm again, also after a reload.
	await anna.getByRole('link', { name: 'Start' }).click();
	await anna.getByRole('button', { name: 'Alles gelezen' }).click();
	await expect(news).toContainText('Er is niets nieuws voor u.');
	await anna.reload();
	await expect(anna.getByTestId('news')).toContainText('Er is niets nieuws voor u.');
});
