// How the relay's register of members, devices and tickets reads on a manager's screens: who is
// waiting, in which order, and what became of each invitation. Pure, so it is tested in Node.
import type { Members, MemberView, TicketView } from './api.ts';
import { ROLES, type Role } from './roles.ts';

export type TicketState = 'open' | 'used' | 'withdrawn' | 'expired';

/** People who asked to join, the longest waiting first: they are let in in the order they came. */
export const waitingOf = (register: Members): MemberView[] =>
	register.members.filter((m) => m.status === 'waiting').sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));

export const activeOf = (register: Members): MemberView[] => register.members.filter((m) => m.status === 'active');

/** What became of an invitation; a withdrawn one says so even after its end date. */
export function ticketState(ticket: TicketView, now: number): TicketState {
	if (ticket.withdrawnAt) return 'withdrawn';
	if (ticket.personal !== undefined && ticket.usedAt) return 'used';
	if (ticket.expiresAt && Date.parse(ticket.expiresAt) <= now) return 'expired';
	return 'open';
}

/** The newest invitation first: that is the one a manager just made or handed out. */
export const ticketsNewestFirst = (register: Members): TicketView[] =>
	[...register.tickets].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** Roles in one fixed order, so saving the same choice twice sends the same list. */
export const orderedRoles = (chosen: Iterable<Role>): Role[] => {
	const set = new Set(chosen);
	return ROLES.filter((role) => set.has(role));
};
