// The operator's side of "Wijzigingen": `noaber changes`, `noaber undo` and `noaber restore`. They
// read and write the data folder directly, like `noaber create`. What `undo` and `restore` write
// is a new change in the document's storage: a running relay serves it from the next time it
// loads that document (after a restart, or once the document was idle); run them with the relay
// stopped, or use "Wijzigingen" in the app while it runs. Names and titles go to stdout only.
import { Repo } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessBook } from './access-book.ts';
import { ChangeHistory } from './change-history.ts';
import { ChangeLog, KEEP_DAYS } from './change-log.ts';
import type { RelayConfig } from './config.ts';
import { Registry } from './registry.ts';

export const CHANGE_COMMANDS = ['changes', 'undo', 'restore'] as const;
export type ChangeCommand = (typeof CHANGE_COMMANDS)[number];
export const isChangeCommand = (command: string | undefined): command is ChangeCommand => (CHANGE_COMMANDS as readonly string[]).includes(command ?? '');

type Out = { log: (line: string) => void; error: (line: string) => void };

const USAGE: Record<ChangeCommand, string> = {
	changes: 'noaber changes <id|name> [--member <id|name>] [--since <date/time>] [--json]',
	undo: 'noaber undo <id|name> --member <id|name> --since <date/time> [--json]',
	restore: 'noaber restore <id|name> --document <document id> --at <date/time> [--json]'
};

/** Runs one of the commands; returns the exit code (0 done, 1 not found, 2 bad usage). */
export async function runChangeCommand(command: ChangeCommand, args: string[], config: RelayConfig, out: Out): Promise<number> {
	let values: Record<string, string | boolean | undefined>;
	let positionals: string[];
	try {
		({ values, positionals } = parseArgs({
			args,
			allowPositionals: true,
			strict: true,
			options: { json: { type: 'boolean' }, member: { type: 'string' }, since: { type: 'string' }, document: { type: 'string' }, at: { type: 'string' } }
		}));
	} catch (error) {
		out.error(`${(error as Error).message.split('. ')[0]}. Usage: ${USAGE[command]}`);
		return 2;
	}
	const registry = new Registry(config.data);
	const name = positionals.join(' ').trim();
	const record = name ? registry.find(name) : undefined;
	if (!record) {
		out.error(name ? `No neighbourhood "${name}" on this relay. See: noaber list` : `Usage: ${USAGE[command]}`);
		return name ? 1 : 2;
	}
	const book = new AccessBook(config.data);
	const people = book.members(record.id).members;
	const memberOf = (given: unknown) => {
		if (typeof given !== 'string') return undefined;
		const byName = people.filter((m) => m.name.toLowerCase() === given.toLowerCase());
		return people.find((m) => m.id === given)?.id ?? (byName.length === 1 ? byName[0]!.id : undefined);
	};
	const moment = (given: unknown) => (typeof given === 'string' && !Number.isNaN(Date.parse(given)) ? Date.parse(given) : undefined);
	const member = values.member === undefined ? undefined : memberOf(values.member);
	if (values.member !== undefined && !member) {
		out.error(`No member "${String(values.member)}" in ${record.name}. See: noaber members ${record.id}`);
		return 1;
	}
	const since = moment(values.since);
	const at = moment(values.at);
	if ((values.since !== undefined && since === undefined) || (values.at !== undefined && at === undefined)) {
		out.error(`Give a date and time like 2026-12-01T14:00 (at most ${KEEP_DAYS} days ago). Usage: ${USAGE[command]}`);
		return 2;
	}
	if ((command === 'undo' && (!member || since === undefined)) || (command === 'restore' && (!values.document || at === undefined))) {
		out.error(`Usage: ${USAGE[command]}`);
		return 2;
	}

	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(config.data, 'documents')) });
	const changeLog = new ChangeLog(config.data);
	const history = new ChangeHistory({ repo, registry, changeLog });
	const names = new Map(people.map((m) => [m.id, m.name]));
	try {
		if (command === 'changes') {
			const items = await history.list(record.id, { member, since, limit: 500 });
			if (values.json) out.log(JSON.stringify(items));
			else if (items.length === 0) out.log('Geen wijzigingen / no changes in that time.');
			else
				for (const item of items) {
					const who = item.member ? (names.get(item.member) ?? item.member) : '?';
					const what = item.undo ? 'undo' : `${item.action} ${item.target}${item.title ? ` "${item.title}"` : ''}`;
					out.log(`${item.at}  ${who}  ${what}  (${item.module}${item.recorded ? '' : ', guessed from the document'})`);
				}
			return 0;
		}
		if (command === 'undo') {
			const undone = await history.undoMember(record.id, { member: member!, since: since!, by: 'operator' });
			book.note(record.id, { action: `undid changes since ${new Date(since!).toISOString()}`, member });
			await repo.flush();
			if (values.json) out.log(JSON.stringify(undone));
			else {
				const changes = undone.documents.reduce((n, d) => n + d.changes, 0);
				out.log(`Undone / ongedaan gemaakt: ${changes} changes by ${names.get(member!) ?? member} in ${undone.documents.length} documents.`);
				for (const d of undone.documents) out.log(`  ${d.module}: ${d.restored} restored, ${d.removed} removed, ${d.hidden} hidden, ${d.kept} kept (changed by someone else afterwards)`);
			}
			return 0;
		}
		const restored = await history.restoreDocument(record.id, values.document as string, { moment: at!, by: 'operator' });
		if (!restored) {
			out.error(`No document "${String(values.document)}" of ${record.name}.`);
			return 1;
		}
		book.note(record.id, { action: `restored a document to ${new Date(at!).toISOString()}` });
		await repo.flush();
		if (values.json) out.log(JSON.stringify(restored));
		else out.log(`Restored / teruggezet: ${restored.module} ${restored.document} as of ${new Date(at!).toISOString()}: ${restored.changes} later changes undone.`);
		return 0;
	} finally {
		changeLog.close();
		await repo.shutdown().catch(() => undefined);
	}
}
