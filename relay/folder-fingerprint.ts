// Whether another process (the operator command) changed files the relay keeps in memory: sizes,
// times and inodes of every file, cheap to compute on each poll. The inode changes with every
// rename, even within one clock tick; a temporary file being renamed away is skipped.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function folderFingerprint(folders: string[], endings: string[]): string {
	const parts: string[] = [];
	for (const folder of folders) {
		for (const file of readdirSync(folder).sort()) {
			if (!endings.some((ending) => file.endsWith(ending))) continue;
			try {
				const stat = statSync(join(folder, file));
				parts.push(`${folder}/${file}:${stat.ino}:${stat.size}:${stat.mtimeMs}`);
			} catch {
				parts.push(`${folder}/${file}:gone`);
			}
		}
	}
	return parts.join('|');
}
