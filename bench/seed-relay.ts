// Puts a generated neighbourhood into a relay's data folder, as if it had been used for years.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { imm } from '../src/lib/automerge/immutable.ts';
import { archivable, archivePosts, yearOf } from '../src/lib/help/archive.ts';
import type { ArchiveDoc, HelpDoc } from '../src/lib/help/document.ts';
import { readPosts } from '../src/lib/help/view.ts';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { createHosted, type Hosted } from '../relay/create.ts';
import { AccessBook } from '../relay/access-book.ts';
import { Registry } from '../relay/registry.ts';
import type { MembersDoc } from '../src/lib/members/document.ts';
import { newMember } from '../src/lib/members/mutations.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { addHelpArchive, addHelpPeriod, addMapDoc, sealHelpPeriod } from '../src/lib/neighbourhood/mutations.ts';
import type { MapDoc } from '../src/lib/map/document.ts';
import { generateMap } from './generate-map.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import type { Generated } from './generate-help.ts';

export interface Seeded extends Hosted {
	/** Stored size of each quarter document, and of each year's archive. */
	bytes: number[];
	archiveBytes: number[];
	archivedPosts: number;
	sealed: number;
}

/** `map`: a social map with services in place of the new neighbourhood's empty one. */
export async function seedRelay(data: string, origin: string, generated: Generated, now = new Date(), options: { map?: boolean } = {}): Promise<Seeded> {
	const registry = new Registry(data);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	const hosted = await createHosted(repo, registry, new AccessBook(data), { ...emptyDetails('Benchbuurt'), contactPhone: '020 123 4567' }, { origin });
	const root = await repo.find<RootDoc>(hosted.root as AutomergeUrl);
	const members = await repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
	members.change((doc) => {
		for (const m of generated.members) doc.members[m.id] = newMember(m.id, m.profile, m.joinedAt);
	});
	if (options.map) {
		// 80 services of 30 organisations at 100 places (bench/generate-map.ts at a tenth of a large
		// municipality's).
		const map = repo.import<MapDoc>(A.save(generateMap(20261128, 0.1)));
		registry.claim(map.documentId, hosted.id);
		root.change((doc) => {
			for (const url of Object.keys(doc.docs.map ?? {})) delete doc.docs.map![url];
		});
		addMapDoc(root, map.url);
	}
	const bytes: number[] = [];
	const archives = new Map<string, DocHandle<ArchiveDoc>>();
	let archivedPosts = 0;
	let sealed = 0;
	for (const { period, bytes: binary } of generated.periods) {
		bytes.push(binary.byteLength);
		const handle = repo.import<HelpDoc>(binary);
		registry.claim(handle.documentId, hosted.id);
		addHelpPeriod(root, period, handle.url);
		// What the app does on devices over the years: seal quarters whose posts are long closed.
		const posts = readPosts([{ url: handle.url, doc: handle.doc() }]).items;
		if (!archivable(period, posts, now)) continue;
		let archive = archives.get(yearOf(period));
		if (!archive) {
			archive = repo.create<ArchiveDoc>({ year: imm(yearOf(period)), posts: {} });
			archives.set(yearOf(period), archive);
			registry.claim(archive.documentId, hosted.id);
			addHelpArchive(root, yearOf(period), archive.url);
		}
		archivedPosts += archivePosts(archive, posts);
		sealHelpPeriod(root, handle.url, archive.url);
		sealed += 1;
	}
	const archiveBytes = [...archives.values()].map((a) => A.save(a.doc()).byteLength);
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	return { ...hosted, bytes, archiveBytes, archivedPosts, sealed };
}
