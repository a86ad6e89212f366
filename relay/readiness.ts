// /readyz: whether this relay can take changes now, for a service manager or a load balancer. Unlike
// /healthz (the process answers), it says no while the disk refuses writes (the relay is then
// read-only, relay/storage.ts) or the documents folder cannot be written.
import { accessSync, constants } from 'node:fs';

export interface Readiness {
	ready: boolean;
	/** Why not: the storage's failed write (ENOSPC, EROFS, …) or the folder's access error. */
	problem?: string;
}

export function readiness(storage: { writable: boolean; failure?: string }, documentsFolder: string): Readiness {
	if (!storage.writable) return { ready: false, problem: storage.failure ?? 'storage' };
	try {
		accessSync(documentsFolder, constants.W_OK);
	} catch (error) {
		return { ready: false, problem: (error as NodeJS.ErrnoException).code ?? 'storage' };
	}
	return { ready: true };
}

/** Paths the relay answers itself: anything else under them is a 404, never the app's page. */
export const RELAY_PATH = /^\/(api|ical|sync|metrics|healthz|readyz)(\/|$)/;
