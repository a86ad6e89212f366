import { describe, expect, it } from 'vitest';
import type { Members, MemberView, TicketView } from './api.ts';
import { activeOf, orderedRoles, ticketState, ticketsNewestFirst, waitingOf } from './register-view.ts';

const member = (id: string, status: MemberView['status'], joinedAt: string): MemberView => ({
	id,
	name: id,
	status,
	roles: [],
	actsFor: [],
	joinedAt,
	devices: []
});
const ticket = (fields: Partial<TicketView> = {}): TicketView => ({ id: 'ticket-01', createdAt: '2026-11-01T10:00:00.000Z', ...fields });
const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe("the manager's view of the register", () => {
	const register: Members = {
		approval: 'approval',
		oldKeyOpen: true,
		history: [],
		tickets: [ticket({ id: 'ticket-old', createdAt: '2026-10-01T10:00:00.000Z' }), ticket({ id: 'ticket-new', createdAt: '2026-11-20T10:00:00.000Z' })],
		members: [
			member('late-comer', 'waiting', '2026-11-30T10:00:00.000Z'),
			member('in-already', 'active', '2026-01-01T10:00:00.000Z'),
			member('first-one', 'waiting', '2026-11-29T10:00:00.000Z'),
			member('gone-away', 'removed', '2026-02-01T10:00:00.000Z')
		]
	};

	it('lists those waiting in the order they asked, and no one else', () => {
		expect(waitingOf(register).map((m) => m.id)).toEqual(['first-one', 'late-comer']);
		expect(activeOf(register).map((m) => m.id)).toEqual(['in-already']);
	});

	it('shows the newest invitation first', () => {
		expect(ticketsNewestFirst(register).map((t) => t.id)).toEqual(['ticket-new', 'ticket-old']);
	});

	it('tells what became of an invitation', () => {
		expect(ticketState(ticket(), NOW)).toBe('open');
		expect(ticketState(ticket({ expiresAt: '2026-12-31T22:59:59.000Z' }), NOW)).toBe('open');
		expect(ticketState(ticket({ expiresAt: '2026-11-30T22:59:59.000Z' }), NOW)).toBe('expired');
		expect(ticketState(ticket({ personal: 'Mien', usedAt: '2026-11-02T10:00:00.000Z' }), NOW)).toBe('used');
		// An invitation for anyone is used again and again: a join does not close it.
		expect(ticketState(ticket({ usedAt: '2026-11-02T10:00:00.000Z' }), NOW)).toBe('open');
		expect(ticketState(ticket({ personal: 'Mien', withdrawnAt: '2026-11-03T10:00:00.000Z', expiresAt: '2026-11-04T10:00:00.000Z' }), NOW)).toBe('withdrawn');
	});

	it('sends roles in one fixed order, each once', () => {
		expect(orderedRoles(['map', 'manager', 'map'])).toEqual(['manager', 'map']);
	});
});
