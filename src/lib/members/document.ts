import type { ImmutableString } from '@automerge/automerge/slim';

/**
 * Who may see a member's phone number or street: everyone in the neighbourhood, the people they
 * agreed help with (accepted, or were accepted by), the wijkverbinder, or nobody. Anything but
 * everyone is stored sealed to exactly those readers (contact.ts), never in plain text.
 */
export const PHONE_VISIBILITY = ['members', 'accepted', 'managers', 'nobody'] as const;
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
	/** Absent on profiles from before the choice existed: the street was shown to everyone. */
	areaVisibility?: ImmutableString;
	/** The phone number or street sealed to its readers, when they are not everyone; the plain field is then ''. */
	phoneSealed?: ImmutableString;
	areaSealed?: ImmutableString;
	/** Help category ids, plus a free note. */
	helpWith: ImmutableString[];
	helpNote: ImmutableString;
	joinedAt: ImmutableString;
	updatedAt: ImmutableString;
	/** Set when the member leaves; the profile stays for the history but is no longer listed. */
	leftAt?: ImmutableString;
	/** Set when the member's data was erased (src/lib/members/erase.ts): the name is then a marker. */
	erasedAt?: ImmutableString;
	/** A resident without a device: the volunteer or carer who acts for them, and their consent. */
	managedBy?: ImmutableString;
	/**
	 * Who recorded consent (`by`, the intermediary, as `managedBy` shows anyway) and, sealed to the
	 * managers and that intermediary, when and how it was given. Records from before sealing hold
	 * `at` and `how` in plain text.
	 */
	consent?: { by: ImmutableString; at?: ImmutableString; how?: ImmutableString; sealed?: ImmutableString };
	/** The newest public key of the member's key ring (`<number>.<key>`): what is private to them is sealed to it. */
	publicKey?: ImmutableString;
}

export const CONSENT_HOW = ['in-person', 'phone'] as const;
export type ConsentHow = (typeof CONSENT_HOW)[number];

export interface MembersDoc {
	members: Record<string, MemberDoc>;
}
