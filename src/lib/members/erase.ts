// What erasing a member takes out of the members document: everything of their profile a person
// could be recognised by or that they told about themself. The profile itself stays (posts and
// sign-ups name the member by id), shown as ERASED_NAME.
import { isRecord } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { Scrub } from '../erase/rewrite.ts';

/** The name an erased member is shown by, in every language (a marker, not a translation). */
export const ERASED_NAME = 'oud-lid';

/** Fields of a profile that are theirs to be forgotten; id, dates and managedBy stay. */
const PERSONAL = ['name', 'area', 'phone', 'phoneSealed', 'areaSealed', 'helpWith', 'helpNote', 'consent'] as const;

export function profileScrubs(doc: unknown, memberId: string): Scrub[] {
	const members = isRecord(doc) && isRecord(doc.members) ? doc.members : {};
	if (!isRecord(members[memberId])) return [];
	return PERSONAL.map((field) => ({ path: ['members', memberId, field], ...(field === 'name' ? { replace: ERASED_NAME } : {}) }));
}

/** One change after the rewrite: the emptied fields tidied, and the profile marked as erased. */
export function tidyProfile(doc: unknown, memberId: string, at: string): void {
	const members = isRecord(doc) && isRecord(doc.members) ? doc.members : undefined;
	const profile = members?.[memberId];
	if (!isRecord(profile)) return;
	profile.name = imm(ERASED_NAME);
	profile.phoneVisibility = imm('nobody');
	if (Array.isArray(profile.helpWith)) profile.helpWith.splice(0, profile.helpWith.length);
	if ('consent' in profile) delete profile.consent;
	if (!profile.leftAt) profile.leftAt = imm(at);
	profile.erasedAt = imm(at);
	profile.updatedAt = imm(at);
}
