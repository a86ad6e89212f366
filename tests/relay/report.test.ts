// `noaber report`: the figures per month over every neighbourhood on the relay, or one, counted
// from the stored documents through the modules' views. Counts only; a count under five never shows.
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../relay/cli.ts';
import { Registry } from '../../relay/registry.ts';
import { listedDocuments } from '../../src/lib/neighbourhood/documents.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { fillNeighbourhood } from '../fixtures/archive-neighbourhood.ts';
import { tempDir } from './harness.ts';

async function noaber(data: string, ...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) }, { NOABER_DATA: data });
	return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A neighbourhood made with `noaber create`, with `posts` requests for odd jobs made in November 2026. */
async function neighbourhoodWith(data: string, name: string, posts: number) {
	const created = await noaber(data, 'create', name, '--json');
	expect(created.code).toBe(0);
	const { id, root } = JSON.parse(created.out.split('\n').at(-1)!) as { id: string; root: string };
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	const titles = Array.from({ length: posts }, (_, i) => ({ title: `Klusje nummer ${i + 1}`, category: 'klussen' }));
	await fillNeighbourhood(repo, root, { posts: titles, events: ['Koffieochtend'], services: [] });
	const registry = new Registry(data);
	const rootHandle = await repo.find<RootDoc>(root as AutomergeUrl);
	for (const url of listedDocuments(rootHandle.doc())) registry.claim(url, id);
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	return id;
}

type Row = { month: string; measure: string; category?: string; value: number | '<5' };
const valueOf = (rows: Row[], month: string, measure: string, category?: string) => rows.find((r) => r.month === month && r.measure === measure && r.category === category)?.value;

describe('noaber report', () => {
	it('gives each neighbourhood’s figures, and all of them together, with counts under five hidden', async () => {
		const data = tempDir();
		await neighbourhoodWith(data, 'Lindenbuurt', 6);
		await neighbourhoodWith(data, 'Eikenbuurt', 4);

		const one = await noaber(data, 'report', 'Lindenbuurt', '--json');
		expect(one.code).toBe(0);
		const linden = JSON.parse(one.out) as { neighbourhoods: number; rows: Row[] };
		expect(linden.neighbourhoods).toBe(1);
		expect(valueOf(linden.rows, '2026-11', 'requestsMade', 'klussen')).toBe(6);
		// Anna and Bert joined in November: two, so not shown.
		expect(valueOf(linden.rows, '2026-11', 'membersJoined')).toBe('<5');
		expect(valueOf(linden.rows, '2026-11', 'newActivities')).toBe('<5');

		const eiken = JSON.parse((await noaber(data, 'report', 'Eikenbuurt', '--json')).out) as { rows: Row[] };
		expect(valueOf(eiken.rows, '2026-11', 'requestsMade', 'klussen')).toBe('<5');

		const all = await noaber(data, 'report', '--json');
		const together = JSON.parse(all.out) as { neighbourhoods: number; rows: Row[] };
		expect(together.neighbourhoods).toBe(2);
		expect(valueOf(together.rows, '2026-11', 'requestsMade', 'klussen')).toBe(10);
		// Nobody is named: no member's name and no post's title is in the report.
		expect(all.out).not.toMatch(/Anna|Bert|Klusje/);

		const text = await noaber(data, 'report');
		expect(text.code).toBe(0);
		expect(text.out).toContain('2 neighbourhoods');
		expect(text.out).toContain('requests made (klussen): 10');
		expect(text.out).toContain('members joined: <5');
	});

	it('says so when the neighbourhood named is not on this relay', async () => {
		const data = tempDir();
		await neighbourhoodWith(data, 'Lindenbuurt', 1);
		const missing = await noaber(data, 'report', 'Berkenbuurt');
		expect(missing.code).toBe(1);
		expect(missing.err).toContain('No neighbourhood "Berkenbuurt"');
	});
});
