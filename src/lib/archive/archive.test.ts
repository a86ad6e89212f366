import * as A from '@automerge/automerge/slim';
import { Repo, type DocumentId } from '@automerge/automerge-repo/slim';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { m } from '../paraglide/messages.js';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import { ANNA, AT, fillNeighbourhood, neighbourhoodDocuments, SAMPLE, type Content } from '../../../tests/fixtures/archive-neighbourhood.ts';
import { ACCESS, archiveFileName, LIMITS, MANIFEST_FILE, READABLE, REFUSAL_REASONS, type Manifest } from './format.ts';
import { readArchive, type Archive } from './read.ts';
import { exportArchive } from './write.ts';
import { refusalText } from './refusal-text.ts';
import { blankProfile } from '../members/blank.ts';

const CREATED = '2026-12-01T09:00:00.000Z';

async function neighbourhood(content: Content = SAMPLE) {
	const repo = new Repo();
	const created = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), {
		relays: [],
		manager: { id: ANNA, profile: { ...blankProfile(), name: 'Anna Jansen' } },
		now: AT
	});
	await fillNeighbourhood(repo, created.root.url, content);
	const documents = await neighbourhoodDocuments(repo, created.root.url);
	await repo.shutdown().catch(() => undefined);
	return { id: created.id, root: created.root.documentId as string, documents };
}

async function readOk(bytes: Uint8Array): Promise<Archive> {
	const read = await readArchive(bytes);
	if (!read.ok) throw new Error(`refused: ${read.reason} ${read.detail ?? ''}`);
	return read.archive;
}

/** The ZIP again with some entries changed; the rest kept byte for byte. */
function rezip(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
	const files = unzipSync(bytes);
	change(files);
	const zip: Zippable = {};
	for (const [name, content] of Object.entries(files)) zip[name] = content;
	return zipSync(zip);
}

const withManifest = (bytes: Uint8Array, change: (manifest: Manifest) => unknown) =>
	rezip(bytes, (files) => {
		const manifest = JSON.parse(strFromU8(files[MANIFEST_FILE]));
		files[MANIFEST_FILE] = strToU8(JSON.stringify(change(manifest) ?? manifest));
	});

/** Where an entry's stored bytes start in the ZIP (after its local header). */
function dataOffset(bytes: Uint8Array, name: string): number {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const wanted = strToU8(name);
	for (let i = 0; i + 30 < bytes.length; i++) {
		if (view.getUint32(i, true) !== 0x04034b50) continue;
		const nameLength = view.getUint16(i + 26, true);
		if (nameLength === wanted.length && wanted.every((b, k) => bytes[i + 30 + k] === b)) return i + 30 + nameLength + view.getUint16(i + 28, true);
	}
	throw new Error(`no entry ${name}`);
}

/** The central directory record of an entry. */
function centralOffset(bytes: Uint8Array, name: string): number {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const wanted = strToU8(name);
	for (let i = 0; i + 46 < bytes.length; i++) {
		if (view.getUint32(i, true) !== 0x02014b50) continue;
		const nameLength = view.getUint16(i + 28, true);
		if (nameLength === wanted.length && wanted.every((b, k) => bytes[i + 46 + k] === b)) return i;
	}
	throw new Error(`no central entry ${name}`);
}

describe('the export file', () => {
	it('holds every document with its history, a manifest, readable copies and a LEESMIJ, and reads back whole', async () => {
		const n = await neighbourhood();
		const bytes = await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED, app: '0.1.0' });
		const archive = await readOk(bytes);
		const { manifest } = archive;
		expect(manifest).toMatchObject({ format: 'noaber-export', version: 1, createdAt: CREATED, app: '0.1.0', withAccess: false });
		expect(manifest.neighbourhood).toEqual({ id: n.id, name: 'Lindenbuurt', root: `automerge:${n.root}` });
		expect(manifest.documents.map((d) => d.id).sort()).toEqual([...n.documents.keys()].sort());
		for (const entry of manifest.documents) {
			const original = A.load(n.documents.get(entry.id)!);
			expect(entry.heads).toEqual([...A.getHeads(original)].sort());
			expect(entry.changes).toBe(A.getAllChanges(original).length);
			expect(entry.file).toBe(`documents/${entry.id}.automerge`);
			// Full history: every change of the original is in the file's document.
			expect(A.getAllChanges(archive.documents.get(entry.id)!.doc).length).toBe(A.getAllChanges(original).length);
		}
		expect(manifest.files.map((f) => f.file).sort()).toEqual(['LEESMIJ.txt', ...Object.values(READABLE)].sort());
		expect(archive.access).toBeUndefined();

		const text = (file: string) => new TextDecoder().decode(archive.files.get(file));
		expect(text('LEESMIJ.txt')).toMatch(/^Noaber: export van Lindenbuurt \(2026-12-01\)/);
		expect(text('LEESMIJ.txt')).toContain('npx noaber import');
		expect(text('LEESMIJ.txt')).toContain('What is in it?');
		expect(text(READABLE.agenda)).toContain('SUMMARY:Koffieochtend');
		expect(text(READABLE.map)).toContain('Buurthuis De Linde');
		const help = JSON.parse(text(READABLE.helpJson)) as Array<Record<string, string>>;
		expect(help.map((p) => p.title).sort()).toEqual(['Boodschappen op dinsdag', 'Hulp met de vuilnisbak']);
		expect(help.find((p) => p.title === 'Hulp met de vuilnisbak')).toMatchObject({ postedBy: 'Anna', status: 'agreed', category: 'klussen' });
		// What is typed in a description or a response is not in the readable copies.
		expect(text(READABLE.helpJson) + text(READABLE.helpCsv)).not.toContain('Tekst van Anna');
		expect(text(READABLE.helpCsv)).toContain('Hulp met de vuilnisbak');
		const members = JSON.parse(text(READABLE.membersJson)) as Array<{ name: string; street: string; roles: string[] }>;
		expect(members.find((x) => x.name === 'Anna Jansen')).toMatchObject({ street: 'Lindenlaan', roles: ['manager'] });
		// Bert shows his street to managers only: it stays out.
		expect(members.find((x) => x.name === 'Bert Bakker')).toMatchObject({ street: '', roles: [] });
		expect(text(READABLE.membersCsv)).not.toContain('Geheimstraat');
		expect(text(READABLE.membersJson)).not.toContain('Geheimstraat');
	});

	it('is named after the neighbourhood and the day', () => {
		expect(archiveFileName("Wijk 't Hofje", CREATED)).toBe('wijk-t-hofje-2026-12-01.noaber.zip');
		expect(archiveFileName('Café Één', CREATED)).toBe('cafe-een-2026-12-01.noaber.zip');
	});

	it('carries the access files only when asked, and says so in the manifest', async () => {
		const n = await neighbourhood();
		const access = { registry: { id: n.id, name: 'Lindenbuurt' }, book: { members: {}, devices: { d1: { hash: 'h' } } } };
		const archive = await readOk(await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED, access }));
		expect(archive.manifest.withAccess).toBe(true);
		expect(archive.access).toEqual(access);
		expect(archive.manifest.files.map((f) => f.file)).toEqual(expect.arrayContaining([ACCESS.registry, ACCESS.book]));
		expect(archive.files.has(ACCESS.erasures)).toBe(false);
		const erasures = { records: [{ document: n.root, at: CREATED, first: ['ab'.repeat(32)] }] };
		const withErasures = await readOk(await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED, access: { ...access, erasures } }));
		expect(withErasures.access?.erasures).toEqual(erasures);
		// Without the access files no erasure records either: the app's export has none of them.
		const plain = await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED });
		const smuggled = rezip(plain, (files) => void (files[ACCESS.erasures] = strToU8(JSON.stringify(erasures))));
		const read = await readArchive(smuggled);
		expect(read.ok ? 'accepted' : read.reason).toBe('unlisted');
	});
});

describe('a file that is not right is refused with its reason', async () => {
	const n = await neighbourhood();
	const good = await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED });
	const rootFile = `documents/${n.root}.automerge`;
	const reason = async (bytes: Uint8Array) => {
		const read = await readArchive(bytes);
		return read.ok ? 'accepted' : read.reason;
	};

	it('a flipped byte anywhere in a stored file', async () => {
		for (const name of [rootFile, MANIFEST_FILE, READABLE.helpCsv, 'LEESMIJ.txt']) {
			for (const at of [0, 5, 17]) {
				const bad = good.slice();
				bad[dataOffset(bad, name) + at] ^= 0x01;
				expect(await reason(bad), `${name} +${at}`).toBe('checksum');
			}
		}
	});

	it('a flipped byte in any local header', async () => {
		const start = dataOffset(good, rootFile) - 30 - strToU8(rootFile).length;
		for (let at = start + 4; at < start + 30 + strToU8(rootFile).length; at++) {
			const bad = good.slice();
			bad[at] ^= 0x01;
			expect(await reason(bad), `header byte ${at - start}`).not.toBe('accepted');
		}
	});

	it('a truncated file', async () => {
		expect(await reason(good.slice(0, good.length - 10))).toBe('truncated');
		expect(await reason(good.slice(0, Math.floor(good.length / 2)))).toBe('truncated');
		expect(await reason(good.slice(0, 10))).toBe('truncated');
	});

	it('something that is not a ZIP at all', async () => {
		expect(await reason(strToU8('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'))).toBe('notZip');
		expect(await reason(new Uint8Array(0))).toBe('notZip');
	});

	it('a wrong format version', async () => {
		expect(await reason(withManifest(good, (mf) => ({ ...mf, version: 2 })))).toBe('version');
	});

	it('a manifest that does not match the documents', async () => {
		// Heads of another document: recomputed from the file, they differ.
		expect(
			await reason(
				withManifest(good, (mf) => {
					mf.documents[0].heads = [...mf.documents[1].heads];
				})
			)
		).toBe('heads');
		expect(
			await reason(
				withManifest(good, (mf) => {
					mf.documents[0].changes += 1;
				})
			)
		).toBe('heads');
		// A document replaced by another's bytes, with a manifest made to fit its checksum.
		const other = `documents/${[...n.documents.keys()].find((id) => id !== n.root)}.automerge`;
		const swapped = rezip(good, (files) => {
			files[rootFile] = files[other];
			const mf = JSON.parse(strFromU8(files[MANIFEST_FILE])) as Manifest;
			const target = mf.documents.find((d) => d.file === rootFile)!;
			const source = mf.documents.find((d) => d.file === other)!;
			Object.assign(target, { bytes: source.bytes, sha256: source.sha256 });
			files[MANIFEST_FILE] = strToU8(JSON.stringify(mf));
		});
		expect(await reason(swapped)).toBe('heads');
		expect(await reason(withManifest(good, (mf) => ({ ...mf, neighbourhood: { ...mf.neighbourhood, id: 'someone-else-1' } })))).toBe('manifest');
		expect(await reason(withManifest(good, (mf) => ({ ...mf, documents: 'nothing' })))).toBe('manifest');
		expect(await reason(withManifest(good, (mf) => ({ ...mf, withAccess: true })))).toBe('manifest');
		expect(
			await reason(
				withManifest(good, (mf) => {
					mf.files[0].sha256 = '0'.repeat(64);
				})
			)
		).toBe('checksum');
		expect(
			await reason(
				withManifest(good, (mf) => {
					mf.documents[0].file = '../../etc/passwd';
				})
			)
		).toBe('manifest');
	});

	it('a file that is not listed, or a listed file that is missing', async () => {
		expect(await reason(rezip(good, (files) => void (files['documents/extra.txt'] = strToU8('hello'))))).toBe('unlisted');
		expect(await reason(rezip(good, (files) => void delete files[READABLE.agenda]))).toBe('missing');
		expect(await reason(rezip(good, (files) => void delete files[rootFile]))).toBe('missing');
		expect(await reason(rezip(good, (files) => void delete files[MANIFEST_FILE]))).toBe('missing');
	});

	it('a zip bomb, before it is inflated', async () => {
		// 16 MiB of zeros deflates to some 16 KiB. Declared as 1 KiB it is inflated into 1 KiB only,
		// and the size check catches the rest; declared as its real size past the limit, or as more
		// files than allowed, it is refused before anything is inflated.
		const zeros = new Uint8Array(16 * 1024 * 1024);
		const bomb = zipSync({ 'manifest.json': zeros });
		expect(bomb.length).toBeLessThan(1024 * 1024);
		const lying = bomb.slice();
		const view = new DataView(lying.buffer);
		view.setUint32(centralOffset(lying, 'manifest.json') + 24, 1024, true);
		expect(await reason(lying)).toBe('checksum');
		const huge = bomb.slice();
		new DataView(huge.buffer).setUint32(centralOffset(huge, 'manifest.json') + 24, LIMITS.totalBytes + 1, true);
		const before = process.memoryUsage().arrayBuffers;
		expect(await reason(huge)).toBe('tooLarge');
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
		const many = good.slice();
		const end = many.length - 22;
		new DataView(many.buffer).setUint16(end + 10, LIMITS.files + 1, true);
		expect(await reason(many)).toBe('tooLarge');
	});

	it('has a Dutch and an English message for every reason', () => {
		const messages = m as unknown as Record<string, (inputs: object, options: { locale: 'nl' | 'en' }) => string>;
		for (const r of [...REFUSAL_REASONS, 'conflict', 'rewritten'] as const) {
			const nl = refusalText(r, 'nl');
			expect(nl.length).toBeGreaterThan(10);
			expect(refusalText(r, 'en')).not.toBe(nl);
			// The same words as the app's t('archive.refused.<reason>').
			expect(messages[`archive.refused.${r}`]({}, { locale: 'nl' })).toBe(nl);
		}
	});
});

describe('export → import → export', () => {
	const word = fc.stringMatching(/^[A-Za-z][A-Za-z ]{2,30}[a-z]$/);
	const content: fc.Arbitrary<Content> = fc.record({
		posts: fc.array(fc.record({ title: word, category: fc.constantFrom('klussen', 'boodschappen', 'vervoer', 'Eigen categorie') }), { maxLength: 4 }),
		events: fc.array(word, { maxLength: 3 }),
		services: fc.array(word, { maxLength: 3 })
	});

	it('gives the same documents (heads) and the same readable copies', async () => {
		await fc.assert(
			fc.asyncProperty(content, async (c) => {
				const n = await neighbourhood(c);
				const first = await readOk(await exportArchive({ root: n.root, documents: n.documents, createdAt: CREATED }));
				// Imported into a fresh repo under their own ids, as a relay or device stores them.
				const repo = new Repo();
				const again = new Map<string, Uint8Array>();
				for (const [id, { bytes }] of first.documents) {
					const handle = repo.import<unknown>(bytes, { docId: id as DocumentId });
					again.set(handle.documentId, A.save(handle.doc() as A.Doc<unknown>));
				}
				await repo.shutdown().catch(() => undefined);
				const second = await readOk(await exportArchive({ root: n.root, documents: again, createdAt: CREATED }));
				expect(second.manifest.documents.map((d) => [d.id, d.heads, d.changes])).toEqual(first.manifest.documents.map((d) => [d.id, d.heads, d.changes]));
				expect(second.manifest.files).toEqual(first.manifest.files);
				for (const [file, bytes] of first.files) expect(second.files.get(file)).toEqual(bytes);
				const help = new TextDecoder().decode(first.files.get(READABLE.helpJson));
				for (const post of c.posts) expect(help).toContain(JSON.stringify(post.title));
			}),
			// Each run builds a neighbourhood and exports it twice: a few runs, with room on a busy machine.
			{ numRuns: 5 }
		);
	}, 45_000);
});
