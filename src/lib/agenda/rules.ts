// Who may change what in an agenda document: the relay refuses any other change, and the agenda's
// pages ask the same `may…` functions which buttons to show, so an honest device is never refused.
//
// | what                                   | who                                                   |
// |----------------------------------------|-------------------------------------------------------|
// | a new event                            | any member, as its author (or for a resident they act for) |
// | a new event with an iCalendar uid      | agenda editors (importing a calendar file)           |
// | a series continued "from a date on"    | whoever may edit the series it follows               |
// | an event's details, skips, changes of  | its author (or their intermediary), agenda editors,  |
// | one date, cancelling, its SEQUENCE     | managers                                              |
// | a sign-up, its cancelling, "deze keer  | the member it is for, or their intermediary          |
// | niet" and coming back                  |                                                       |
// | an event's id, author, creation, uid   | nobody, once made                                     |
// | the document's period                  | nobody, once made                                     |
// | deleting an event, a sign-up, the map  | nobody: cancelling and skipping are flags             |
import { isRecord } from '../automerge/fields.ts';
import { isUid } from '../validation/plain-text.ts';
import type { Edit, Path } from '../rules/edits.ts';
import { isManager, mayActAs, type Rule, type Scope, type Who } from '../rules/judge.ts';
import { AGENDA_PERIOD } from './document.ts';

/** May edit every event, not only their own, and import calendar files. */
export const isAgendaEditor = (who: Who): boolean => isManager(who) || who.roles.includes('agenda');

/** May change an event's details, its dates and its "gaat niet door". */
export const mayEditEvent = (who: Who, event: { author: unknown }): boolean => isAgendaEditor(who) || mayActAs(who, event.author);

/** May sign `memberId` up, cancel their sign-up or say "deze keer niet" for them. */
export const maySignUpFor = (who: Who, memberId: unknown): boolean => mayActAs(who, memberId);

/** Importing a calendar file adds events for everyone: an agenda editor's task. */
export const mayImportAgenda = (who: Who): boolean => isAgendaEditor(who);

/** Fields of an event that its editors change; anything else on an event stays as it was made. */
const EDITABLE = new Set([
	'title', 'description', 'start', 'end', 'allDay', 'rrule', 'skipped', 'overrides', 'location', 'organiser', 'contact',
	'category', 'cost', 'accessibility', 'accessibilityNote', 'capacity', 'sequence', 'service', 'public', 'updatedAt',
	'updatedBy', 'cancelled'
]);
/** Written once, when the event is made. */
const MADE_ONCE = new Set(['id', 'author', 'actedBy', 'createdAt', 'zone', 'uid', 'follows', 'signups']);
const SIGNUP_MADE = new Set(['id', 'member', 'actedBy', 'occurrence', 'at']);
/** Stamps name the person who acted: the device's own member, or a resident they act for. */
const STAMPS = new Set(['by', 'updatedBy', 'cancelledBy']);


/** A UID goes into every subscriber's calendar feed: a line break there would add components to it. */
/** The same rule the calendar import and the feed read UIDs by: one clean line. */
export const isCalendarUid = (uid: unknown): uid is string => typeof uid === 'string' && isUid(uid);

const isPut = (edit: Edit): edit is Extract<Edit, { kind: 'put' }> => edit.kind === 'put';
const makes = (edit: Edit, type: 'map' | 'list' | 'text') =>
	isPut(edit) && typeof edit.value === 'object' && edit.value !== null && edit.value.made === type;
const scalar = (edit: Edit) => isPut(edit) && (typeof edit.value !== 'object' || edit.value === null);

/** Who made an event: as stored, or as the changes being judged make it. */
const authorOf = (scope: Scope, id: string): unknown =>
	scope.isNew(['events', id]) ? scope.after(['events', id, 'author']) : scope.before(['events', id, 'author']);

function period(edit: Edit, scope: Scope): string | undefined {
	if (edit.kind === 'delete') return 'agenda.no-delete';
	if (!isPut(edit) || typeof edit.value !== 'string' || !AGENDA_PERIOD.test(edit.value)) return 'agenda.shape';
	return scope.before(['period']) === undefined ? undefined : 'agenda.period';
}

/** A new event: made whole by one change, under its own id, by its author. */
function newEvent(edit: Edit, who: Who, scope: Scope, id: string): string | undefined {
	const at = (field: string) => scope.after(['events', id, field]);
	if (scope.before(['events', id]) !== undefined) return 'agenda.no-replace';
	if (at('id') !== id || !mayActAs(who, at('author'))) return 'agenda.new-event';
	const uid = at('uid');
	if (uid !== undefined && !isAgendaEditor(who)) return 'agenda.import';
	if (uid !== undefined && !isCalendarUid(uid)) return 'agenda.uid';
	const follows = at('follows');
	if (follows !== undefined && !mayEditEvent(who, { author: authorOf(scope, String(follows)) })) {
		return 'agenda.event-editor';
	}
	return undefined;
}

function stamped(edit: Edit, who: Who): string | undefined {
	const last = edit.path[edit.path.length - 1];
	if (isPut(edit) && STAMPS.has(last) && !mayActAs(who, edit.value)) return 'agenda.stamp';
	return undefined;
}

/**
 * A field of an event, by who may edit it. `fresh`: the changes being judged made the event (the
 * relay judges a device's changes together, so later ones may already edit it).
 */
function eventField(edit: Edit, who: Who, scope: Scope, id: string, fresh: boolean): string | undefined {
	const [, , field, key, sub] = edit.path;
	const author = authorOf(scope, id);
	if (MADE_ONCE.has(field) && field !== 'signups') {
		if (!fresh) return 'agenda.made-once';
		return edit.path.length === 3 && scalar(edit) ? stamped(edit, who) : 'agenda.shape';
	}
	if (!EDITABLE.has(field)) return 'agenda.shape';
	if (!mayEditEvent(who, { author })) return 'agenda.event-editor';
	const depth = edit.path.length;
	switch (field) {
		case 'sequence':
			return depth === 3 && (edit.kind === 'increment' || scalar(edit)) ? undefined : 'agenda.shape';
		case 'description':
			return depth === 3 && (edit.kind === 'text' || isPut(edit)) ? undefined : 'agenda.shape';
		case 'accessibility':
			if (depth === 4 && (edit.kind === 'delete' || (isPut(edit) && edit.value === true))) return undefined;
			return depth === 3 && makes(edit, 'map') && !isRecord(scope.before(edit.path)) ? undefined : 'agenda.shape';
		case 'service':
			return depth === 3 && (edit.kind === 'delete' || scalar(edit)) ? undefined : 'agenda.shape';
		case 'skipped':
		case 'overrides':
			if (edit.kind === 'delete') return 'agenda.no-delete';
			if (depth === 3) return makes(edit, 'map') && !isRecord(scope.before(edit.path)) ? undefined : 'agenda.no-replace';
			if (depth === 4 && (makes(edit, 'map') || (field === 'skipped' && isPut(edit) && edit.value === null))) return undefined;
			if (depth === 5 && scalar(edit) && key !== undefined && sub !== undefined) return stamped(edit, who);
			return 'agenda.shape';
		case 'location':
			if (depth === 3 && makes(edit, 'map')) return undefined;
			return depth === 4 && scalar(edit) && ['name', 'lat', 'lon'].includes(key) ? undefined : 'agenda.shape';
		case 'cancelled':
			if (depth === 3 && (makes(edit, 'map') || (isPut(edit) && edit.value === null))) return undefined;
			return depth === 4 && scalar(edit) && ['by', 'at', 'reason'].includes(key) ? stamped(edit, who) : 'agenda.shape';
		default:
			if (edit.kind === 'delete') return 'agenda.no-delete';
			return depth === 3 && scalar(edit) ? stamped(edit, who) : 'agenda.shape';
	}
}

/** "Change the series from this date on" carries everyone's sign-ups over to the new series. */
function carriedOver(who: Who, scope: Scope, id: string, fresh: boolean): boolean {
	const follows = fresh ? scope.after(['events', id, 'follows']) : undefined;
	return follows !== undefined && mayEditEvent(who, { author: authorOf(scope, String(follows)) });
}

/** A sign-up: made by or for its member; later changed only by them or their intermediary. */
function signup(edit: Edit, who: Who, scope: Scope, id: string, fresh: boolean): string | undefined {
	const [, , , signupId, field, date] = edit.path;
	const path: Path = ['events', id, 'signups', signupId];
	if (edit.kind === 'delete' && edit.path.length <= 4) return 'agenda.no-delete';
	if (edit.path.length === 3) return fresh && makes(edit, 'map') ? undefined : 'agenda.no-replace';
	const made = scope.isNew(path);
	const member = made ? scope.after([...path, 'member']) : scope.before([...path, 'member']);
	if (!maySignUpFor(who, member) && !carriedOver(who, scope, id, fresh)) return 'agenda.signup-member';
	if (edit.path.length === 4) {
		if (!makes(edit, 'map')) return 'agenda.shape';
		if (scope.before(path) !== undefined) return 'agenda.no-replace';
		return scope.after([...path, 'id']) === signupId ? undefined : 'agenda.shape';
	}
	if (SIGNUP_MADE.has(field)) {
		if (!made) return 'agenda.made-once';
		if (edit.path.length !== 5 || !scalar(edit)) return 'agenda.shape';
		return field === 'actedBy' && !mayActAs(who, (edit as { value: unknown }).value) && !carriedOver(who, scope, id, fresh) ? 'agenda.stamp' : undefined;
	}
	if (field === 'cancelledAt' || field === 'cancelledBy') {
		if (edit.path.length !== 5 || !(edit.kind === 'delete' || scalar(edit))) return 'agenda.shape';
		return field === 'cancelledBy' && isPut(edit) && !mayActAs(who, edit.value) ? 'agenda.stamp' : undefined;
	}
	if (field === 'away') {
		// Two devices of one member may each start the list offline: a first value beside another's merges.
		if (edit.path.length === 5) return makes(edit, 'map') && (!isRecord(scope.before(edit.path)) || !(edit.kind === 'put' && edit.replaces)) ? undefined : 'agenda.shape';
		return edit.path.length === 6 && date !== undefined && (edit.kind === 'delete' || scalar(edit)) ? undefined : 'agenda.shape';
	}
	return 'agenda.shape';
}

export const agendaRules: Rule = (edit, who, scope) => {
	const [top, id, field] = edit.path;
	if (top === 'period' && edit.path.length === 1) return period(edit, scope);
	if (top !== 'events') return 'agenda.shape';
	if (edit.path.length === 1) {
		if (edit.kind === 'delete') return 'agenda.no-delete';
		return makes(edit, 'map') && !isRecord(scope.before(['events'])) ? undefined : 'agenda.no-replace';
	}
	if (edit.kind === 'delete' && edit.path.length === 2) return 'agenda.no-delete';
	if (edit.path.length === 2) return makes(edit, 'map') ? newEvent(edit, who, scope, id) : 'agenda.shape';
	const fresh = scope.isNew(['events', id]);
	if (!fresh && scope.before(['events', id]) === undefined) return 'agenda.shape';
	if (field === 'signups') return signup(edit, who, scope, id, fresh);
	return eventField(edit, who, scope, id, fresh);
};
