// Migrations meet roots written by any peer: an impossible or newer version, or a root with parts
// missing or of the wrong kind, is reported as a result and never stops the app.
import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { createNeighbourhood } from './create.ts';
import { SCHEMA_VERSION, type RootDoc } from './document.ts';
import { readVersion } from './document.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { migrateRoot } from './mutations.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood } from './view.ts';

const MEMBERS = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';

/** A root as a peer may have written it, migrated in one change. */
function migrated(fixture: Record<string, unknown>): { doc: A.Doc<Record<string, unknown>>; result: MigrationResult; changed: boolean } {
	const before = A.from(fixture);
	let result: MigrationResult | undefined;
	const doc = A.change(before, (d) => {
		result = migrate(d);
	});
	return { doc, result: result!, changed: A.getHeads(doc).join() !== A.getHeads(before).join() };
}

describe('reading the version of a root', () => {
	it('tells current, older, newer and impossible versions apart', () => {
		expect(readVersion(SCHEMA_VERSION)).toEqual({ kind: 'current' });
		expect(readVersion(undefined)).toEqual({ kind: 'older', version: 0 });
		expect(readVersion(2)).toEqual({ kind: 'older', version: 2 });
		expect(readVersion(999)).toEqual({ kind: 'newer', version: 999 });
		for (const value of [0.5, -3, 'x', '3', NaN, Infinity, null, {}, [], true, 2 ** 60]) {
			expect(readVersion(value), String(value)).toEqual({ kind: 'impossible' });
		}
	});
});

describe('migrating a root from any peer', () => {
	const whole = { id: imm('abcdefgh12345678'), name: 'Lindenbuurt', docs: { members: imm(MEMBERS) } };

	it.each([0.5, -3, 'x', NaN])('leaves a root with version %s alone and says so', (version) => {
		const { result, changed, doc } = migrated({ ...whole, schemaVersion: version });
		expect(result).toEqual({ kind: 'impossible' });
		expect(changed).toBe(false);
		// Still shown, with the problem named for the manager.
		const read = readNeighbourhood(doc);
		expect(read.ok && read.problems).toEqual([{ kind: 'version-impossible' }]);
		expect(read.ok && read.neighbourhood.name).toBe('Lindenbuurt');
	});

	it('leaves a root of a newer app alone and reads what it can', () => {
		const { result, changed, doc } = migrated({ ...whole, schemaVersion: 999, somethingNew: { a: 1 } });
		expect(result).toEqual({ kind: 'newer', version: 999 });
		expect(changed).toBe(false);
		const read = readNeighbourhood(doc);
		expect(read.ok && read.problems).toEqual([{ kind: 'version-newer', version: 999 }]);
		expect(read.ok && read.neighbourhood.docs.members).toBe(MEMBERS);
	});

	it('migrates a root whose parts are missing or of the wrong kind, without throwing', () => {
		const { result, doc } = migrated({
			schemaVersion: 1,
			name: 'Lindenbuurt',
			docs: { members: imm(MEMBERS), help: 'not a map', agenda: [1, 2] },
			editors: 42,
			settings: 'x'
		});
		expect(result).toEqual({ kind: 'migrated', from: 1, to: SCHEMA_VERSION });
		expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
		const read = readNeighbourhood(doc);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.neighbourhood.docs.help).toEqual([]);
		expect(read.neighbourhood.editors).toEqual([]);
		// No id at all, not even when the root was made: shown anyway, the manager told.
		expect(read.problems).toEqual([{ kind: 'id-missing', restorable: false }]);
	});

	it('migrates a version-0 root whose phone is a map instead of text', () => {
		// Automerge refuses a second reference to a map: copying it would throw inside the change.
		const { result, doc } = migrated({ ...whole, phone: { number: '0201234567' } });
		expect(result).toMatchObject({ kind: 'migrated', from: 0 });
		expect('phone' in doc).toBe(false);
		const read = readNeighbourhood(doc);
		expect(read.ok && read.neighbourhood.contact.phone).toBe('');
	});

	it('migrates a root without docs and says the members document cannot be found', () => {
		const { result, doc } = migrated({ id: imm('abcdefgh12345678'), schemaVersion: 1 });
		expect(result).toMatchObject({ kind: 'migrated' });
		const read = readNeighbourhood(doc);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.remains).toEqual({ name: '', phone: '', managers: [] });
	});

	it('reports a handle it could not migrate instead of throwing', () => {
		const repo = new Repo();
		for (const version of [0.5, -3, 'x', 999]) {
			const { root } = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: [] });
			root.change((d) => void ((d as unknown as Record<string, unknown>).schemaVersion = version));
			const heads = root.heads();
			expect(() => migrateRoot(root)).not.toThrow();
			expect(migrateRoot(root).kind).toBe(version === 999 ? 'newer' : 'impossible');
			expect(root.heads()).toEqual(heads);
		}
	});
});

describe('reading a root with a missing field', () => {
	const repo = new Repo();

	it('restores a missing id and name from the root as it was created', () => {
		const created = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: [] });
		created.root.change((d) => {
			const root = d as unknown as Record<string, unknown>;
			delete root.id;
			delete root.name;
		});
		const read = readNeighbourhood(created.root.doc());
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.neighbourhood.id).toBe(created.id);
		expect(read.neighbourhood.name).toBe('Lindenbuurt');
		expect(read.problems).toEqual([{ kind: 'id-missing', restorable: true }]);
	});

	it('finds the members document of a root whose docs a peer removed', () => {
		const created = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: [] });
		created.root.change((d) => {
			delete (d as Partial<RootDoc>).docs;
		});
		const read = readNeighbourhood(created.root.doc());
		expect(read.ok && read.neighbourhood.docs.members).toBe(created.members.url);
		expect(read.ok && read.problems).toEqual([{ kind: 'members-missing', restorable: true }]);
	});

	it('keeps what it can of a root that is beyond reading: whom to call, who manages it', () => {
		const read = readNeighbourhood({ name: 'Lindenbuurt', contact: { phone: '020 123 4567' }, managers: { 'manager-0001': true } });
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.remains).toEqual({ name: 'Lindenbuurt', phone: '020 123 4567', managers: ['manager-0001'] });
		for (const odd of [undefined, null, 'garbage', 42, [1]]) expect(readNeighbourhood(odd).ok).toBe(false);
	});
});
