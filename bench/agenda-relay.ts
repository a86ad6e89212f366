// Puts a generated agenda into a relay's data folder, as if the neighbourhood had used it for ten
// years: the members, and every agenda document listed in the root as the app lists them.
// Run on its own: npx tsx bench/agenda-relay.ts --out <relay data folder> [--origin http://localhost:3000]
//   [--data <folder from generate-agenda.ts>] [--seed n] [--scale 1]; then start the relay on that folder.
import '@automerge/automerge';
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHosted, type Hosted } from '../relay/create.ts';
import { AccessBook } from '../relay/access-book.ts';
import { Registry } from '../relay/registry.ts';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import type { MembersDoc } from '../src/lib/members/document.ts';
import { newMember } from '../src/lib/members/mutations.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { addAgendaDoc } from '../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { agendaArgs, generateAgenda, hasSavedAgenda, loadAgenda, type GeneratedAgenda } from './generate-agenda.ts';

export interface SeededAgenda extends Hosted {
	/** Stored size of each agenda document, in the order of `generated.documents`. */
	bytes: number[];
}

export async function seedAgendaRelay(data: string, origin: string, generated: GeneratedAgenda): Promise<SeededAgenda> {
	const registry = new Registry(data);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	const hosted = await createHosted(repo, registry, new AccessBook(data), { ...emptyDetails('Agendabuurt'), contactPhone: '020 123 4567' }, { origin });
	const root = await repo.find<RootDoc>(hosted.root as AutomergeUrl);
	const members = await repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
	members.change((doc) => {
		for (const m of generated.members) doc.members[m.id] = newMember(m.id, m.profile, m.joinedAt);
	});
	const bytes: number[] = [];
	for (const { period, bytes: binary } of generated.documents) {
		bytes.push(binary.byteLength);
		const handle = repo.import<AgendaDoc>(binary);
		registry.claim(handle.documentId, hosted.id);
		addAgendaDoc(root, period, handle.url);
	}
	await repo.flush();
	await repo.shutdown().catch(() => undefined);
	return { ...hosted, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = agendaArgs();
	const at = process.argv.indexOf('--origin');
	const origin = at >= 0 ? process.argv[at + 1] : 'http://localhost:3000';
	if (!args.out) {
		console.error('Usage: npx tsx bench/agenda-relay.ts --out <relay data folder> [--origin url] [--data <agenda folder>] [--seed n] [--scale 1]');
		process.exit(1);
	}
	const generated = hasSavedAgenda(args.data) ? loadAgenda(args.data) : generateAgenda(args.seed, args.scale, args.now);
	const seeded = await seedAgendaRelay(args.out, origin, generated);
	const total = seeded.bytes.reduce((a, b) => a + b, 0);
	console.log(`${seeded.bytes.length} agenda documents (${(total / 1024 / 1024).toFixed(1)} MB) in ${args.out}; invite: ${seeded.invite}`);
}
