// What a manager does on the manager's side of "Buren", shared by the browser tests.
import { expect, type Page } from '@playwright/test';

export async function openBuren(page: Page) {
	await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Buren', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Buren', level: 1 })).toBeVisible();
}

/** From "Buren", a member's "Taken en apparaten". */
export async function openMemberAccess(page: Page, name: string) {
	await openBuren(page);
	await page.getByTestId('member-list').getByRole('listitem').filter({ hasText: name }).getByRole('link', { name: 'Taken en apparaten' }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** A manager gives a member a task (a role the relay keeps), e.g. 'Mag de hele agenda bijwerken'. */
export async function appoint(page: Page, name: string, task: string) {
	await openMemberAccess(page, name);
	await page.getByLabel(task).check();
	await page.getByRole('button', { name: 'Taken opslaan' }).click();
	await expect(page.getByText('De taken zijn opgeslagen.')).toBeVisible();
}
