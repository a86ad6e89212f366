// The operator command: `noaber relay | create | list | feed | setup-link | help`, and the access
// commands of access-cli.ts (members, remove-member, remove-device, tickets, withdraw-ticket,
// invite, close-old-key).
import '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { checkDetails } from '../src/lib/neighbourhood/mutations.ts';
import { configFromEnv, publicOrigin, type RelayConfig } from './config.ts';
import { rulesFor } from '../src/lib/rules/documents.ts';
import { createHosted, type Hosted } from './create.ts';
import { isAccessCommand, runAccessCommand } from './access-cli.ts';
import { isBackupCommand, runBackupCommand } from './backup-cli.ts';
import type { ChangeCommand } from './changes-cli.ts';
import { AccessBook } from './access-book.ts';
import { restrictNewFiles } from './data-folder.ts';
import { checkDataLayout, DataLayoutError } from './data-layout.ts';
import { containUnhandledRejections } from './faults.ts';
import { feedUrl } from './feed.ts';
import { startRelay, type Relay } from './main.ts';
import { Registry } from './registry.ts';
import { appVersion } from './version.ts';
import { currentSetupToken, issueSetupToken, retireUsedSetupToken, setupLink } from './setup-token.ts';

const HELP = `Noaber relay — operator command

  noaber relay                         start the relay (PORT, HOST, NOABER_DATA, NOABER_PUBLIC_URL)
  noaber create <name> [--json]        create a neighbourhood; prints its invite link last
  noaber list [--json]                 list the neighbourhoods on this relay
  noaber members <id|name> [--json]    members (id, name, roles, devices) and who waits for approval
  noaber remove-member <id|name> <member id> [--json]
                                       remove a member: all their devices are closed; the feed gets a new address
  noaber remove-device <id|name> <device id> [--json]
                                       remove one device (a lost phone); the member's other devices keep working
  noaber tickets <id|name> [--json]    list the invitations (tickets to join) and whether each still works
  noaber withdraw-ticket <id|name> <ticket id> [--json]
                                       an invitation lets nobody in any more; who joined with it stays
  noaber invite <id|name> [--for "Naam"] [--until YYYY-MM-DD] [--manager] [--json]
                                       a new invite link for anyone, or with --for a personal one (one use);
                                       --until: last day it works; --manager: a personal one that makes its
                                       holder manager. The link holds the secret: hand it on only
  noaber close-old-key <id|name> [--json]
                                       close the shared member key of before December 2026
  noaber changes <id|name> [--member <id|name>] [--since <date/time>] [--json]
                                       recent changes (who, when, which post/event/service/setting)
  noaber undo <id|name> --member <id|name> --since <date/time> [--json]
                                       undo everything a member changed since then (one new change per document)
  noaber restore <id|name> --document <id> --at <date/time> [--json]
                                       put one document back to how it was then (last 90 days);
                                       undo and restore: with the relay stopped, or use Wijzigingen in the app
  noaber export <id|name> [--out <file>] [--with-access] [--json]
                                       the whole neighbourhood in one file (<name>-<date>.noaber.zip);
                                       --with-access adds the hashed credentials and roles: keep it like a backup
  noaber import <file> [--json]        put an exported neighbourhood on this relay (the same ids and history);
                                       a damaged file is refused and changes nothing; twice changes nothing
  noaber feed <id|name> [--json]       print the agenda's calendar feed address (key "ical")
  noaber feed <id|name> --rotate       give the feed a new address; the old one stops working
  noaber setup-link                    issue a new one-time setup link for the browser
  noaber backup <folder> [--keep N] [--json]
                                       back up the data folder, also while the relay runs, into a new
                                       <folder>/noaber-YYYYMMDD-HHMMSS; keeps the newest N (default 7)
  noaber restore <backup folder> [--data <folder>] [--json]
                                       restore a backup into an empty data folder and check every document
  noaber pairing-code [--json]         a one-time code (7 days) with which a manager of a neighbourhood on
                                       another relay adds this relay; access is then kept the same on both
  noaber adopt-code [--json]           a one-time code (7 days) with which a member's device brings a
                                       neighbourhood here whose own relay is gone for good
  noaber report [<id|name>] [--json]   figures per month (members, help, agenda, social map) over all
                                       neighbourhoods or one; counts only, under 5 shows as <5
  noaber help                          this text (also --help after any command)
  noaber --version                     the version of this relay (also after any command)

The data folder (NOABER_DATA, default ./data) holds documents and (hashed) credentials: back it up
with noaber backup (daily), and keep it readable only by the relay's user.`;

type Out = { log: (line: string) => void; error: (line: string) => void };

function printHosted(out: Out, hosted: Hosted & { ical?: string }, json: boolean) {
	if (json) {
		out.log(JSON.stringify(hosted));
		return;
	}
	out.log(`Buurt / neighbourhood: ${hosted.name} (${hosted.id})`);
	out.log(`Relay: ${hosted.relay}`);
	if (hosted.invite) {
		out.log('Uitnodigingslink / invite link:');
		out.log(hosted.invite);
	}
}

async function relay(config: RelayConfig, out: Out): Promise<number> {
	let running: Relay;
	try {
		running = await startRelay({ ...config, rules: config.judge ? rulesFor : undefined });
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') out.error(`Port ${config.port} is already in use. Stop the other program or start with another PORT, e.g. PORT=3001 noaber relay`);
		else if (code === 'EACCES') out.error(`No permission to use port ${config.port} or the data folder ${config.data}.`);
		else out.error(`The relay could not start: ${(error as Error).message}`);
		return 1;
	}
	const uncontain = containUnhandledRejections(running.log, running.faults);
	const origin = config.publicUrl ?? `http://localhost:${running.port}`;
	out.log(`Noaber draait / is running: open ${origin}`);
	out.log(`Data: ${config.data}`);
	// The first start issues the link; later starts repeat it for as long as no neighbourhood exists.
	const neighbourhoods = running.registry.list();
	retireUsedSetupToken(config.data, neighbourhoods.map((r) => r.createdAt));
	const token = neighbourhoods.length === 0 ? (currentSetupToken(config.data) ?? issueSetupToken(config.data)) : undefined;
	if (token) {
		out.log('Eenmalige startlink voor de wijkverbinder / one-time setup link:');
		out.log(setupLink(origin, token));
	}
	await new Promise<void>((resolve) => {
		const stop = () => resolve();
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	});
	await running.close();
	uncontain();
	out.log('Noaber gestopt / stopped.');
	return 0;
}

async function create(config: RelayConfig, name: string | undefined, json: boolean, out: Out): Promise<number> {
	const checked = checkDetails(emptyDetails(name ?? ''));
	if (!checked.ok) {
		out.error(
			name
				? `That name cannot be used (${Object.values(checked.errors).join(', ')}); at most 80 characters: noaber create "Lindenbuurt"`
				: 'Give the neighbourhood a name: noaber create "Lindenbuurt"'
		);
		return 2;
	}
	// Works whether or not the relay runs: documents go straight into its data folder, and a
	// running relay picks up the new registry entry within a second.
	const registry = new Registry(config.data);
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(config.data, 'documents')) });
	try {
		const hosted = await createHosted(repo, registry, new AccessBook(config.data), checked.value, { origin: publicOrigin(config) });
		printHosted(out, { ...hosted, ical: feedUrl(publicOrigin(config), registry.feedToken(hosted.id)) }, json);
		return 0;
	} finally {
		await repo.shutdown().catch(() => undefined);
	}
}

function lookup(config: RelayConfig, which: string | undefined, out: Out) {
	const registry = new Registry(config.data);
	const record = which ? registry.find(which) : undefined;
	if (!record) {
		out.error(which ? `No neighbourhood "${which}" on this relay. See: noaber list` : 'Name a neighbourhood: its id or name.');
	}
	return { registry, record };
}

export async function main(argv: string[], out: Out = console, env: NodeJS.ProcessEnv = process.env): Promise<number> {
	// Asked of any command, and answered before anything is read: the operator checks what runs.
	if (argv.includes('--version') || argv[0] === 'version') {
		out.log(`noaber ${appVersion()}`);
		return 0;
	}
	// Help after any command is the whole list: every command's line names its options.
	if (argv.includes('--help') || argv.includes('-h')) {
		out.log(HELP);
		return 0;
	}
	if (isBackupCommand(argv)) return runBackupCommand(argv, out, env);
	const json = argv.includes('--json');
	const rotate = argv.includes('--rotate');
	const [command, ...rest] = argv.filter((a) => a !== '--json' && !(a === '--rotate' && argv[0] === 'feed'));
	// Access commands read their own options (node:util parseArgs).
	// The change commands load the domain modules' schemas: only when asked, so every other command starts as fast.
	const changeCommand = command === 'changes' || command === 'undo' || command === 'restore';
	const archiveCommand = command === 'export' || command === 'import';
	const flag = isAccessCommand(command) || changeCommand || archiveCommand || command === 'report' ? undefined : rest.find((a) => a.startsWith('--'));
	if (flag) {
		out.error(`Unknown option "${flag}". See: noaber help`);
		return 2;
	}
	const argument = rest.join(' ').trim() || undefined;
	let config: RelayConfig;
	try {
		config = configFromEnv(env);
	} catch (error) {
		out.error((error as Error).message);
		return 2;
	}
	// Every command may write into the data folder (documents, keys, the setup token).
	restrictNewFiles();
	try {
		checkDataLayout(config.data);
	} catch (error) {
		if (!(error instanceof DataLayoutError)) throw error;
		out.error(error.message);
		return 2;
	}
	if (isAccessCommand(argv[0])) return runAccessCommand(argv[0], argv.slice(1), config, out);
	if (archiveCommand) return (await import('./archive-cli.ts')).runArchiveCommand(command, argv.slice(1), config, out);
	if (command === 'pairing-code') return (await import('./pairing-cli.ts')).runPairingCode(argv.slice(1), config, out);
	if (command === 'adopt-code') return (await import('./adopt-cli.ts')).runAdoptCommand(argv.slice(1), config, out);
	if (command === 'report') return (await import('./report-cli.ts')).runReport(argv.slice(1), config, out);
	if (changeCommand) return (await import('./changes-cli.ts')).runChangeCommand(command as ChangeCommand, argv.slice(1), config, out);
	switch (command) {
		case 'relay':
			return relay(config, out);
		case 'create':
			return create(config, argument, json, out);
		case 'list': {
			const records = new Registry(config.data).list();
			if (json) out.log(JSON.stringify(records.map((r) => ({ id: r.id, name: r.name, root: r.root, createdAt: r.createdAt }))));
			else if (records.length === 0) out.log('No neighbourhoods yet. Create one: noaber create "<name>"');
			else for (const r of records) out.log(`${r.id}  ${r.name}  (since ${r.createdAt.slice(0, 10)})`);
			return 0;
		}
		case 'feed': {
			const { registry, record } = lookup(config, argument, out);
			if (!record) return 1;
			const ical = feedUrl(publicOrigin(config), rotate ? registry.rotateFeed(record.id) : registry.feedToken(record.id));
			if (json) out.log(JSON.stringify({ id: record.id, name: record.name, ical }));
			else {
				if (rotate) out.log('The old calendar address no longer works. Subscribers need this new one:');
				else out.log(`Agenda van ${record.name} als abonnement / calendar feed:`);
				out.log(ical);
			}
			return 0;
		}
		case 'setup-link': {
			new Registry(config.data);
			out.log(setupLink(publicOrigin(config), issueSetupToken(config.data)));
			return 0;
		}
		case undefined:
		case 'help':
		case '--help':
			out.log(HELP);
			return 0;
		default:
			out.error(`Unknown command "${command}".\n\n${HELP}`);
			return 2;
	}
}
