// Pure migrations of the root document, applied inside a change when an older client's root is
// opened. Each step brings the document from version N-1 to N. The root comes from peers, so a
// migration never throws: a version it cannot follow is reported as a result, and every device
// keeps showing the neighbourhood as well as it can.
import { isRecord, textOf } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import { DEFAULT_HELP_CATEGORIES, readVersion, SCHEMA_VERSION } from './document.ts';

type Mutable = Record<string, unknown>;

/** A map of the root, or a fresh one in its place when a peer left something else there. */
function mapAt(parent: Mutable, key: string): Mutable {
	if (!isRecord(parent[key])) parent[key] = {};
	return parent[key] as Mutable;
}

const steps: Record<number, (doc: Mutable) => void> = {
	// Version 0 (the first prototype) had no settings and a single `phone` on the root.
	1: (doc) => {
		// A copy of the text, never the value itself: Automerge refuses a second reference to an object.
		if (!isRecord(doc.contact)) doc.contact = { name: imm(''), phone: imm(textOf(doc.phone)), hours: '' };
		delete doc.phone;
		if (!isRecord(doc.settings)) {
			doc.settings = {
				modules: { help: true, agenda: true, map: true },
				helpCategories: DEFAULT_HELP_CATEGORIES.map(imm)
			};
		}
		if (!isRecord(doc.managers)) doc.managers = {};
		if (!Array.isArray(doc.relays)) doc.relays = [];
	},
	// Version 2 adds the help board's index of period documents.
	2: (doc) => {
		if (isRecord(doc.docs)) mapAt(doc.docs, 'help');
	},
	// Version 3 adds the help board's archive of long-closed posts.
	3: (doc) => {
		if (!isRecord(doc.docs)) return;
		mapAt(doc.docs, 'helpArchive');
		mapAt(doc.docs, 'helpSealed');
	},
	// Version 4 adds the indexes of the agenda's and the social map's documents, and module editors.
	4: (doc) => {
		if (isRecord(doc.docs)) {
			mapAt(doc.docs, 'agenda');
			mapAt(doc.docs, 'map');
		}
		mapAt(doc, 'editors');
	}
};

export type MigrationResult =
	| { kind: 'current' }
	| { kind: 'migrated'; from: number; to: number }
	| { kind: 'newer'; version: number }
	| { kind: 'impossible' }
	/** A step met a shape it could not handle; the steps before it stay done. */
	| { kind: 'failed'; from: number; at: number; reason: string };

export function needsMigration(doc: unknown): boolean {
	return isRecord(doc) && readVersion(doc.schemaVersion).kind === 'older';
}

function runSteps(doc: Mutable, from: number): MigrationResult {
	for (let version = from + 1; version <= SCHEMA_VERSION; version += 1) {
		try {
			steps[version](doc);
		} catch (error) {
			return { kind: 'failed', from, at: version, reason: error instanceof Error ? error.message : String(error) };
		}
		doc.schemaVersion = version;
	}
	return { kind: 'migrated', from, to: SCHEMA_VERSION };
}

/**
 * Runs inside `handle.change`. Only an older root is changed: a root from a newer app is left
 * alone, and an impossible version waits for a manager (`rebuild`), so no device silently
 * rewrites what it does not understand.
 */
export function migrate(doc: Mutable): MigrationResult {
	const version = readVersion(doc.schemaVersion);
	if (version.kind !== 'older') return version;
	return runSteps(doc, version.version);
}

/**
 * A manager's repair of a root with an impossible version: every step again (each only adds what
 * is missing), then the current version.
 */
export function rebuild(doc: Mutable): MigrationResult {
	return runSteps(doc, 0);
}
