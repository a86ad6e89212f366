// Pure migrations of the root document, applied inside a change when an older client's root is
// opened. Each step brings the document from version N-1 to N.
import { imm } from '../automerge/fields.ts';
import { DEFAULT_HELP_CATEGORIES, SCHEMA_VERSION } from './document.ts';

type Mutable = Record<string, unknown>;

const steps: Record<number, (doc: Mutable) => void> = {
	// Version 0 (the first prototype) had no settings and a single `phone` on the root.
	1: (doc) => {
		if (typeof doc.contact !== 'object' || doc.contact === null) {
			doc.contact = { name: imm(''), phone: doc.phone ?? imm(''), hours: '' };
		}
		delete doc.phone;
		if (typeof doc.settings !== 'object' || doc.settings === null) {
			doc.settings = {
				modules: { help: true, agenda: true, map: true },
				helpCategories: DEFAULT_HELP_CATEGORIES.map(imm)
			};
		}
		if (typeof doc.managers !== 'object' || doc.managers === null) doc.managers = {};
		if (!Array.isArray(doc.relays)) doc.relays = [];
	},
	// Version 2 adds the help board's index of period documents.
	2: (doc) => {
		const docs = doc.docs as Record<string, unknown> | undefined;
		if (docs && (typeof docs.help !== 'object' || docs.help === null)) docs.help = {};
	},
	// Version 3 adds the help board's archive of long-closed posts.
	3: (doc) => {
		const docs = doc.docs as Record<string, unknown> | undefined;
		if (!docs) return;
		if (typeof docs.helpArchive !== 'object' || docs.helpArchive === null) docs.helpArchive = {};
		if (typeof docs.helpSealed !== 'object' || docs.helpSealed === null) docs.helpSealed = {};
	},
	// Version 4 adds the indexes of the agenda's and the social map's documents, and module editors.
	4: (doc) => {
		const docs = doc.docs as Record<string, unknown> | undefined;
		if (docs && (typeof docs.agenda !== 'object' || docs.agenda === null)) docs.agenda = {};
		if (docs && (typeof docs.map !== 'object' || docs.map === null)) docs.map = {};
		if (typeof doc.editors !== 'object' || doc.editors === null) doc.editors = {};
	}
};

export function needsMigration(doc: { schemaVersion?: unknown }): boolean {
	const version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
	return version < SCHEMA_VERSION;
}

/** Runs inside `handle.change`. A root from a newer client is left alone. */
export function migrate(doc: Mutable): void {
	let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
	while (version < SCHEMA_VERSION) {
		version += 1;
		steps[version](doc);
		doc.schemaVersion = version;
	}
}
