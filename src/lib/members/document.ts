import type { ImmutableString } from '@automerge/automerge/slim';

/** Who may see a member's phone number in the app. */
export const PHONE_VISIBILITY = ['members', 'managers', 'nobody'] as const;
export type PhoneVisibility = (typeof PHONE_VISIBILITY)[number];

/**
 * A profile. Only its owner (or the intermediary of a managed member) edits it, so every field is
 * a last-writer-wins value rather than collaborative text.
 */
export interface MemberDoc {
	id: ImmutableString;
	name: ImmutableString;
	area: ImmutableString;
	phone: ImmutableString;
	phoneVisibility: ImmutableString;
	/** Help category ids, plus a free note. */
	helpWith: ImmutableString[];
	helpNote: ImmutableString;
	joinedAt: ImmutableString;
	updatedAt: ImmutableString;
	/** Set when the member leaves; the profile stays for the history but is no longer listed. */
	leftAt?: ImmutableString;
	/** A resident without a device: the volunteer or carer who acts for them, and their consent. */
	managedBy?: ImmutableString;
	consent?: { by: ImmutableString; at: ImmutableString; how: ImmutableString };
}

export const CONSENT_HOW = ['in-person', 'phone'] as const;
export type ConsentHow = (typeof CONSENT_HOW)[number];

export interface MembersDoc {
	members: Record<string, MemberDoc>;
}
