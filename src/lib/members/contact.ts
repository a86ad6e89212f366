// Phone number and street, each with its own circle of readers. For "everyone" the value is plain
// in the profile; for anything narrower it is sealed (../crypto/sealed.ts) to exactly the keys of
// those readers, and the plain field stays empty, so other members' devices, the relay and backups
// never hold it readable. The circle changes (a helper accepted, a new wijkverbinder, a new key),
// so the member's own device seals the value again when its readers no longer match (`stale`).
import type { Reader } from '../crypto/sealed.ts';
import { sealedTo } from '../crypto/sealed.ts';
import type { PhoneVisibility } from './document.ts';
import type { Member } from './schema.ts';

export const CONTACT_FIELDS = ['phone', 'area'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const contactContext = (memberId: string, field: ContactField): string => `members/${memberId}/${field}`;

export const visibilityOf = (member: Pick<Member, 'phoneVisibility' | 'areaVisibility'>, field: ContactField): PhoneVisibility =>
	field === 'phone' ? member.phoneVisibility : member.areaVisibility;

/** A post as this module needs it: who posted, and who responded and was accepted. */
export interface Agreement {
	author: string;
	responses: readonly { by: string; acceptedAt?: string; withdrawnAt?: string }[];
}

/** The people a member agreed help with: whom they accepted, and who accepted them. */
export function acceptedWith(memberId: string, posts: readonly Agreement[]): string[] {
	const people = new Set<string>();
	for (const post of posts) {
		for (const response of post.responses) {
			if (!response.acceptedAt || response.withdrawnAt) continue;
			if (post.author === memberId) people.add(response.by);
			if (response.by === memberId) people.add(post.author);
		}
	}
	people.delete(memberId);
	return [...people];
}

/** Who reads a field at a visibility, as member ids; [] for everyone (then it is not sealed). */
export function contactReaderIds(member: Pick<Member, 'id' | 'managedBy'>, visibility: PhoneVisibility, circle: { managers: readonly string[]; accepted: readonly string[] }): string[] {
	if (visibility === 'members') return [];
	const own = [member.id];
	if (visibility === 'managers') return [...new Set([...own, ...circle.managers])];
	if (visibility === 'accepted') return [...new Set([...own, ...circle.accepted])];
	return own;
}

/** Whether a sealed value is sealed to other keys than these readers' (someone joined or left the circle, or a key changed). */
export function stale(sealed: string, readers: readonly Reader[]): boolean {
	const now = new Set(sealedTo(sealed));
	const wanted = new Set(readers.map((r) => `${r.member}.${r.n}`));
	return now.size !== wanted.size || [...wanted].some((k) => !now.has(k));
}
