// The operator's `noaber backup <dir> [--keep N] [--json]` and `noaber restore <backup folder>
// [--data <folder>] [--json]`. `noaber restore` with `--document`/`--at` is the other restore (one
// document to an earlier moment, changes-cli.ts); without them it restores a backup.
import { parseArgs } from 'node:util';
import { makeBackup, BackupRefused, DEFAULT_KEEP } from './backup.ts';
import { configFromEnv } from './config.ts';
import { restrictNewFiles } from './data-folder.ts';
import { restoreBackup, RestoreRefused, type Mismatch, type Refusal } from './restore.ts';
import { UnreadableDocument } from './stored-document.ts';

type Out = { log: (line: string) => void; error: (line: string) => void };

const USAGE = {
	backup: 'noaber backup <folder> [--keep N] [--json]',
	restore: 'noaber restore <backup folder> [--data <folder>] [--json]\n   or: noaber restore <id|name> --document <document id> --at <date/time> [--json]'
};

/** Whether these arguments ask for a backup or for the restore of one. */
export function isBackupCommand(argv: readonly string[]): boolean {
	if (argv[0] === 'backup') return true;
	if (argv[0] !== 'restore') return false;
	return !argv.some((a) => /^--(document|at|member|since)(=|$)/.test(a));
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function refusalLines(refusal: Refusal): string[] {
	switch (refusal.kind) {
		case 'not-empty':
			return [
				`De datamap ${refusal.data} is niet leeg. Terugzetten schrijft nooit over bestaande gegevens: zet de map eerst opzij (mv ${refusal.data} ${refusal.data}.oud) of kies een lege map met --data.`,
				`The data folder ${refusal.data} is not empty. A restore never writes over existing data: move it aside first (mv ${refusal.data} ${refusal.data}.old) or choose an empty folder with --data.`
			];
		case 'no-backup':
			return [
				`Geen back-up in ${refusal.folder} (geen manifest.json). Een back-up is een map noaber-JJJJMMDD-UUMMSS van noaber backup.`,
				`No backup in ${refusal.folder} (no manifest.json). A backup is a folder noaber-YYYYMMDD-HHMMSS made by noaber backup.`,
				'To put one document back to an earlier moment: noaber restore <id|name> --document <id> --at <date/time>'
			];
		case 'bad-manifest':
			return [
				`De back-up in ${refusal.folder} is onbruikbaar: manifest.json is ${refusal.reason === 'not readable JSON' ? 'onleesbaar' : 'geen goed manifest van Noaber'}. Er is niets teruggezet.`,
				`The backup in ${refusal.folder} cannot be used: manifest.json is ${refusal.reason}. Nothing was restored.`
			];
		case 'damaged':
			return [
				`De back-up in ${refusal.folder} is beschadigd of onvolledig. Er is niets teruggezet; neem een andere back-up.`,
				`The backup in ${refusal.folder} is damaged or incomplete. Nothing was restored; use another backup.`,
				...refusal.missing.map((path) => `  ontbreekt / missing: ${path}`),
				...refusal.damaged.map((path) => `  beschadigd (controlegetal klopt niet) / damaged (checksum differs): ${path}`)
			];
	}
}

function mismatchLine(m: Mismatch): string {
	switch (m.kind) {
		case 'document-missing':
			return `  document ${m.id}: ontbreekt / missing`;
		case 'document-unreadable':
			return `  document ${m.id}: onleesbaar / unreadable (${m.reason})`;
		case 'document-differs':
			return `  document ${m.id}: back-up / backup ${m.expected.changes} changes, heads ${m.expected.heads.map((h) => h.slice(0, 12)).join(',')}; teruggezet / restored ${m.found.changes} changes, heads ${m.found.heads.map((h) => h.slice(0, 12)).join(',')}`;
		case 'file-missing':
			return `  ${m.path}: ontbreekt / missing`;
		case 'file-differs':
			return `  ${m.path}: anders dan in de back-up / differs from the backup`;
		case 'neighbourhood-missing':
			return `  buurt / neighbourhood ${m.name} (${m.id}): niet leesbaar in het register / not readable in the registry`;
	}
}

async function backup(args: string[], data: string, out: Out): Promise<number> {
	const { values, positionals } = parseArgs({ args, options: { keep: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
	const keep = values.keep === undefined ? DEFAULT_KEEP : Number(values.keep);
	if (positionals.length !== 1 || !Number.isInteger(keep) || keep < 1) {
		out.error(`Usage: ${USAGE.backup}   (--keep: how many backups to keep, at least 1; default ${DEFAULT_KEEP})`);
		return 2;
	}
	const started = Date.now();
	try {
		const result = await makeBackup({ data, dir: positionals[0]!, keep });
		const { manifest } = result;
		if (values.json) {
			out.log(JSON.stringify({ folder: result.folder, neighbourhoods: manifest.neighbourhoods.length, documents: manifest.documents.length, files: manifest.files.length, bytes: result.bytes, removed: result.removed }));
			return 0;
		}
		out.log(`Back-up gemaakt / backup made: ${result.folder}`);
		out.log(`  ${manifest.neighbourhoods.length} buurten / neighbourhoods, ${manifest.documents.length} documenten / documents, ${manifest.files.length} andere bestanden / other files, ${megabytes(result.bytes)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
		if (result.removed.length > 0) out.log(`  Oudere back-ups verwijderd (er blijven er ${keep}) / older backups removed (keeping ${keep}): ${result.removed.join(', ')}`);
		return 0;
	} catch (error) {
		if (error instanceof BackupRefused && error.message.startsWith('no data folder')) {
			out.error(`Geen datamap in ${data}: zet NOABER_DATA zoals voor noaber relay. / No data folder at ${data}: set NOABER_DATA as for noaber relay.`);
		} else if (error instanceof BackupRefused) {
			out.error(`De back-upmap mag niet in de datamap liggen. / The backup folder may not be inside the data folder (${data}).`);
		} else if (error instanceof UnreadableDocument) {
			out.error(`Geen back-up gemaakt: een document is onleesbaar. / No backup made: a document cannot be read: ${error.message}`);
		} else {
			const code = (error as NodeJS.ErrnoException).code;
			out.error(`Geen back-up gemaakt / no backup made: ${code ? `${code} ` : ''}${(error as Error).message}`);
		}
		return 1;
	}
}

async function restore(args: string[], dataFromEnv: string, out: Out): Promise<number> {
	const { values, positionals } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
	if (positionals.length !== 1) {
		out.error(`Usage: ${USAGE.restore}`);
		return 2;
	}
	const data = values.data ?? dataFromEnv;
	let result;
	try {
		result = await restoreBackup({ backup: positionals[0]!, data });
	} catch (error) {
		if (!(error instanceof RestoreRefused)) {
			const code = (error as NodeJS.ErrnoException).code;
			out.error(`Terugzetten mislukt; ${data} is nu onvolledig: verwijder de map voor u het opnieuw probeert. / Restore failed; ${data} is now incomplete: remove it before you try again.`);
			out.error(`  ${code ? `${code} ` : ''}${(error as Error).message}`);
			return 1;
		}
		if (values.json) out.log(JSON.stringify({ ok: false, refused: error.refusal }));
		for (const line of refusalLines(error.refusal)) out.error(line);
		return 1;
	}
	const { manifest, mismatches } = result;
	const ok = mismatches.length === 0;
	if (values.json) {
		out.log(JSON.stringify({ ok, data: result.data, neighbourhoods: manifest.neighbourhoods, documents: manifest.documents.length, files: manifest.files.length, mismatches }));
		return ok ? 0 : 1;
	}
	out.log(`Teruggezet in / restored into: ${result.data} (back-up van / backup of ${manifest.createdAt})`);
	out.log(`  ${manifest.neighbourhoods.length} buurten / neighbourhoods${manifest.neighbourhoods.length ? ` (${manifest.neighbourhoods.map((n) => n.name).join(', ')})` : ''}, ${manifest.documents.length} documenten / documents, ${manifest.files.length} andere bestanden / other files`);
	if (ok) {
		out.log('Gecontroleerd: alles klopt / verified: OK (every document has the heads and number of changes of the backup)');
		out.log(`Start de relay / start the relay: NOABER_DATA=${result.data} noaber relay`);
		return 0;
	}
	out.error(`NIET IN ORDE: ${mismatches.length} verschil(len) met de back-up / NOT OK: ${mismatches.length} difference(s) from the backup:`);
	for (const m of mismatches) out.error(mismatchLine(m));
	return 1;
}

export async function runBackupCommand(argv: string[], out: Out, env: NodeJS.ProcessEnv = process.env): Promise<number> {
	// Backups hold hashed credentials: only the relay's user may read them (folders 0700, files 0600).
	restrictNewFiles();
	const [command, ...args] = argv;
	let data: string;
	try {
		data = configFromEnv(env).data;
	} catch (error) {
		out.error((error as Error).message);
		return 2;
	}
	try {
		return command === 'backup' ? await backup(args, data, out) : await restore(args, data, out);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
			out.error(`${(error as Error).message.split('. ')[0]}. Usage: ${command === 'backup' ? USAGE.backup : USAGE.restore}`);
			return 2;
		}
		throw error;
	}
}
