// The operator's export and import of a whole neighbourhood: `noaber export` and `noaber import`
// (archive-export.ts, archive-import.ts; the file's format is in src/lib/archive). Both work with
// the relay running or stopped. A refusal is printed in Dutch and in English, with the same words
// the app shows (messages `archive.refused.<reason>`).
import { renameSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { archiveFileName, LIMITS } from '../src/lib/archive/format.ts';
import { exportNeighbourhood } from './archive-export.ts';
import { refusalText, type ImportRefusal } from '../src/lib/archive/refusal-text.ts';
import { importArchiveFile } from './archive-import.ts';
import type { RelayConfig } from './config.ts';
import { Registry } from './registry.ts';

export const ARCHIVE_COMMANDS = ['export', 'import'] as const;
export type ArchiveCommand = (typeof ARCHIVE_COMMANDS)[number];
export const isArchiveCommand = (command: string | undefined): command is ArchiveCommand => (ARCHIVE_COMMANDS as readonly string[]).includes(command ?? '');

type Out = { log: (line: string) => void; error: (line: string) => void };

const USAGE: Record<ArchiveCommand, string> = {
	export: 'noaber export <id|name> [--out <file>] [--with-access] [--json]',
	import: 'noaber import <file> [--json]'
};

const refusal = (reason: ImportRefusal) => ({ nl: refusalText(reason, 'nl'), en: refusalText(reason, 'en') });

function size(bytes: number): string {
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs one of the commands; returns the exit code (0 done, 1 not found or refused, 2 bad usage). */
export async function runArchiveCommand(command: ArchiveCommand, args: string[], config: RelayConfig, out: Out): Promise<number> {
	let values: Record<string, string | boolean | undefined>;
	let positionals: string[];
	try {
		({ values, positionals } = parseArgs({
			args,
			allowPositionals: true,
			strict: true,
			options: { json: { type: 'boolean' }, out: { type: 'string' }, 'with-access': { type: 'boolean' } }
		}));
	} catch (error) {
		out.error(`${(error as Error).message.split('. ')[0]}. Usage: ${USAGE[command]}`);
		return 2;
	}
	const given = positionals.join(' ').trim();
	if (!given || (command === 'import' && (values.out !== undefined || values['with-access']))) {
		out.error(`Usage: ${USAGE[command]}`);
		return 2;
	}
	return command === 'export' ? exportCommand(config, given, values, out) : importCommand(config, given, values.json === true, out);
}

async function exportCommand(config: RelayConfig, which: string, values: Record<string, string | boolean | undefined>, out: Out): Promise<number> {
	const registry = new Registry(config.data);
	const record = registry.find(which);
	if (!record) {
		out.error(`No neighbourhood "${which}" on this relay. See: noaber list`);
		return 1;
	}
	const withAccess = values['with-access'] === true;
	const createdAt = new Date().toISOString();
	const exported = await exportNeighbourhood(config.data, registry, record, { withAccess, createdAt });
	const file = resolve(typeof values.out === 'string' ? values.out : archiveFileName(record.name, createdAt));
	// Whole or not at all: a file half-written over an older export would be worse than none.
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, exported.bytes, { mode: 0o600 });
	renameSync(temporary, file);
	if (values.json) {
		out.log(JSON.stringify({ id: record.id, name: record.name, file, bytes: exported.bytes.length, documents: exported.documents, withAccess, absent: exported.absent }));
		return 0;
	}
	out.log(`Buurt / neighbourhood: ${record.name} (${record.id})`);
	out.log(`Export: ${file} (${size(exported.bytes.length)}, ${exported.documents} documenten / documents)`);
	if (exported.absent.length > 0) out.log(`Niet in de datamap / not in the data folder: ${exported.absent.length} documents (never brought to this relay).`);
	if (withAccess) out.log('Met toegangsgegevens (alleen hashes): bewaar dit bestand als een back-up. / Holds hashed credentials: keep this file like a backup.');
	out.log(`Importeren / to import: npx noaber import ${file}`);
	return 0;
}

async function importCommand(config: RelayConfig, path: string, json: boolean, out: Out): Promise<number> {
	const file = resolve(path);
	const refuse = (reason: ImportRefusal, detail?: string) => {
		const text = refusal(reason);
		if (json) out.log(JSON.stringify({ ok: false, reason, detail, message: text }));
		else {
			out.error(`Geweigerd: ${text.nl}`);
			out.error(`Refused: ${text.en}${detail ? ` (${detail})` : ''}`);
		}
		return 1;
	};
	let bytes: Uint8Array;
	try {
		// Refused before it is read into memory at all.
		if (statSync(file).size > LIMITS.fileBytes) return refuse('tooLarge');
		bytes = readFileSync(file);
	} catch (error) {
		out.error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		return 1;
	}
	let outcome;
	try {
		outcome = await importArchiveFile(config.data, bytes);
	} catch (error) {
		out.error((error as Error).message);
		return 1;
	}
	if (!outcome.ok) return refuse(outcome.reason, outcome.detail);
	if (json) {
		out.log(JSON.stringify(outcome));
		return 0;
	}
	const { neighbourhood, documents } = outcome;
	out.log(`Buurt / neighbourhood: ${neighbourhood.name} (${neighbourhood.id})`);
	if (outcome.unchanged) {
		out.log('Al aanwezig / already up to date: niets veranderd / nothing changed.');
		return 0;
	}
	out.log(
		`Geïmporteerd / imported: ${documents.added} nieuw / new, ${documents.merged} samengevoegd / merged, ${documents.present} al aanwezig / already here.`
	);
	if (outcome.access !== 'none') out.log(`Toegang / access: ${outcome.access === 'added' ? 'toegevoegd / added' : outcome.access === 'merged' ? 'samengevoegd / merged' : 'al aanwezig / already here'}.`);
	if (outcome.erasures > 0) out.log(`Wisregels / erasure records: ${outcome.erasures} (de relay leest ze bij de volgende start / read at the relay's next start).`);
	if (outcome.access === 'none' && outcome.created) out.log('Zonder toegangsgegevens: nodig leden opnieuw uit (noaber invite). / Without access files: invite the members again (noaber invite).');
	if (documents.merged > 0)
		out.log('Draait de relay? Herstart hem, dan deelt hij de samengevoegde geschiedenis. / Is the relay running? Restart it so it serves the merged history.');
	return 0;
}
