// Issue #14: the privacy and accessibility statements, from every page's footer and before
// joining, filled from the neighbourhood's details; and the note when the browser will not keep
// this device's copy.
import type { Page } from '@playwright/test';
import { expect, test } from './policy.ts';
import { expectNoViolations } from './axe.ts';
import { createNeighbourhood, device } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

// One relay for both walks: they share nothing on it but its address, and starting one is
// seconds on a busy machine.
let relay: RunningRelay;

test.beforeAll(async () => {
	relay = await startRelay();
});

test.afterAll(async () => {
	await relay.stop();
});

/** Follows a link in the page's footer and waits for the statement's heading. */
async function fromFooter(page: Page, link: 'Privacyverklaring' | 'Toegankelijkheid', heading: string) {
	await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
	await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
	await expect(page.getByRole('contentinfo').getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
}

test('before joining, both statements open from the welcome screen and say what holds for every neighbourhood', async ({ browser }) => {
	const newcomer = await device(browser);
	// The join page, which shows no menu, carries the same footer (as every page does).
	await newcomer.goto(`${relay.origin}/join`);
	await expect(newcomer.getByRole('contentinfo').getByRole('link', { name: 'Privacyverklaring' })).toBeVisible();
	await expect(newcomer.getByRole('contentinfo').getByRole('link', { name: 'Toegankelijkheid' })).toBeVisible();
	await newcomer.goto(relay.origin);
	await expect(newcomer.getByRole('heading', { name: 'Welkom bij Noaber' })).toBeVisible();

	await fromFooter(newcomer, 'Privacyverklaring', 'Privacyverklaring');
	await expect(newcomer.getByText('De buurt waar u meedoet, is verantwoordelijk voor uw gegevens in Noaber.')).toBeVisible();
	await expect(newcomer.getByText('Doet u mee met een buurt? Dan ziet u hier de naam van de buurt en wie u kunt bellen.')).toBeVisible();
	await expect(newcomer.getByText('Gaat u weg uit de buurt? Dan worden uw gegevens na 12 maanden gewist.')).toBeVisible();
	await expect(newcomer.getByRole('link', { name: 'Naar de website van de Autoriteit Persoonsgegevens' })).toHaveAttribute('href', 'https://www.autoriteitpersoonsgegevens.nl');
	await expectNoViolations(newcomer, 'privacy statement before joining');

	await fromFooter(newcomer, 'Toegankelijkheid', 'Toegankelijkheidsverklaring');
	await expect(newcomer.getByText('Noaber voldoet gedeeltelijk aan WCAG 2.1 niveau AA.', { exact: false })).toBeVisible();
	await expect(newcomer.getByText('Vertel het de buur die u uitnodigde of een beheerder van uw buurt.')).toBeVisible();
	await expectNoViolations(newcomer, 'accessibility statement before joining');
});

test("inside a neighbourhood, the statements name it and its contact, and a refused keep of this device's copy is explained once", async ({ browser }) => {
	const manager = await device(browser);
	// This browser answers no when asked to keep the storage, as a phone's browser often does.
	await manager.context().addInitScript(() => {
		Object.defineProperty(navigator.storage, 'persisted', { value: async () => false });
		Object.defineProperty(navigator.storage, 'persist', { value: async () => false });
	});
	await createNeighbourhood(manager, relay, 'Anna');

	await fromFooter(manager, 'Privacyverklaring', 'Privacyverklaring');
	await expect(manager.getByText('Lindenbuurt is verantwoordelijk voor uw gegevens in Noaber.')).toBeVisible();
	await expect(manager.getByText('Vragen over uw gegevens? Neem contact op met Fatima de Vries van Lindenbuurt.').first()).toBeVisible();
	await expect(manager.getByRole('main').getByRole('link', { name: /020 123 4567/ }).first()).toBeVisible();
	await expectNoViolations(manager, 'privacy statement');

	await fromFooter(manager, 'Toegankelijkheid', 'Toegankelijkheidsverklaring');
	await expect(manager.getByText('Lindenbuurt wil dat iedereen Noaber kan gebruiken.', { exact: false })).toBeVisible();
	await expect(manager.getByText('Neem contact op met Fatima de Vries van Lindenbuurt.')).toBeVisible();
	await expectNoViolations(manager, 'accessibility statement');

	// The home screen says what the refusal means and what to do, until the resident closes it.
	await manager.getByRole('link', { name: 'Start' }).click();
	const note = manager.getByTestId('keep-data');
	await expect(note.getByRole('heading', { name: 'Uw buurt op dit apparaat' })).toBeVisible();
	await expect(note.getByText('Zet Noaber op uw beginscherm.', { exact: false })).toBeVisible();
	await expectNoViolations(manager, 'home with the note');
	await note.getByRole('button', { name: 'Opnieuw vragen' }).click();
	await expect(note.getByRole('status')).toHaveText('De browser zegt nog steeds nee. Probeer het beginscherm.');
	await note.getByRole('button', { name: 'Sluiten' }).click();
	await expect(note).toHaveCount(0);
	await manager.reload();
	await expect(manager.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await expect(manager.getByTestId('keep-data')).toHaveCount(0);
});
