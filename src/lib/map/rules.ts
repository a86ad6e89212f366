// Who may change what in the social map: the relay refuses any other change, and the map's pages
// ask the same `may…` functions which buttons to show, so an honest device is never refused.
//
// | what                                                        | who                          |
// |-------------------------------------------------------------|------------------------------|
// | organisations, services, locations, where a service is      | map editors and managers     |
// | offered, "nog juist", removing and restoring, importing     |                              |
// | the themes offered for services                             | map editors and managers (an import adds the themes its services use) |
// | where the map centres, its tile server                      | managers                     |
// | deleting an organisation, service, location or a change log | nobody: removal is a flag    |
// | line, or replacing one                                      |                              |
// Plain members only read the map: the app offers them no button that writes to it.
import { isRecord } from '../automerge/fields.ts';
import type { Edit } from '../rules/edits.ts';
import { isManager, mayActAs, type Rule, type Scope, type Who } from '../rules/judge.ts';

/** May add, edit, check, remove and restore entries of the social map, and import a file. */
export const mayEditMap = (who: Who): boolean => isManager(who) || who.roles.includes('map');

/** May change where the map centres and which tile server draws it. */
export const mayChangeMapSettings = (who: Who): boolean => isManager(who);

const COLLECTIONS = ['organizations', 'services', 'locations', 'serviceAtLocations'] as const;
type Collection = (typeof COLLECTIONS)[number];
const STAMP = ['by', 'actedBy', 'at'];

/** Fields of an entry, and which of them may hold a map of keyed parts. */
const FIELDS: Record<Collection, string[]> = {
	organizations: ['id', 'name', 'description', 'email', 'website', 'phone', 'created', 'updated', 'removed'],
	services: [
		'id', 'organization', 'name', 'description', 'forWhom', 'howToApply', 'themes', 'free', 'fees', 'languages', 'email',
		'website', 'phones', 'schedules', 'accessibility', 'reviewed', 'created', 'updated', 'removed'
	],
	locations: ['id', 'name', 'street', 'postcode', 'city', 'lat', 'lon', 'accessibility', 'transport', 'created', 'updated', 'removed'],
	serviceAtLocations: ['id', 'service', 'location', 'removed']
};
/** A service's flags and parts are replaced as a whole when the form changes them. */
const KEYED = new Set(['themes', 'languages', 'phones', 'schedules']);
const isCollection = (key: string): key is Collection => (COLLECTIONS as readonly string[]).includes(key);

const isPut = (edit: Edit): edit is Extract<Edit, { kind: 'put' }> => edit.kind === 'put';
const makes = (edit: Edit, type: 'map' | 'list') => isPut(edit) && typeof edit.value === 'object' && edit.value?.made === type;
const scalar = (edit: Edit) => isPut(edit) && (typeof edit.value !== 'object' || edit.value === null);

/** The document's own maps and list exist from its start; one is made only where none is. */
function container(edit: Edit, scope: Scope, type: 'map' | 'list'): string | undefined {
	if (edit.kind === 'delete') return 'map.no-delete';
	const stored = scope.before(edit.path);
	const missing = type === 'list' ? !Array.isArray(stored) : !isRecord(stored);
	return makes(edit, type) && missing ? undefined : 'map.no-replace';
}

function stamped(edit: Edit, who: Who): string | undefined {
	return isPut(edit) && edit.path[edit.path.length - 1] === 'by' && !mayActAs(who, edit.value) ? 'map.stamp' : undefined;
}

function entry(edit: Edit, who: Who, scope: Scope, collection: Collection): string | undefined {
	const [, id, field, key] = edit.path;
	const depth = edit.path.length;
	if (depth === 2) {
		if (edit.kind === 'delete') return 'map.no-delete';
		if (!makes(edit, 'map')) return 'map.shape';
		if (scope.before(edit.path) !== undefined) return 'map.no-replace';
		return scope.after([collection, id, 'id']) === id ? undefined : 'map.shape';
	}
	if (!FIELDS[collection].includes(field)) return 'map.shape';
	const made = scope.isNew([collection, id]);
	if (!made && scope.before([collection, id]) === undefined) return 'map.shape';
	if (!made && (field === 'id' || field === 'created')) return 'map.made-once';
	if (collection === 'services' && KEYED.has(field)) {
		if (depth === 3) return container(edit, scope, 'map');
		// Flags, phones and opening hours are replaced whole by the form: their keys come and go.
		if (depth === 4) return edit.kind === 'delete' || (field === 'themes' || field === 'languages' ? isPut(edit) && edit.value === true : makes(edit, 'map')) ? undefined : 'map.shape';
		return depth === 5 && scalar(edit) ? undefined : 'map.shape';
	}
	if (field === 'created' || field === 'updated' || field === 'reviewed' || field === 'removed') {
		if (depth === 3) return makes(edit, 'map') || (field === 'removed' && isPut(edit) && edit.value === null) ? undefined : 'map.shape';
		return depth === 4 && scalar(edit) && (STAMP.includes(key) || (field === 'removed' && key === 'reason')) ? stamped(edit, who) : 'map.shape';
	}
	if (depth !== 3) return 'map.shape';
	if (field === 'description') return edit.kind === 'text' || isPut(edit) ? undefined : 'map.shape';
	// Coordinates are left out when the editor empties them.
	if (edit.kind === 'delete') return collection === 'locations' && (field === 'lat' || field === 'lon') ? undefined : 'map.no-delete';
	return scalar(edit) ? undefined : 'map.shape';
}

function settings(edit: Edit, who: Who, scope: Scope): string | undefined {
	if (edit.path.length === 1) return container(edit, scope, 'map');
	// The settings of a map being made come with it; later ones are a manager's.
	if (!scope.isNew(['settings']) && !mayChangeMapSettings(who)) return 'map.settings';
	const [, field, part] = edit.path;
	if (field === 'tiles') return edit.path.length === 2 && scalar(edit) ? undefined : 'map.shape';
	if (field !== 'centre') return 'map.shape';
	if (edit.path.length === 2) return makes(edit, 'map') || (isPut(edit) && edit.value === null) ? undefined : 'map.shape';
	return edit.path.length === 3 && (part === 'lat' || part === 'lon') && scalar(edit) ? undefined : 'map.shape';
}

export const mapRules: Rule = (edit, who, scope) => {
	if (!mayEditMap(who)) return 'map.editor';
	const [top, key] = edit.path;
	if (isCollection(top)) return edit.path.length === 1 ? container(edit, scope, 'map') : entry(edit, who, scope, top);
	if (top === 'settings') return settings(edit, who, scope);
	if (top === 'themes') {
		if (edit.path.length === 1) return edit.kind === 'list' ? undefined : container(edit, scope, 'list');
		return 'map.shape';
	}
	if (top === 'changes') {
		if (edit.path.length === 1) return container(edit, scope, 'map');
		// The change log only grows: one new line per change, never rewritten.
		if (edit.kind === 'delete') return 'map.no-delete';
		if (edit.path.length !== 2 || !scalar(edit) || typeof (edit as { value: unknown }).value !== 'string') return 'map.shape';
		return scope.before(['changes', key]) === undefined ? undefined : 'map.no-replace';
	}
	return 'map.shape';
};
