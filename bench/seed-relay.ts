// Puts a generated neighbourhood into a relay's data folder, as if it had been used for years.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { createHosted, type Hosted } from '../relay/create.ts';
import { Registry } from '../relay/registry.ts';
import type { MembersDoc } from '../src/lib/members/document.ts';
import { newMember } from '../src/lib/members/mutations.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { addHelpPeriod } from '../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import type { Generated } from './generate-help.ts';

export async function seedRelay(data: string, origin: string, generated: Generated): Promise<Hosted & { bytes: number[] }> {
	const registry = new Registry(data);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	const hosted = await createHosted(repo, registry, { ...emptyDetails('Benchbuurt'), contactPhone: '020 123 4567' }, { origin });
	const root = await repo.find<RootDoc>(hosted.root as AutomergeUrl);
	const members = await repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
	members.change((doc) => {
		for (const m of generated.members) doc.members[m.id] = newMember(m.id, m.profile, m.joinedAt);
	});
	const bytes: number[] = [];
	for (const { period, doc } of generated.periods) {
		const binary = A.save(doc);
		bytes.push(binary.byteLength);
		const handle = repo.import(binary);
		registry.claim(handle.documentId, hosted.id);
		addHelpPeriod(root, period, handle.url);
	}
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	return { ...hosted, bytes };
}
