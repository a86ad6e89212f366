// Creating a neighbourhood: the root and every module document, once, on one device (or the
// relay). Everyone else finds the module documents through the root, so histories can merge.
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { randomId } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { MapDoc } from '../map/document.ts';
import { newMapDoc } from '../map/create.ts';
import type { MembersDoc } from '../members/document.ts';
import { newMember, type ProfileInput } from '../members/mutations.ts';
import { listedDocuments } from './documents.ts';
import { DEFAULT_HELP_CATEGORIES, SCHEMA_VERSION, type RootDoc } from './document.ts';
import type { DetailsInput } from './schema.ts';
import { documentIdOf } from '../automerge/document-id.ts';

export interface Created {
	id: string;
	root: DocHandle<RootDoc>;
	members: DocHandle<MembersDoc>;
	map: DocHandle<MapDoc>;
	/** Every document made, to store and register together. */
	documentIds: string[];
}

export interface FirstManager {
	id: string;
	profile: ProfileInput;
}

export function createNeighbourhood(
	repo: Repo,
	details: DetailsInput,
	options: { relays: string[]; manager?: FirstManager; now?: Date }
): Created {
	const now = (options.now ?? new Date()).toISOString();
	const members = repo.create<MembersDoc>({ members: {} });
	if (options.manager) {
		const { id, profile } = options.manager;
		members.change((doc) => {
			doc.members[id] = newMember(id, profile, now);
		});
	}
	const map = repo.create<MapDoc>(newMapDoc());
	const id = randomId();
	const root = repo.create<RootDoc>(
		newRootDoc(details, { id, members: members.url, map: map.url, relays: options.relays, manager: options.manager?.id, now })
	);
	const listed = listedDocuments(root.doc()).map((url) => documentIdOf(url));
	return { id, root, members, map, documentIds: [root.documentId, ...listed] };
}

/** A new neighbourhood's root, listing its members document and its map. */
export function newRootDoc(
	details: DetailsInput,
	options: { id: string; members: string; map: string; relays: string[]; manager?: string; now: string }
): RootDoc {
	const { id, members, map, now } = options;
	return {
		schemaVersion: SCHEMA_VERSION,
		id: imm(id),
		name: details.name,
		description: details.description,
		area: { description: details.area },
		contact: {
			name: imm(details.contactName),
			phone: imm(details.contactPhone),
			hours: details.contactHours
		},
		managers: options.manager ? { [options.manager]: true } : {},
		editors: {},
		relays: options.relays.map(imm),
		docs: { members: imm(members), help: {}, helpArchive: {}, helpSealed: {}, agenda: {}, map: { [map]: imm('map') } },
		settings: {
			modules: { help: true, agenda: true, map: true },
			helpCategories: DEFAULT_HELP_CATEGORIES.map(imm)
		},
		createdAt: imm(now)
	};
}
