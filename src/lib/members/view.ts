import * as v from 'valibot';
import type { Read } from '../automerge/fields.ts';
import { MemberView, type Member } from './schema.ts';

export type { Member };

/** Current members, sorted by name; invalid profiles are skipped and counted. */
export function readMembers(doc: unknown, options: { includeLeft?: boolean } = {}): Read<Member> {
	const map = (doc as { members?: unknown } | undefined)?.members;
	if (typeof map !== 'object' || map === null) return { items: [], skipped: 0 };
	const items: Member[] = [];
	let skipped = 0;
	for (const [key, value] of Object.entries(map)) {
		const result = v.safeParse(MemberView, value);
		if (!result.success || result.output.id !== key) {
			skipped += 1;
			continue;
		}
		if (result.output.leftAt && !options.includeLeft) continue;
		items.push(result.output);
	}
	items.sort(byName);
	return { items, skipped };
}

/** Members by name, in Dutch order. */
export const byName = (a: Member, b: Member): number => a.name.localeCompare(b.name, 'nl');

export function findMember(doc: unknown, id: string | undefined): Member | undefined {
	if (!id) return undefined;
	return readMembers(doc, { includeLeft: true }).items.find((m) => m.id === id);
}

/** The phone number this viewer may see, honouring the owner's choice. */
export function visiblePhone(member: Member, viewer: { id?: string; isManager: boolean }): string {
	if (!member.phone) return '';
	if (viewer.id === member.id) return member.phone;
	if (member.phoneVisibility === 'members') return member.phone;
	if (member.phoneVisibility === 'managers' && viewer.isManager) return member.phone;
	return '';
}

/** The residents this member acts for. */
export function managedBy(members: Member[], id: string | undefined): Member[] {
	return id ? members.filter((m) => m.managedBy === id) : [];
}
