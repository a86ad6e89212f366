// Who may change what in a neighbourhood's root document: the relay refuses any other change, and
// the settings pages ask the same `may…` functions which buttons to show.
//
// | what                                                              | who                            |
// |-------------------------------------------------------------------|--------------------------------|
// | name, description, area, contact, help categories, public page,  | managers                       |
// | modules, relays, the managers and editors lists (a display copy   |                                |
// | of the roles the relay keeps)                                     |                                |
// | a document added to docs.help, helpArchive, helpSealed, agenda,   | any member, the way the app    |
// | map (whoever posts first in a new quarter starts its document)    | adds them                      |
// | removing or replacing a listed document, id, createdAt            | nobody                         |
// | docs.members                                                      | nobody; a manager's repair puts back the original |
// | an older root brought up to date (migrate.ts, heal.ts)            | any member: see below          |
// | a damaged root repaired (repair.ts: version, id, members address) | managers                       |
//
// Migrations run on every device that opens an older root, whoever holds it, so that a
// neighbourhood whose manager is away still works with a newer app. That is safe because every
// step only adds: a map, list or field where none is (never replacing one that is there), the
// version number raised (never lowered, never past the version this app knows), and version 0's
// stray `phone` removed. Healing only re-adds documents a conflict hid, which the lists allow
// anyone anyway. Repairs rewrite what is broken and so stay a manager's.
import * as v from 'valibot';
import { automergeUrl, id as idSchema, isRecord } from '../automerge/fields.ts';
import { AGENDA_PERIOD } from '../agenda/document.ts';
import { PERIOD } from '../help/document.ts';
import type { Edit, Path } from '../rules/edits.ts';
import { isManager, type Rule, type Scope, type Who } from '../rules/judge.ts';
import { SCHEMA_VERSION } from './document.ts';
import type { Entry } from './heal.ts';

/** May change the neighbourhood's details, contact, help categories and settings. */
export const mayChangeNeighbourhood = (who: Who): boolean => isManager(who);

/**
 * May download the whole neighbourhood as one file: every member's name and every post are in it.
 * Each device holds all of it anyway; this keeps the button where someone answers for the data.
 */
export const mayExportNeighbourhood = (who: Who): boolean => isManager(who);

/** May repair a damaged root (an impossible version, a lost id or members address). */
export const mayRepairRoot = (who: Who): boolean => isManager(who);

/** The root's document lists, and what each entry's value must be. */
const INDEXES: Record<string, (value: string) => boolean> = {
	help: (p) => PERIOD.test(p),
	helpArchive: (year) => /^\d{4}$/.test(year),
	helpSealed: (url) => v.is(automergeUrl, url),
	agenda: (p) => AGENDA_PERIOD.test(p),
	map: (p) => p === 'map'
};

/** May `url → value` be added to the index `index` of a root. Healing asks this too. */
export function mayList(index: string, url: string, value: unknown): boolean {
	const valid = INDEXES[index];
	return valid !== undefined && typeof value === 'string' && valid(value) && v.is(automergeUrl, url);
}

/**
 * Healing on any member's device re-adds the documents a conflict hid. The managers and editors
 * lists are a display copy of roles the relay keeps: a manager's device writes those.
 */
export const anyoneMayHeal = (entry: Entry): boolean => entry.path[0] === 'docs' && mayList(entry.path[1], entry.key, entry.value);

const isPut = (edit: Edit): edit is Extract<Edit, { kind: 'put' }> => edit.kind === 'put';
const makes = (edit: Edit, type: 'map' | 'list' | 'text') =>
	isPut(edit) && typeof edit.value === 'object' && edit.value?.made === type;

/** Nothing of a neighbourhood is there yet: the change that makes the root. */
const creating = (scope: Scope) =>
	['docs', 'id', 'name', 'createdAt', 'schemaVersion'].every((key) => scope.before([key]) === undefined);

/** A map or list made where the root has none (a migration's step); never one replacing another. */
function fills(edit: Edit, scope: Scope, type: 'map' | 'list'): string | undefined {
	if (edit.kind === 'delete') return 'root.no-delete';
	const stored = scope.before(edit.path);
	const missing = type === 'list' ? !Array.isArray(stored) : !isRecord(stored);
	// Two devices migrating offline each make the same container: a first value beside another's merges.
	return makes(edit, type) && (missing || !(edit.kind === 'put' && edit.replaces)) ? undefined : 'root.no-replace';
}

const version = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

function schemaVersion(edit: Edit, who: Who, scope: Scope): string | undefined {
	if (!isPut(edit)) return 'root.version';
	const next = version(edit.value);
	if (next === undefined || next > SCHEMA_VERSION) return 'root.version';
	const stored = scope.before(['schemaVersion']);
	// A root without a version is version 0; an impossible one waits for a manager's repair.
	const from = stored === undefined ? 0 : version(stored);
	if (from === undefined) return mayRepairRoot(who) ? undefined : 'root.manager';
	return next > from ? undefined : 'root.version';
}

function docs(edit: Edit, who: Who, scope: Scope): string | undefined {
	const [, index, url] = edit.path;
	if (edit.path.length === 1) return fills(edit, scope, 'map');
	if (index === 'members') {
		if (edit.path.length !== 2 || !isPut(edit) || !v.is(automergeUrl, edit.value)) return 'root.shape';
		// Once set it stays. A manager puts back the address the root was created with when a peer
		// broke or replaced it before these rules existed (repair.ts); the rules cannot see the
		// root's first version, so that repair is trusted to managers.
		if (!mayRepairRoot(who)) return v.is(automergeUrl, scope.before(edit.path)) ? 'root.made-once' : 'root.manager';
		return undefined;
	}
	if (!(index in INDEXES)) return 'root.shape';
	if (edit.path.length === 2) return fills(edit, scope, 'map');
	if (edit.path.length !== 3) return 'root.shape';
	if (edit.kind === 'delete') return 'root.no-delete';
	if (!isPut(edit) || !mayList(index, url, edit.value)) return 'root.shape';
	// The same entry again (two devices healing at once) changes nothing; another value would.
	const stored = scope.before(edit.path);
	return stored === undefined || stored === edit.value ? undefined : 'root.no-replace';
}

/** Inside a map or list the same change made where there was none: a migration's defaults. */
function migrationDefaults(edit: Edit, path: Path): string | undefined {
	const [top, field, flag] = path;
	if (top === 'contact') return path.length === 2 && edit.kind !== 'delete' && ['name', 'phone', 'hours'].includes(field) ? undefined : 'root.shape';
	if (field === 'modules' && path.length === 3) {
		return ['help', 'agenda', 'map'].includes(flag) && isPut(edit) && edit.value === true ? undefined : 'root.shape';
	}
	if (field === 'modules' || field === 'helpCategories') {
		if (path.length !== 2) return 'root.shape';
		return edit.kind === 'list' || makes(edit, field === 'modules' ? 'map' : 'list') ? undefined : 'root.shape';
	}
	return 'root.manager';
}

/** The parts only managers change: details, contact, settings, who manages, relays. */
function managed(edit: Edit, who: Who, scope: Scope): string | undefined {
	const path = edit.path;
	const [top, field] = path;
	const text = top === 'name' || top === 'description';
	// The containers themselves: made where missing by a migration, never replaced or deleted.
	if (path.length === 1 && !text && !(top === 'relays' && edit.kind === 'list')) return fills(edit, scope, top === 'relays' ? 'list' : 'map');
	const fresh = (top === 'contact' || top === 'settings') && (scope.isNew([top]) || (top === 'settings' && scope.isNew(['settings', field])));
	if (fresh && migrationDefaults(edit, path) !== 'root.manager') return migrationDefaults(edit, path);
	if (top === 'settings' && path.length === 2 && (field === 'modules' || field === 'helpCategories') && edit.kind !== 'list') {
		return fills(edit, scope, field === 'helpCategories' ? 'list' : 'map');
	}
	if (!mayChangeNeighbourhood(who)) return 'root.manager';
	// Managers switch roles and the public page on and off; nothing else of the root is deleted.
	if (edit.kind === 'delete' && top !== 'managers' && top !== 'editors' && !(top === 'settings' && field === 'publicPage')) {
		return 'root.no-delete';
	}
	return undefined;
}

const MANAGED = new Set(['name', 'description', 'area', 'contact', 'settings', 'managers', 'editors', 'relays']);

export const rootRules: Rule = (edit, who, scope) => {
	if (creating(scope)) return undefined;
	const [top] = edit.path;
	if (top === 'docs') return docs(edit, who, scope);
	if (top === 'schemaVersion' && edit.path.length === 1) return schemaVersion(edit, who, scope);
	if (top === 'id' && edit.path.length === 1) {
		if (v.is(idSchema, scope.before(['id']))) return 'root.made-once';
		return isPut(edit) && v.is(idSchema, edit.value) && mayRepairRoot(who) ? undefined : 'root.manager';
	}
	if (top === 'createdAt') return 'root.made-once';
	// Version 0 kept the phone number on the root; the first migration moves it into `contact`.
	if (top === 'phone' && edit.path.length === 1 && edit.kind === 'delete') {
		const stored = scope.before(['schemaVersion']);
		return stored === undefined || stored === 0 || mayRepairRoot(who) ? undefined : 'root.shape';
	}
	if (MANAGED.has(top)) return managed(edit, who, scope);
	return 'root.shape';
};
