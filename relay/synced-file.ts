// Files of a backup and of a restore are written to the disk before the command says it is done:
// an operator relies on them after a power cut, unlike the relay's own writes (storage.ts).
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { FILE_MODE, FOLDER_MODE } from './data-folder.ts';

/** Writes a new file (never over an existing one) and waits until the disk has it. */
export function writeSynced(path: string, bytes: Uint8Array): void {
	mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
	const fd = openSync(path, 'wx', FILE_MODE);
	try {
		for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Makes a rename or a new entry in this folder survive a power cut. */
export function syncFolder(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
