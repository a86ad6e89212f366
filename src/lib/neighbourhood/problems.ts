// What can be wrong with a neighbourhood's root that the app still shows, apart from the reading
// of it (view.ts) and the repair (repair.ts): a page names the problems before any document code
// has loaded.
/**
 * What is wrong with a root the app can still show, for the manager to see (and mostly repair).
 * `restorable`: the root as it was created still has the value, so a manager can put it back.
 */
export type RootProblem =
	| { kind: 'version-newer'; version: number }
	| { kind: 'version-impossible' }
	| { kind: 'id-missing'; restorable: boolean }
	| { kind: 'members-missing'; restorable: true };

/** Problems a manager's device can repair; a newer version is not one (that device should update). */
export const repairable = (problem: RootProblem): boolean =>
	problem.kind === 'version-impossible' || (problem.kind !== 'version-newer' && problem.restorable);
