import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { createNeighbourhood } from './create.ts';
import { DEFAULT_HELP_CATEGORIES, SCHEMA_VERSION, type RootDoc } from './document.ts';
import { hiddenEntries, healRoot } from './heal.ts';
import { migrate, needsMigration } from './migrate.ts';
import { addHelpCategory, addHelpPeriod, addManager, checkDetails, migrateRoot, removeHelpCategory, setEditor, updateDetails } from './mutations.ts';
import { emptyDetails } from './schema.ts';
import { isEditor, isManager, readNeighbourhood } from './view.ts';

const details = {
	...emptyDetails('Lindenbuurt'),
	description: 'Buren in de Lindenbuurt helpen elkaar.',
	area: 'Lindenlaan, Beukenstraat',
	contactName: 'Fatima de Vries',
	contactPhone: '06 1234 5678',
	contactHours: 'ma-vr 9.00-12.00'
};

const profile = {
	name: 'Fatima',
	area: 'Lindenlaan',
	phone: '',
	phoneVisibility: 'nobody' as const,
	helpWith: [],
	helpNote: ''
};

/** A neighbourhood as a version-3 client left it: no agenda or map index, no editors. */
function v3Root() {
	const { root } = createNeighbourhood(new Repo(), details, { relays: [], manager: { id: 'manager-0001', profile } });
	root.change((d) => {
		d.schemaVersion = 3;
		delete (d.docs as Partial<RootDoc['docs']>).agenda;
		delete (d.docs as Partial<RootDoc['docs']>).map;
		delete (d as Partial<RootDoc>).editors;
	});
	return root;
}

describe('creating a neighbourhood', () => {
	it('creates a root that links its members document and reads back as typed', () => {
		const repo = new Repo();
		const created = createNeighbourhood(repo, details, {
			relays: ['ws://localhost:3000/sync'],
			manager: { id: 'manager-0001', profile }
		});
		const read = readNeighbourhood(created.root.doc());
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		const n = read.neighbourhood;
		expect(n.name).toBe('Lindenbuurt');
		expect(n.contact).toEqual({ name: 'Fatima de Vries', phone: '06 1234 5678', hours: 'ma-vr 9.00-12.00' });
		expect(n.docs.members).toBe(created.members.url);
		expect(n.docs.map).toEqual([{ period: 'map', url: created.map.url }]);
		expect(n.docs.agenda).toEqual([]);
		expect(n.relays).toEqual(['ws://localhost:3000/sync']);
		expect(n.settings.helpCategories).toEqual([...DEFAULT_HELP_CATEGORIES]);
		expect(n.schemaVersion).toEqual({ kind: 'current' });
		expect(isManager(n, 'manager-0001')).toBe(true);
		expect(isManager(n, 'someone-else')).toBe(false);
		expect(Object.keys(created.members.doc().members)).toEqual(['manager-0001']);
	});

	it('stores ids and phone numbers as immutable strings, names as text', () => {
		const repo = new Repo();
		const { root } = createNeighbourhood(repo, details, { relays: [] });
		const doc = root.doc();
		expect(A.isImmutableString(doc.id)).toBe(true);
		expect(A.isImmutableString(doc.contact.phone)).toBe(true);
		expect(A.isImmutableString(doc.docs.members)).toBe(true);
		expect(typeof doc.name).toBe('string');
		expect(readNeighbourhood(doc).ok && readNeighbourhood(doc)).toMatchObject({ neighbourhood: { managers: [] } });
	});
});

describe('form input', () => {
	it('accepts a complete form and trims it', () => {
		const r = checkDetails({ ...details, name: '  Oost  ' });
		expect(r).toEqual({ ok: true, value: { ...details, name: 'Oost' } });
	});

	it('names each wrong field with a message key', () => {
		const r = checkDetails({ ...details, name: ' ', contactPhone: 'bel me', area: 'x'.repeat(201) });
		expect(r).toEqual({ ok: false, errors: { name: 'required', contactPhone: 'phone', area: 'too_long' } });
	});

	it('refuses something that is not a form at all', () => {
		expect(checkDetails(null).ok).toBe(false);
		expect(checkDetails({ name: 42 }).ok).toBe(false);
	});
});

describe('reading a root from any peer', () => {
	it('refuses a root without a members document, without throwing', () => {
		const read = readNeighbourhood({ schemaVersion: 1, id: 'abcdefgh12345678', name: 'X', docs: {} });
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.problems.join()).toMatch(/docs/);
		expect(readNeighbourhood(undefined).ok).toBe(false);
		expect(readNeighbourhood('garbage').ok).toBe(false);
	});

	it('falls back on odd optional parts so the neighbourhood still shows', () => {
		const read = readNeighbourhood({
			schemaVersion: 1,
			id: 'abcdefgh12345678',
			name: 'Oost',
			contact: 'not an object',
			managers: { a: true, b: 'yes' },
			relays: ['ws://x/sync', 5],
			docs: { members: 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu' },
			settings: { modules: { help: false }, helpCategories: ['tuin', null] }
		});
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.neighbourhood.contact).toEqual({ name: '', phone: '', hours: '' });
		expect(read.neighbourhood.managers).toEqual(['a']);
		expect(read.neighbourhood.relays).toEqual(['ws://x/sync']);
		expect(read.neighbourhood.settings.modules).toEqual({ help: false, agenda: true, map: true });
		expect(read.neighbourhood.settings.helpCategories).toEqual(['tuin']);
	});
});

describe('editing', () => {
	it('merges two managers editing the description at the same time', () => {
		const repo = new Repo();
		const { root } = createNeighbourhood(repo, details, { relays: [] });
		let left = A.clone(root.doc());
		let right = A.clone(root.doc());
		left = A.change(left, (d) => A.updateText(d, ['description'], 'Buren in de mooie Lindenbuurt helpen elkaar.'));
		right = A.change(right, (d) => A.updateText(d, ['description'], 'Buren in de Lindenbuurt helpen elkaar graag.'));
		const merged = A.merge(left, right);
		expect(merged.description).toBe('Buren in de mooie Lindenbuurt helpen elkaar graag.');
	});

	it('updates details and managers through the handle', () => {
		const repo = new Repo();
		const { root } = createNeighbourhood(repo, details, { relays: [] });
		updateDetails(root, { ...details, name: 'Lindenbuurt-Noord', contactPhone: '+31 6 0000 0000' });
		addManager(root, 'member-2222');
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.name).toBe('Lindenbuurt-Noord');
		expect(read.ok && read.neighbourhood.contact.phone).toBe('+31 6 0000 0000');
		expect(read.ok && read.neighbourhood.managers).toEqual(['member-2222']);
	});
});

describe('migrations', () => {
	it('brings a version-0 root (no settings, phone on the root) to the current version', () => {
		const v0 = {
			id: imm('abcdefgh12345678'),
			name: 'Oude buurt',
			phone: imm('0201234567'),
			docs: { members: imm('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu') }
		};
		let doc = A.from(v0 as Record<string, unknown>);
		expect(needsMigration(doc)).toBe(true);
		doc = A.change(doc, (d) => void migrate(d));
		expect(needsMigration(doc)).toBe(false);
		const read = readNeighbourhood(doc);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.neighbourhood.schemaVersion).toEqual({ kind: 'current' });
		expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
		expect(read.neighbourhood.contact.phone).toBe('0201234567');
		expect(read.neighbourhood.settings.helpCategories).toContain('boodschappen');
		expect('phone' in doc).toBe(false);
	});

	it('leaves a current root untouched and records no change', () => {
		const repo = new Repo();
		const { root } = createNeighbourhood(repo, details, { relays: [] });
		const heads = root.heads();
		expect(migrateRoot(root)).toEqual({ kind: 'current' });
		expect(root.heads()).toEqual(heads);
	});

	it('migrates a stored version-0 root through its handle', () => {
		const repo = new Repo();
		const handle = repo.create({
			id: imm('abcdefgh12345678'),
			name: 'Oude buurt',
			docs: { members: imm('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu') }
		} as unknown as RootDoc);
		// Readable before (a version-0 root is shown while it migrates), and current after.
		const before = readNeighbourhood(handle.doc());
		expect(before.ok && before.neighbourhood.schemaVersion).toEqual({ kind: 'older', version: 0 });
		expect(migrateRoot(handle)).toEqual({ kind: 'migrated', from: 0, to: SCHEMA_VERSION });
		const after = readNeighbourhood(handle.doc());
		expect(after.ok && after.neighbourhood.schemaVersion).toEqual({ kind: 'current' });
	});
});

describe('help board settings', () => {
	it('lets a manager add and remove categories, without duplicates', () => {
		const { root } = createNeighbourhood(new Repo(), details, { relays: [] });
		expect(addHelpCategory(root, 'Huisdieren')).toBe(true);
		expect(addHelpCategory(root, 'huisdieren ')).toBe(false);
		expect(addHelpCategory(root, '  ')).toBe(false);
		removeHelpCategory(root, 'tuin');
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.settings.helpCategories).toEqual([
			...DEFAULT_HELP_CATEGORIES.filter((c) => c !== 'tuin'),
			'Huisdieren'
		]);
	});

	it('puts a removed category back where it stood when the removal is undone', () => {
		const { root } = createNeighbourhood(new Repo(), details, { relays: [] });
		const at = removeHelpCategory(root, 'vervoer');
		expect(at).toBe(DEFAULT_HELP_CATEGORIES.indexOf('vervoer'));
		expect(removeHelpCategory(root, 'bestaat-niet')).toBe(-1);
		addHelpCategory(root, 'vervoer', at);
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.settings.helpCategories).toEqual([...DEFAULT_HELP_CATEGORIES]);
	});

	it('lists period documents newest first, keeping both when two devices started the same quarter', () => {
		const { root } = createNeighbourhood(new Repo(), details, { relays: [] });
		addHelpPeriod(root, '2026Q3', 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ');
		addHelpPeriod(root, '2026Q4', 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu');
		const left = A.clone(root.doc());
		const right = A.clone(root.doc());
		const a = A.change(left, (d) => void (d.docs.help['automerge:3uHjZBNV2ShpbgZsvS1NHHQMcGmQ'] = imm('2027Q1')));
		const b = A.change(right, (d) => void (d.docs.help['automerge:2PhuSZSAwkMoRvscP6bAGjr3TqUh'] = imm('2027Q1')));
		const read = readNeighbourhood(A.merge(a, b));
		expect(read.ok && read.neighbourhood.docs.help.map((h) => h.period)).toEqual(['2027Q1', '2027Q1', '2026Q4', '2026Q3']);
	});

	it('migrates a version-1 root by adding an empty help index', () => {
		const { root } = createNeighbourhood(new Repo(), details, { relays: [] });
		root.change((d) => {
			d.schemaVersion = 1;
			delete (d.docs as Partial<RootDoc['docs']>).help;
		});
		expect(migrateRoot(root)).toMatchObject({ kind: 'migrated' });
		expect(root.doc().schemaVersion).toBe(SCHEMA_VERSION);
		expect(root.doc().docs.help).toEqual({});
	});

	it('migrates a version-3 root: agenda and map indexes, and nobody an editor yet', () => {
		const root = v3Root();
		expect(migrateRoot(root)).toMatchObject({ kind: 'migrated' });
		expect(root.doc().docs.agenda).toEqual({});
		expect(root.doc().docs.map).toEqual({});
		const read = readNeighbourhood(root.doc());
		expect(read.ok && isEditor(read.neighbourhood, 'agenda', 'manager-0001')).toBe(true);
		expect(read.ok && isEditor(read.neighbourhood, 'agenda', 'resident-0002')).toBe(false);
		setEditor(root, 'agenda', 'resident-0002', true);
		const after = readNeighbourhood(root.doc());
		expect(after.ok && isEditor(after.neighbourhood, 'agenda', 'resident-0002')).toBe(true);
		expect(after.ok && isEditor(after.neighbourhood, 'map', 'resident-0002')).toBe(false);
	});
});

describe('two devices upgrading an older root offline', () => {
	const MAP_A = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
	const MAP_B = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
	const AGENDA_B = 'automerge:3uHjZBNV2ShpbgZsvS1NHHQMcGmQ';

	// Each device migrates and starts its own map document; one also an agenda year and an editor.
	function meet() {
		const base = v3Root().doc();
		const a = A.change(A.clone(base), (d) => {
			migrate(d as unknown as Record<string, unknown>);
			d.docs.map[MAP_A] = imm('map');
		});
		const b = A.change(A.clone(base), (d) => {
			migrate(d as unknown as Record<string, unknown>);
			d.docs.map[MAP_B] = imm('map');
			d.docs.agenda[AGENDA_B] = imm('2026');
			d.editors['agenda:resident-0002'] = true;
		});
		return { a, b };
	}

	const listed = (doc: unknown) => {
		const read = readNeighbourhood(doc);
		if (!read.ok) throw new Error(read.problems.join('; '));
		return read.neighbourhood;
	};

	it('loses a device’s map document when nobody heals the root (why healing exists)', () => {
		const { a, b } = meet();
		const merged = A.merge(A.clone(a), b);
		expect(listed(merged).docs.map.length).toBe(1);
		expect(hiddenEntries(merged).length).toBeGreaterThan(0);
	});

	it('lists both devices’ documents and editors once either device heals, the same on both', () => {
		const { a, b } = meet();
		const repo = new Repo();
		const onA = repo.create<RootDoc>();
		onA.update(() => A.merge(A.clone(a), b));
		const onB = repo.create<RootDoc>();
		onB.update(() => A.merge(A.clone(b), a));
		expect(healRoot(onA)).toBeGreaterThan(0);
		expect(healRoot(onB)).toBeGreaterThan(0);
		const together = A.merge(A.clone(onA.doc()), onB.doc());
		const n = listed(together);
		expect(n.docs.map.map((d) => d.url).sort()).toEqual([MAP_A, MAP_B].sort());
		expect(n.docs.agenda.map((d) => d.url)).toEqual([AGENDA_B]);
		expect(isEditor(n, 'agenda', 'resident-0002')).toBe(true);
		expect(hiddenEntries(together)).toEqual([]);
		expect(A.isImmutableString(together.docs.map[MAP_A])).toBe(true);
	});

	it('records no change for a root without hidden entries', () => {
		const { root } = createNeighbourhood(new Repo(), details, { relays: [] });
		const heads = root.heads();
		expect(healRoot(root)).toBe(0);
		expect(root.heads()).toEqual(heads);
	});
});
