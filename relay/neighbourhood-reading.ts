// What the access answers read from a neighbourhood's documents: its details, the roles an older
// root gave, the home screen for a device just let in. Read from the relay's own copy, through the
// same domain modules the app uses, and never waiting long: a document this relay cannot read
// gives nothing rather than holding up the answer.
import type { Repo } from '@automerge/automerge-repo/slim';
import type { Granted } from '../src/lib/access/api.ts';
import type { Role } from '../src/lib/access/roles.ts';
import { managedBy, readMembers } from '../src/lib/members/view.ts';
import { homeOf, type Home } from '../src/lib/neighbourhood/home.ts';
import type { Neighbourhood } from '../src/lib/neighbourhood/schema.ts';
import { isEditor, isManager, readNeighbourhood } from '../src/lib/neighbourhood/view.ts';
import { loadDocument } from './load-document.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';


/** The neighbourhood as its root document says. */
export async function readRoot(repo: Repo, root: string, waitMs?: number): Promise<Neighbourhood | undefined> {
	const handle = await loadDocument(repo, documentIdOf(root), waitMs);
	if (!handle) return undefined;
	const read = readNeighbourhood(handle.doc());
	return read.ok ? read.neighbourhood : undefined;
}

/**
 * The home screen for a device that was just let in (neighbourhood/home.ts), so it paints at once
 * instead of after its documents came over a slow line. Only for an active member: someone
 * waiting for approval gets nothing of the neighbourhood yet. Nothing when the documents cannot
 * be read quickly: the device then waits for them, as before.
 */
export async function homeFor(repo: Repo, root: string, granted: Pick<Granted, 'status' | 'roles' | 'memberId'>): Promise<Home | undefined> {
	if (granted.status !== 'active') return undefined;
	// Joining never waits long for it: a second at most for each document.
	const neighbourhood = await readRoot(repo, root, 1000);
	if (!neighbourhood) return undefined;
	const handle = await loadDocument(repo, documentIdOf(neighbourhood.docs.members), 1000);
	if (!handle) return undefined;
	const members = readMembers(handle.doc()).items;
	return homeOf({ neighbourhood, members, manager: granted.roles.includes('manager'), managed: managedBy(members, granted.memberId) });
}

/** The roles an older neighbourhood's root document gave this member, read once when it upgrades. */
export async function rolesInRoot(repo: Repo, root: string, memberId: string): Promise<Role[]> {
	const n = await readRoot(repo, root);
	if (!n) return [];
	if (isManager(n, memberId)) return ['manager'];
	return (['agenda', 'map'] as const).filter((module) => isEditor(n, module, memberId));
}
