// The neighbourhood the referee benchmark judges changes in: a relay data folder with the root, the
// members document (the ten-year board's 400 members), the board's most recent quarter and the
// agenda's current year, all listed in the root as the app lists them. Generating those two
// documents takes a minute of CPU, so they are kept in a cache folder between runs (same seed,
// same documents; delete the folder after changing a generator).
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessBook, refused } from '../relay/access-book.ts';
import { createHosted } from '../relay/create.ts';
import { Registry } from '../relay/registry.ts';
import type { Role } from '../src/lib/access/roles.ts';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import type { MembersDoc } from '../src/lib/members/document.ts';
import { newMember } from '../src/lib/members/mutations.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { addAgendaDoc, addHelpPeriod } from '../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { AGENDA_TEN_YEARS, eventsPerYear, generateYear } from './generate-agenda.ts';
import { BENCH_NOW, generateMembers, generateQuarter, TEN_YEARS, type GeneratedMember } from './generate-help.ts';

export interface SeededDocument<T> {
	url: AutomergeUrl;
	/** As the relay stores it: what a device that already holds the document has. */
	bytes: Uint8Array;
	doc: A.Doc<T>;
	/** '2026Q4' for the quarter, '2026' for the agenda year. */
	period: string;
}

export interface RefereeSeed {
	data: string;
	neighbourhood: string;
	root: SeededDocument<RootDoc>;
	members: SeededDocument<MembersDoc>;
	quarter: SeededDocument<HelpDoc>;
	agenda: SeededDocument<AgendaDoc>;
	people: GeneratedMember[];
}

/** The board's latest quarter and the agenda's current year, generated once per seed. */
function generatedDocuments(seed: number, cache: string): { quarter: Uint8Array; agenda: Uint8Array; period: string; year: string } {
	const folder = join(cache, String(seed));
	const quarterFile = join(folder, 'help-latest-quarter.automerge');
	const agendaFile = join(folder, 'agenda-current-year.automerge');
	const year = String(BENCH_NOW.getUTCFullYear());
	if (!existsSync(quarterFile) || !existsSync(agendaFile)) {
		console.log(`  generating the ten-year board's latest quarter and the agenda's ${year} (once; cached in ${folder})`);
		mkdirSync(folder, { recursive: true });
		writeFileSync(quarterFile, generateQuarter(seed, TEN_YEARS, TEN_YEARS.periods - 1).bytes);
		const ids = generateMembers(seed, TEN_YEARS).map((m) => m.id);
		writeFileSync(agendaFile, generateYear(seed, year, eventsPerYear(AGENDA_TEN_YEARS).get(year) ?? 0, ids).bytes);
	}
	const quarter = new Uint8Array(readFileSync(quarterFile));
	const period = String(A.load<HelpDoc>(quarter).period);
	return { quarter, agenda: new Uint8Array(readFileSync(agendaFile)), period, year };
}

export async function seedReferee(data: string, seed: number, cache: string): Promise<RefereeSeed> {
	const generated = generatedDocuments(seed, cache);
	const people = generateMembers(seed, TEN_YEARS);
	const registry = new Registry(data);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	const hosted = await createHosted(repo, registry, new AccessBook(data), emptyDetails('Scheidsbuurt'), { origin: 'http://localhost:3000' });
	const root = await repo.find<RootDoc>(hosted.root as AutomergeUrl);
	const members = await repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
	members.change((doc) => {
		for (const m of people) doc.members[m.id] = newMember(m.id, m.profile, m.joinedAt);
	});
	const quarter = repo.import<HelpDoc>(generated.quarter);
	registry.claim(quarter.documentId, hosted.id);
	addHelpPeriod(root, generated.period, quarter.url);
	const agenda = repo.import<AgendaDoc>(generated.agenda);
	registry.claim(agenda.documentId, hosted.id);
	addAgendaDoc(root, generated.year, agenda.url);
	await repo.flush();
	const copy = <T>(handle: { url: AutomergeUrl; doc(): A.Doc<T> }, period: string): SeededDocument<T> => {
		const doc = A.clone(handle.doc());
		return { url: handle.url, bytes: A.save(doc), doc, period };
	};
	const seeded: RefereeSeed = {
		data,
		neighbourhood: hosted.id,
		root: copy(root, ''),
		members: copy(members, ''),
		quarter: copy(quarter, generated.period),
		agenda: copy(agenda, generated.year),
		people
	};
	await repo.shutdown().catch(() => undefined);
	await untilOnDisk(data, [seeded.root, seeded.members, seeded.quarter, seeded.agenda]);
	return seeded;
}

/**
 * Waits until a fresh reader of the data folder finds every document whole. automerge-repo 2.5.6
 * can return from `flush` and `shutdown` while the storage adapter is still writing a snapshot: a
 * copy of the folder taken then held a quarter of zero bytes, so the relays of the fan-out served
 * an empty board and the one with rules refused the devices' whole history.
 */
async function untilOnDisk(data: string, documents: ReadonlyArray<SeededDocument<unknown>>): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const missing: string[] = [];
		// A fresh adapter each round: the stock one keeps what it read, a half-written chunk included.
		const disk = new NodeFSStorageAdapter(join(data, 'documents'));
		for (const { url, doc } of documents) {
			const id = url.replace(/^automerge:/, '');
			const chunks = await disk.loadRange([id]);
			let onDisk = A.init<unknown>();
			try {
				for (const chunk of chunks) if (chunk.data && chunk.data.length > 0) onDisk = A.loadIncremental(onDisk, chunk.data);
			} catch {
				// A chunk caught half-written: read again on the next round.
			}
			if (A.getHeads(onDisk).sort().join() !== A.getHeads(doc).sort().join()) missing.push(id);
		}
		if (missing.length === 0) return;
		if (Date.now() > deadline) throw new Error(`the seeded documents ${missing.join(', ')} did not reach the disk whole`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** A member of the access book with a given id (one of the generated residents), and a device. */
export function joinAs(book: AccessBook, neighbourhood: string, memberId: string, name: string, roles: Role[] = []): { credential: string; deviceId: string } {
	const { ticket } = book.makeTicket(neighbourhood, { personal: name, roles });
	const granted = book.join(neighbourhood, { ticket, name, label: 'bench', memberId });
	if (refused(granted)) throw new Error(`could not join as ${name}: ${granted.refused}`);
	return { credential: granted.credential, deviceId: granted.deviceId };
}
