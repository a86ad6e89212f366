// The neighbourhood outlives its relay, as a manager and an operator see it: the manager downloads
// the whole neighbourhood in one file, a person without Noaber can read it, and another relay takes
// it in with its history, where a new neighbour finds what was there.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from './policy.ts';
import { askForHelp, createNeighbourhood, device, openPost } from './flows.ts';
import { startRelay, type RunningRelay } from './relay.ts';

let first: RunningRelay;
let second: RunningRelay | undefined;

test.beforeEach(async () => {
	first = await startRelay();
});

test.afterEach(async () => {
	await first.stop();
	await second?.stop();
	second = undefined;
});

const noaber = (relay: RunningRelay, ...args: string[]) =>
	promisify(execFile)(process.execPath, ['bin/noaber.js', ...args], {
		env: { ...process.env, NOABER_DATA: relay.data, NOABER_PUBLIC_URL: relay.origin }
	});

test('a manager downloads the whole neighbourhood; another relay imports the file, and a neighbour there finds the post', async ({ browser }) => {
	const manager = await device(browser);
	await createNeighbourhood(manager, first);
	await askForHelp(manager, 'Wie maait het gras bij de kerk?');

	await manager.getByRole('link', { name: 'Start' }).click();
	await manager.getByRole('link', { name: 'Buurt aanpassen' }).click();
	const downloading = manager.waitForEvent('download');
	await manager.getByRole('button', { name: 'Download de buurt' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^lindenbuurt-\d{4}-\d{2}-\d{2}\.noaber\.zip$/);
	await expect(manager.getByRole('status').filter({ hasText: /Klaar\. Het bestand lindenbuurt-.*\.noaber\.zip staat bij uw downloads\./ })).toBeVisible();
	const path = test.info().outputPath(download.suggestedFilename());
	await download.saveAs(path);

	// Readable without Noaber: a plain ZIP with the board as a table and a note on what is in it.
	const files = unzipSync(new Uint8Array(await readFile(path)));
	expect(strFromU8(files['LEESMIJ.txt']!)).toContain('noaber import');
	expect(strFromU8(files['leesbaar/hulpvragen.csv']!)).toContain('Wie maait het gras bij de kerk?');
	const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { withAccess: boolean; documents: unknown[] };
	expect(manifest.withAccess).toBe(false);

	// The association's server stops; the library's takes the file in, the same neighbourhood.
	await manager.close();
	await first.stop();
	second = await startRelay();
	const imported = JSON.parse((await noaber(second, 'import', path, '--json')).stdout.trim().split('\n').at(-1)!) as { created: boolean; documents: number };
	expect(imported).toMatchObject({ created: true });
	const again = JSON.parse((await noaber(second, 'import', path, '--json')).stdout.trim().split('\n').at(-1)!) as { unchanged: boolean };
	expect(again).toMatchObject({ unchanged: true });

	// The file holds no credentials, so the operator invites the neighbourhood's new wijkverbinder.
	const invited = JSON.parse((await noaber(second, 'invite', 'Lindenbuurt', '--for', 'Karin', '--manager', '--json')).stdout.trim().split('\n').at(-1)!) as { invite: string };
	const karin = await device(browser);
	await karin.goto(invited.invite);
	await karin.getByRole('button', { name: 'Ja, ik doe mee' }).click();
	await karin.getByLabel('Uw naam').fill('Karin');
	await karin.getByRole('button', { name: 'Klaar' }).click();
	await expect(karin.getByRole('heading', { name: 'Lindenbuurt', level: 1 })).toBeVisible();
	await openPost(karin, 'Wie maait het gras bij de kerk?');
	// And the neighbourhood goes on there.
	await askForHelp(karin, 'Wie brengt mij naar de markt?');
});
