// Who sees the "Cijfers" page: the wijkverbinder, who reports to the implementation team. The
// figures are counts only, but they say how a neighbourhood is doing: not for every member.
import { mayManage, type Role } from '../access/roles.ts';

export const mayReadFigures = (roles: readonly Role[]): boolean => mayManage(roles);
