// The data folder holds residents' names, streets and phone numbers, the member keys and the setup
// token: only the relay's user may read it. Folders are 0700 and files 0600, also for a folder that
// an older version (or a copy, or an unpacked backup) left readable by others.
import { chmodSync, existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from './log.ts';

export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

/**
 * Everything this process creates from now on is for its own user only. automerge-repo's
 * NodeFSStorageAdapter (2.5.6) writes with the default modes (0644 files, 0755 folders) and takes
 * no mode option, so the process umask is the one place to set it.
 */
export function restrictNewFiles(): void {
	// A worker thread cannot change the umask (Node throws); its process's main thread sets it.
	if (isMainThread) process.umask(0o077);
}

export interface ModeRepair {
	/** Files and folders whose mode was changed. */
	fixed: number;
	/** Ones that could not be changed (owned by another user, say). */
	failed: number;
}

/**
 * Sets 0700 on every folder and 0600 on every file under `data` (and on `data` itself). Symbolic
 * links are left alone, and not followed: what they point to is not the relay's to change.
 */
export function repairModes(data: string): ModeRepair {
	const result: ModeRepair = { fixed: 0, failed: 0 };
	if (!existsSync(data)) return result;
	const fix = (path: string, current: number, wanted: number) => {
		if ((current & 0o7777) === wanted) return;
		try {
			chmodSync(path, wanted);
			result.fixed += 1;
		} catch {
			result.failed += 1;
		}
	};
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const path = join(folder, entry.name);
			let stat;
			try {
				stat = lstatSync(path);
			} catch {
				continue; // removed meanwhile (a temporary file renamed away)
			}
			if (stat.isDirectory()) {
				fix(path, stat.mode, FOLDER_MODE);
				walk(path);
			} else if (stat.isFile()) fix(path, stat.mode, FILE_MODE);
		}
	};
	fix(data, statSync(data).mode, FOLDER_MODE);
	walk(data);
	return result;
}

/** Once at start: new files private, and old ones made private; says so when it changed any. */
export function secureDataFolder(data: string, log: Logger): ModeRepair {
	restrictNewFiles();
	const repair = repairModes(data);
	if (repair.fixed > 0) log.warn({ fixed: repair.fixed }, 'data folder was readable by others: folders set to 0700, files to 0600');
	if (repair.failed > 0) log.error({ failed: repair.failed }, 'data folder: some modes could not be changed; make the relay user own the folder');
	return repair;
}
