// The managers' export: the whole neighbourhood as this device holds it, in one file that any
// Noaber relay imports (`noaber import`) and that people without Noaber can open. No credentials:
// those live on the relay, and only its operator's export carries them (hashed).
import type { Repo } from '@automerge/automerge-repo/slim';
import { archiveFileName } from '../archive/format.ts';
import { exportArchive } from '../archive/write.ts';
import { snapshot } from './snapshot.ts';

export type ExportFile = { ok: true; fileName: string; bytes: Uint8Array } | { ok: false; missing: number };

export async function neighbourhoodFile(repo: Repo, rootUrl: string, name: string, now = new Date()): Promise<ExportFile> {
	const held = await snapshot(repo, rootUrl);
	// A file without some quarters or years would look whole and be trusted as a backup.
	if (held.missing.length > 0) return { ok: false, missing: held.missing.length };
	const createdAt = now.toISOString();
	const bytes = await exportArchive({ root: rootUrl, name, documents: held.documents, createdAt });
	return { ok: true, fileName: archiveFileName(name, createdAt), bytes };
}
