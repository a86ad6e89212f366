// Who may do what with reports ("Melden"), decided once for the pages and the relay. A report
// names the neighbour who made it, so only managers read the list; the relay applies this to the
// roles in its own access book, never to what a device says about itself.
import type { Role } from '../access/roles.ts';

/** Any member who is in may report; someone still waiting for approval sees nothing to report. */
export const mayReport = (status: 'waiting' | 'active' | 'removed' | undefined): boolean => status === 'active';

/** Read the reports (with the reporter's name) and mark them dealt with. */
export const mayReadReports = (roles: readonly Role[]): boolean => roles.includes('manager');
