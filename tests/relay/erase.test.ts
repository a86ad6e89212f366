// "Verwijder mijn gegevens" through a real relay: Anna's name, phone, her open post's text and her
// messages leave every document's saved history, on the relay (every file of its data folder, read
// raw and decoded) and on Bert's device that had synced them before; Bert's and the manager's posts
// and responses stay, and the documents go on syncing both ways.
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import * as A from '@automerge/automerge/slim';
import { Repo, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerIdFor, parseSecret } from '../../src/lib/access/secret.ts';
import { KeyedClientAdapter } from '../../src/lib/automerge/relay-key.ts';
import { ErasureCatchUp } from '../../src/lib/erase/catch-up.ts';
import { replaceErasedCopies, type ErasureNotice } from '../../src/lib/erase/erased-copy.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import { blankPost, createPost, respond } from '../../src/lib/help/mutations.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { join as joinProfile } from '../../src/lib/members/mutations.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { rulesFor } from '../../src/lib/rules/documents.ts';
import { accessCall, eventually, find, hostNeighbourhood, newMember, socketUrl, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const stop = stopAfterEach(() => relay);
const imm = (value: string) => new A.ImmutableString(value);

/** Everything Anna told or wrote: none of it may be left anywhere after the erasure. */
const ANNAS = ['Geheimnaam', '0687654321', 'Lindelaan', 'onder de mat', 'traplift', 'Annabericht'];
/** What others wrote: all of it stays. */
const OTHERS = ['Bert Bakker', 'ladder lenen', 'groet van Bert'];

function files(folder: string): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		return statSync(path).isDirectory() ? files(path) : [path];
	});
}

/**
 * Every byte of every file, and, for a file that is an Automerge document or change, every value
 * its changes ever wrote: saved documents compress longer columns, which would hide words from a
 * plain byte search.
 */
function everything(folder: string): string {
	return files(folder)
		.map((path) => {
			const bytes = readFileSync(path);
			let decoded = '';
			try {
				const doc = A.loadIncremental(A.init(), bytes);
				decoded = A.getAllChanges(doc)
					.map((c) => A.decodeChange(c).ops.map((op) => (typeof op.value === 'string' ? op.value : '|')).join(''))
					.join('\n');
			} catch {
				// not Automerge data
			}
			return `${bytes.toString('latin1')}\n${bytes.toString('utf8')}\n${decoded}`;
		})
		.join('\n');
}

/** A device with its own storage folder, as a phone keeps its documents. */
function device(credential: string, storageDir?: string) {
	const deviceId = parseSecret(credential)?.id;
	const storage = storageDir ? new NodeFSStorageAdapter(storageDir) : undefined;
	const repo = new Repo({
		network: [new KeyedClientAdapter(socketUrl(relay!), credential, 100)],
		storage,
		peerId: peerIdFor(deviceId!, randomBytes(6).toString('hex')) as PeerId
	});
	stop.push(repo);
	return { repo, storage };
}

async function open<T>(repo: Repo, url: string): Promise<DocHandle<T>> {
	const handle = await find<T>(repo, url);
	await eventually(() => handle.isReady(), Boolean);
	return handle;
}

const onRelay = <T,>(handle: DocHandle<T>) => relay!.repo.handles[handle.documentId]?.doc() as T | undefined;

describe('erasing a member', () => {
	it('removes her data from every document’s history on the relay and on a device that synced it, keeps the others’, and syncs on', { timeout: 45_000 }, async () => {
		relay = await startTestRelay({ rules: rulesFor });
		const hosted = await hostNeighbourhood(relay, 'De Linde');
		const anna = newMember(relay.access, hosted.id, { name: 'Anna Geheimnaam' });
		const bert = newMember(relay.access, hosted.id, { name: 'Bert Bakker' });

		// The manager's phone starts this quarter's board.
		const manager = device(hosted.key);
		const root = await open<RootDoc>(manager.repo, hosted.root);
		const membersUrl = String(root.doc()!.docs.members);
		const managerMembers = await open<MembersDoc>(manager.repo, membersUrl);
		joinProfile(managerMembers, hosted.memberId, { ...blankProfile(), name: 'Wijkverbinder' });
		const board = manager.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		root.change((d) => void (d.docs.help[board.url] = imm('2026Q4')));

		// Anna tells about herself, asks for help, and answers Bert.
		const annas = device(anna.credential);
		const annaMembers = await open<MembersDoc>(annas.repo, membersUrl);
		joinProfile(annaMembers, anna.memberId, { ...blankProfile(), name: 'Anna Geheimnaam', phone: '0687654321', phoneVisibility: 'members', area: 'Lindelaan', helpNote: 'Sleutel ligt onder de mat' });
		const annaBoard = await open<HelpDoc>(annas.repo, board.url);
		const annasPost = createPost(annaBoard, { ...blankPost('request'), category: 'klussen', title: 'Wie helpt met de traplift', description: 'Ik woon op Lindelaan 12' }, { memberId: anna.memberId });

		// Bert, on a phone that keeps its documents, offers a ladder and answers Anna; Anna answers him.
		const bertsFolder = tempDir('noaber-bert-');
		const berts = device(bert.credential, bertsFolder);
		const bertMembers = await open<MembersDoc>(berts.repo, membersUrl);
		joinProfile(bertMembers, bert.memberId, { ...blankProfile(), name: 'Bert Bakker' });
		const bertBoard = await open<HelpDoc>(berts.repo, board.url);
		await eventually(() => bertBoard.doc()?.posts[annasPost], Boolean);
		const bertsPost = createPost(bertBoard, { ...blankPost('offer'), category: 'klussen', title: 'Ladder lenen', description: 'Een ladder lenen kan altijd' }, { memberId: bert.memberId });
		respond(bertBoard, annasPost, 'Ik kom morgen, groet van Bert', { memberId: bert.memberId });
		await eventually(() => annaBoard.doc()?.posts[bertsPost], Boolean);
		respond(annaBoard, bertsPost, 'Graag! Annabericht: bel 0687654321', { memberId: anna.memberId });

		// Everything is on the relay's disk and on Bert's: the control that the search finds her words.
		const missing = (folder: string, words: string[]) => {
			const all = everything(folder);
			return words.filter((word) => !all.includes(word));
		};
		console.log(relay.logs.filter((l) => l.includes("refused")).join(""));
		await eventually(() => missing(relay!.data, [...ANNAS, ...OTHERS]), (left) => left.length === 0, 15_000);
		await eventually(() => missing(bertsFolder, ANNAS), (left) => left.length === 0, 15_000);

		// Bert may not erase Anna; Anna erases herself (and her phone is put away).
		expect((await accessCall(relay.url, 'erase', { memberId: anna.memberId }, bert.credential)).status).toBe(403);
		const erased = await accessCall(relay.url, 'erase', { memberId: anna.memberId }, anna.credential);
		expect(erased).toEqual({ status: 200, body: { documents: 2 } });
		stop.splice(stop.indexOf(annas.repo), 1);
		await annas.repo.shutdown();

		// The relay: not a trace of her in any file of its data folder; the others' words are there.
		const relayFiles = everything(relay.data);
		for (const word of ANNAS) expect(relayFiles, word).not.toContain(word);
		for (const word of OTHERS) expect(relayFiles, word).toContain(word);
		// As the relay's documents read now.
		const members = onRelay(annaMembers)!;
		expect(String(members.members[anna.memberId]!.name)).toBe('oud-lid');
		expect(A.isImmutableString(members.members[anna.memberId]!.name)).toBe(true);
		expect(String(members.members[anna.memberId]!.phone)).toBe('');
		expect(members.members[anna.memberId]!.erasedAt).toBeDefined();
		expect(String(members.members[bert.memberId]!.name)).toBe('Bert Bakker');
		const help = onRelay(bertBoard)!;
		expect(String(help.posts[annasPost]!.status)).toBe('withdrawn');
		expect(help.posts[annasPost]!.description).toBe('');
		expect(Object.values(help.posts[annasPost]!.responses).map((r) => String(r.message))).toEqual(['Ik kom morgen, groet van Bert']);
		expect(String(help.posts[bertsPost]!.title)).toBe('Ladder lenen');
		expect(Object.values(help.posts[bertsPost]!.responses).map((r) => String(r.message))).toEqual(['']);
		// The access book forgot her name; her devices are closed; the log names no content.
		const listed = relay.access.members(hosted.id).members.find((m) => m.id === anna.memberId)!;
		expect(listed).toMatchObject({ name: 'oud-lid', status: 'removed' });
		expect((await accessCall(relay.url, 'me', {}, anna.credential)).status).toBe(403);
		expect(relay.logs.join('')).not.toMatch(/Geheimnaam|Lindelaan|traplift/);

		// Bert's phone, with its old copy, offers the old changes: the relay refuses them as erased.

		await eventually(() => relay!.logs.some((line) => line.includes('"rule":"erased"')), Boolean);

		// Bert's device learns of the erasure and puts the relay's version in place of its old copy.
		const told = await accessCall(relay.url, 'erasures', {}, bert.credential);
		expect(told.status).toBe(200);
		expect(told.body.eraseAfterMonths).toBe(12);
		const notices = told.body.erasures as ErasureNotice[];
		expect(notices.map((n) => n.document).sort()).toEqual([annaMembers.documentId, bertBoard.documentId].sort());
		const catchUp = (on: { repo: Repo; storage?: NodeFSStorageAdapter }, credential: string) =>
			replaceErasedCopies({
				repo: on.repo,
				storage: on.storage,
				erasures: notices,
				fetchCopy: async (document) => {
					const answer = await accessCall(relay!.url, 'document', { document }, credential);
					return answer.status === 200 ? Buffer.from(answer.body.data as string, 'base64') : undefined;
				}
			});
		expect(await catchUp(berts, bert.credential)).toBe(2);
		// The manager's phone does it as the app does, on its own (erase/catch-up.ts).
		expect(await new ErasureCatchUp({ repo: manager.repo, relay: socketUrl(relay), credential: hosted.key }).check()).toBe(2);
		expect(String(bertMembers.doc()!.members[anna.memberId]!.name)).toBe('oud-lid');
		await eventually(() => ANNAS.filter((word) => everything(bertsFolder).includes(word)), (left) => left.length === 0);
		expect(everything(bertsFolder)).toContain('Ladder lenen');

		// And it syncs on, both ways: the manager asks, Bert answers, each sees the other's words.
		const managersPost = createPost(board, { ...blankPost('request'), category: 'klussen', title: 'Koffie op vrijdag' }, { memberId: hosted.memberId });
		await eventually(() => bertBoard.doc()?.posts[managersPost], Boolean);
		respond(bertBoard, managersPost, 'Ik kom graag', { memberId: bert.memberId });
		await eventually(() => Object.values(board.doc()?.posts[managersPost]?.responses ?? {}).map((r) => String(r.message)), (messages) => messages.includes('Ik kom graag'));
		// The old changes never reached Automerge on the relay.
		expect(relay.logs.join('')).not.toContain('duplicate seq');
		// Asked again, nothing is replaced: the copy is the new one.
		expect(await replaceErasedCopies({ repo: berts.repo, storage: berts.storage, erasures: notices, fetchCopy: async () => undefined })).toBe(0);
	});
});
