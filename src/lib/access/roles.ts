// The roles the relay keeps. A role is granted by a manager through the relay, never by editing a
// document; documents and pages only show what the relay says.
import * as v from 'valibot';

export const ROLES = ['manager', 'agenda', 'map', 'intermediary'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = v.picklist(ROLES);

/** Roles that manage people: they let new members in and make personal invitations. */
export const mayLetIn = (roles: readonly Role[]): boolean => roles.includes('manager') || roles.includes('intermediary');
export const mayManage = (roles: readonly Role[]): boolean => roles.includes('manager');
