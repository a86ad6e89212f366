// Who may change which profile, as one table for the relay and the pages. The relay derives whom
// an intermediary acts for from `managedBy` in this document, so `managedBy` must be
// trustworthy: written only when a managed resident's profile is made, by an intermediary or
// manager naming themself, and changed afterwards only by a manager.
import { mayActAs, isManager, type Rule, type Scope, type Who } from '../rules/judge.ts';
import type { Edit, Made, Path } from '../rules/edits.ts';
import { parsePublicKey } from '../crypto/keys.ts';
import { isSealed } from '../crypto/sealed.ts';
import { CONSENT_HOW, PHONE_VISIBILITY } from './document.ts';

/** Edit a profile, or leave: the member, or the intermediary of a resident without a device. */
export const mayEditProfile = (who: Who, memberId: string): boolean => mayActAs(who, memberId);

/** Make a profile for a resident without a device, who then counts as acting through this person. */
export const mayAddManaged = (who: Who): boolean => who.roles.includes('intermediary') || who.roles.includes('manager');

/** Hand a managed resident to another intermediary. */
export const mayChangeManagedBy = (who: Who): boolean => isManager(who);

/**
 * Publish a key: only the member's own devices (a resident without a device has none, and an
 * intermediary reads for them with their own key).
 */
export const mayPublishKey = (who: Who, memberId: string): boolean => who.member === memberId;

const ID = /^[A-Za-z0-9_-]{8,64}$/;

const isMade = (value: unknown, type: Made['made']): boolean =>
	typeof value === 'object' && value !== null && (value as Made).made === type;
const sealedOrGone = (edit: Edit): boolean => edit.kind === 'delete' || (edit.kind === 'put' && typeof edit.value === 'string' && isSealed(edit.value));
const putString = (edit: Edit): boolean => edit.kind === 'put' && typeof edit.value === 'string';
const oneOf = (list: readonly string[]) => (edit: Edit) => edit.kind === 'put' && typeof edit.value === 'string' && list.includes(edit.value);

/** What the member (or their intermediary) changes on an existing profile: updating and leaving. */
const OWN_FIELDS: Record<string, (edit: Edit, rest: Path) => boolean> = {
	name: putString,
	area: putString,
	phone: putString,
	phoneVisibility: oneOf(PHONE_VISIBILITY),
	areaVisibility: oneOf(PHONE_VISIBILITY),
	phoneSealed: (edit) => sealedOrGone(edit),
	areaSealed: (edit) => sealedOrGone(edit),
	helpNote: putString,
	updatedAt: putString,
	leftAt: (edit) => putString(edit) || edit.kind === 'delete',
	// Categories are a list of short values, replaced whole when they change.
	helpWith: (edit, rest) =>
		rest.length === 0 ? (edit.kind === 'put' && isMade(edit.value, 'list')) || edit.kind === 'list' : false
};

/** Fields a profile is made with, besides `managedBy` and `consent` checked on their own. */
const CREATED_FIELDS: Record<string, (edit: Edit, rest: Path) => boolean> = {
	...OWN_FIELDS,
	id: putString,
	joinedAt: putString,
	leftAt: () => false
};

/** Who makes the profile at `profile`: the member themself, or an intermediary or manager for a managed resident. */
function creator(who: Who, scope: Scope, profile: Path, memberId: string): string | undefined {
	const managedBy = scope.after([...profile, 'managedBy']);
	if (managedBy === undefined) return memberId === who.member ? undefined : 'members.profile-owner';
	if (memberId === who.member) return 'members.managed-by';
	if (managedBy !== who.member || !mayAddManaged(who)) return 'members.managed-by';
	const consentBy = scope.after([...profile, 'consent', 'by']);
	return consentBy === who.member ? undefined : 'members.consent';
}

function newProfileField(edit: Edit, who: Who, field: string, rest: Path): string | undefined {
	if (field === 'managedBy') return rest.length === 0 && putString(edit) ? undefined : 'members.shape';
	if (field === 'consent') {
		if (rest.length === 0) return edit.kind === 'put' && isMade(edit.value, 'map') ? undefined : 'members.shape';
		if (rest.length !== 1 || edit.kind !== 'put') return 'members.shape';
		if (rest[0] === 'by') return edit.value === who.member ? undefined : 'members.consent';
		if (rest[0] === 'how') return oneOf(CONSENT_HOW)(edit) ? undefined : 'members.shape';
		if (rest[0] === 'sealed') return edit.kind === 'put' && typeof edit.value === 'string' && isSealed(edit.value) ? undefined : 'members.shape';
		return rest[0] === 'at' && putString(edit) ? undefined : 'members.shape';
	}
	const check = CREATED_FIELDS[field];
	return check?.(edit, rest) ? undefined : 'members.shape';
}

/**
 * A key replaces the one before only by a newer one: a device that was offline while another
 * made a new key must not put the old one back, or a removed device could read again.
 */
function keyRule(edit: Edit, who: Who, scope: Scope, memberId: string, rest: Path): string | undefined {
	if (!mayPublishKey(who, memberId)) return 'members.key-owner';
	if (rest.length > 0 || edit.kind !== 'put' || typeof edit.value !== 'string') return 'members.shape';
	const key = parsePublicKey(edit.value);
	if (!key) return 'members.shape';
	const before = scope.before(edit.path);
	const old = typeof before === 'string' ? parsePublicKey(before) : undefined;
	return old && old.n >= key.n && old.pub !== key.pub ? 'members.key-older' : undefined;
}

/** The members document: one profile per member, under their id. */
export const membersRules: Rule = (edit, who, scope) => {
	const [top, memberId, field, ...rest] = edit.path;
	if (top !== 'members') return 'members.shape';
	if (memberId === undefined) {
		if (edit.kind === 'delete') return 'members.no-delete';
		return edit.kind === 'put' && isMade(edit.value, 'map') && scope.before(['members']) === undefined ? undefined : 'members.no-replace';
	}
	const profile = ['members', memberId];
	if (field === undefined) {
		if (edit.kind === 'delete') return 'members.no-delete';
		if (edit.kind !== 'put' || !isMade(edit.value, 'map')) return 'members.shape';
		// A member's own device may write their profile again (two devices joining at once);
		// nobody replaces someone else's.
		if (scope.before(profile) !== undefined && memberId !== who.member) return 'members.no-replace';
		if (!ID.test(memberId) || scope.after([...profile, 'id']) !== memberId) return 'members.shape';
		return creator(who, scope, profile, memberId);
	}
	if (field === 'publicKey') return keyRule(edit, who, scope, memberId, rest);
	if (scope.isNew(profile)) return newProfileField(edit, who, field, rest);
	if (field === 'managedBy') {
		if (!mayChangeManagedBy(who)) return 'members.managed-by';
		return edit.kind === 'delete' || (edit.kind === 'put' && typeof edit.value === 'string' && ID.test(edit.value)) ? undefined : 'members.shape';
	}
	// Whom this person acts for (`who.actsFor`) was read before the message; a profile that names
	// them as intermediary, also one they added earlier in the same message, is theirs to edit.
	const adder = mayAddManaged(who) && scope.before([...profile, 'managedBy']) === who.member;
	if (!adder && !mayEditProfile(who, memberId)) return 'members.profile-owner';
	if (field === 'consent') return 'members.consent';
	const check = OWN_FIELDS[field];
	if (check?.(edit, rest)) return undefined;
	return edit.kind === 'delete' ? 'members.no-delete' : 'members.shape';
};
