// The push folder in the relay's data folder: the VAPID key pair and the devices' subscriptions.
// Files are written whole (tmp + rename, mode 0600) like the access book, so a crash mid-write
// leaves the previous file, never half of one.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const pushFolder = (data: string): string => join(data, 'push');

export function ensureFolder(path: string): void {
	mkdirSync(path, { recursive: true, mode: 0o700 });
}

export function writeWhole(path: string, value: unknown): void {
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
	renameSync(tmp, path);
}
