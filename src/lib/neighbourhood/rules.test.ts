import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { imm } from '../automerge/immutable.ts';
import type { Role } from '../access/roles.ts';
import { judgeBetween } from '../rules/between.ts';
import type { Who } from '../rules/judge.ts';
import { RefereedDoc } from '../rules/refereed-doc.ts';
import { createNeighbourhood } from './create.ts';
import { SCHEMA_VERSION, type RootDoc } from './document.ts';
import { healRoot, hiddenEntries } from './heal.ts';
import { migrate } from './migrate.ts';
import {
	addAgendaDoc,
	addHelpArchive,
	addHelpCategory,
	addHelpPeriod,
	addManager,
	addRelay,
	addMapDoc,
	migrateRoot,
	removeHelpCategory,
	removeManager,
	sealHelpPeriod,
	setEditor,
	setPublicPage,
	updateDetails
} from './mutations.ts';
import { repairRoot, restoreMembers } from './repair.ts';
import { anyoneMayHeal, mayChangeNeighbourhood, mayRepairRoot, rootRules } from './rules.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood } from './view.ts';

const who = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const BEN = who('ben-0000-00002');
const EDITOR = who('edith-000-0003', ['agenda', 'map']);
const MANAGER = who('manon-000-0004', ['manager']);
const CARER = who('carl-0000-0006', ['intermediary'], ['greta-000-0005']);

const URL_1 = 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ';
const URL_2 = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
const URL_3 = 'automerge:3uHjZBNV2ShpbgZsvS1NHHQMcGmQ';

const details = { ...emptyDetails('Lindenbuurt'), description: 'Buren helpen elkaar', contactPhone: '06 1234 5678' };
const created = () => createNeighbourhood(new Repo(), details, { relays: ['wss://relay.example.org/sync'] }).root.doc();
const as = (person: Who, doc: A.Doc<RootDoc>) => new RefereedDoc(rootRules, person, doc);
/** Root mutations take a DocHandle; they use only `change` and `doc`. */
const handle = (device: RefereedDoc<RootDoc>) => device as unknown as DocHandle<RootDoc>;
const rules = (device: RefereedDoc<RootDoc>) => device.refused.map((r) => r.rule);

/** A root as an older app left it: changed without any referee. */
const legacy = (doc: A.Doc<RootDoc>, fn: (d: Record<string, unknown>) => void) => A.change(A.clone(doc), (d) => fn(d as unknown as Record<string, unknown>));

describe('the neighbourhood root', () => {
	it('is made in one go by whoever sets up the neighbourhood', () => {
		expect(judgeBetween(rootRules, A.init<RootDoc>(), created(), BEN).refused).toEqual([]);
	});

	it('lets managers change details, categories, the public page and the display copy of roles', () => {
		const device = as(MANAGER, created());
		updateDetails(handle(device), { ...details, name: 'De Linde', contactHours: 'di 10-12', area: 'Lindenlaan' });
		removeHelpCategory(handle(device), 'tuin');
		addHelpCategory(handle(device), 'Huisdieren');
		setPublicPage(handle(device), false);
		addManager(handle(device), BEN.member);
		setEditor(handle(device), 'agenda', BEN.member, true);
		setEditor(handle(device), 'agenda', BEN.member, false);
		removeManager(handle(device), BEN.member);
		expect(device.refused).toEqual([]);
		expect(readNeighbourhood(device.current)).toMatchObject({ ok: true, neighbourhood: { name: 'De Linde' } });
		expect(mayChangeNeighbourhood(MANAGER)).toBe(true);
	});

	it('refuses the same from anyone else', () => {
		for (const person of [BEN, EDITOR, CARER]) {
			const device = as(person, created());
			updateDetails(handle(device), { ...details, name: 'Gekaapt' });
			addHelpCategory(handle(device), 'Reclame');
			setPublicPage(handle(device), false);
			addManager(handle(device), person.member);
			setEditor(handle(device), 'map', person.member, true);
			expect(new Set(rules(device))).toEqual(new Set(['root.manager']));
			expect(device.refused).toHaveLength(5);
			expect(mayChangeNeighbourhood(person)).toBe(false);
		}
	});

	it('lets any member list a new quarter, year, archive or map document, the way the app does', () => {
		const device = as(BEN, created());
		addHelpPeriod(handle(device), '2026Q4', URL_1);
		addAgendaDoc(handle(device), 'series', URL_2);
		addAgendaDoc(handle(device), '2027', URL_3);
		addHelpArchive(handle(device), '2025', URL_2);
		sealHelpPeriod(handle(device), URL_1, URL_2);
		addMapDoc(handle(device), URL_3);
		// Two devices healing the same entry at once both write it: the second changes nothing.
		addHelpPeriod(handle(device), '2026Q4', URL_1);
		expect(device.refused).toEqual([]);
	});
});

describe('hostile changes to the root', () => {
	const refused = (person: Who, fn: (d: RootDoc) => void, doc = created()) => {
		const device = as(person, doc);
		device.change(fn);
		return rules(device);
	};
	const listed = () => {
		const device = as(BEN, created());
		addHelpPeriod(handle(device), '2026Q4', URL_1);
		return device.current;
	};

	it('refuses deleting every key, by a member or a manager', () => {
		const wipe = (d: RootDoc) => {
			for (const key of Object.keys(d)) delete (d as unknown as Record<string, unknown>)[key];
		};
		expect(refused(BEN, wipe)).toHaveLength(1);
		expect(refused(MANAGER, wipe)).toHaveLength(1);
	});

	it('lets a manager add a paired relay to the list, once, and refuses it from a plain member', () => {
		const device = as(MANAGER, created());
		expect(addRelay(handle(device), 'wss://bieb.example.nl/sync')).toBe(true);
		expect(addRelay(handle(device), 'wss://bieb.example.nl/sync')).toBe(false);
		expect(rules(device)).toEqual([]);
		const read = readNeighbourhood(device.current);
		expect(read.ok && read.neighbourhood.relays).toEqual(['wss://relay.example.org/sync', 'wss://bieb.example.nl/sync']);
		const member = as(BEN, created());
		addRelay(handle(member), 'wss://bieb.example.nl/sync');
		expect(rules(member)).toEqual(['root.manager']);
	});

	it('refuses a plain member renaming the neighbourhood or making themself manager', () => {
		expect(refused(BEN, (d) => void A.updateText(d, ['name'], 'Gekaapt'))).toEqual(['root.manager']);
		expect(refused(BEN, (d) => void (d.managers[BEN.member] = true))).toEqual(['root.manager']);
		expect(refused(BEN, (d) => void (d.editors[`map:${BEN.member}`] = true))).toEqual(['root.manager']);
		expect(refused(BEN, (d) => void d.relays.push(imm('wss://evil.example.org')))).toEqual(['root.manager']);
		expect(refused(BEN, (d) => void (d.settings.modules.help = false))).toEqual(['root.manager']);
	});

	it('refuses removing or replacing a listed document, the lists, docs.members, the id or creation date, even by a manager', () => {
		for (const person of [BEN, MANAGER]) {
			expect(refused(person, (d) => delete d.docs.help[URL_1], listed())).toEqual(['root.no-delete']);
			expect(refused(person, (d) => void (d.docs.help[URL_1] = imm('2020Q1')), listed())).toEqual(['root.no-replace']);
			expect(refused(person, (d) => void (d.docs.help = {}), listed())).toEqual(['root.no-replace']);
			expect(refused(person, (d) => void (d.docs = { members: imm(String(d.docs.members)), help: {}, helpArchive: {}, helpSealed: {}, agenda: {}, map: {} }))).toEqual(['root.no-replace']);
			expect(refused(person, (d) => void (d.id = imm('someone-else-1')))).toEqual(['root.made-once']);
			expect(refused(person, (d) => void (d.createdAt = imm('2020-01-01T00:00:00.000Z')))).toEqual(['root.made-once']);
			expect(refused(person, (d) => delete (d.settings as { helpCategories?: unknown }).helpCategories)).toEqual(['root.no-delete']);
		}
	});

	it('refuses a member pointing the root at another members list', () => {
		expect(refused(BEN, (d) => void (d.docs.members = imm(URL_2)))).toEqual(['root.made-once']);
		expect(refused(EDITOR, (d) => void (d.docs.members = imm(URL_2)))).toEqual(['root.made-once']);
	});

	it('refuses odd entries in the document lists and a version lowered or beyond this app', () => {
		expect(refused(BEN, (d) => void (d.docs.help['not-a-url'] = imm('2026Q4')))).toEqual(['root.shape']);
		expect(refused(BEN, (d) => void (d.docs.agenda[URL_1] = imm('someday')))).toEqual(['root.shape']);
		expect(refused(MANAGER, (d) => void (d.schemaVersion = 2))).toEqual(['root.version']);
		expect(refused(BEN, (d) => void (d.schemaVersion = SCHEMA_VERSION + 1))).toEqual(['root.version']);
		expect(refused(MANAGER, (d) => void ((d as unknown as Record<string, unknown>).extra = 1))).toEqual(['root.shape']);
	});
});

describe('older roots', () => {
	it('are brought up to date by whichever member opens them first', () => {
		const v3 = legacy(created(), (d) => {
			d.schemaVersion = 3;
			delete (d.docs as Record<string, unknown>).agenda;
			delete (d.docs as Record<string, unknown>).map;
			delete d.editors;
		});
		const v0 = legacy(created(), (d) => {
			delete d.schemaVersion;
			delete d.contact;
			delete d.settings;
			delete d.editors;
			delete d.relays;
			d.phone = imm('06 1111 2222');
			for (const index of ['help', 'helpArchive', 'helpSealed', 'agenda', 'map']) delete (d.docs as Record<string, unknown>)[index];
		});
		for (const doc of [v3, v0]) {
			const device = as(BEN, doc);
			expect(migrateRoot(handle(device))).toMatchObject({ kind: 'migrated', to: SCHEMA_VERSION });
			expect(device.refused).toEqual([]);
			expect(readNeighbourhood(device.current).ok).toBe(true);
		}
	});

	it('are healed by any member for the documents a conflict hid, leaving roles to a manager’s device', () => {
		const v3 = legacy(created(), (d) => {
			d.schemaVersion = 3;
			delete (d.docs as Record<string, unknown>).map;
			delete d.editors;
		});
		const offline = (fn: (d: RootDoc) => void) => A.change(A.clone(v3), (d) => {
			migrate(d as unknown as Record<string, unknown>);
			fn(d);
		});
		const a = offline((d) => {
			d.docs.map[URL_1] = imm('map');
			d.editors[`map:${CARER.member}`] = true;
		});
		const b = offline((d) => {
			d.docs.map[URL_2] = imm('map');
			d.editors[`agenda:${BEN.member}`] = true;
		});
		const merged = A.merge(A.clone(a), b);
		expect(hiddenEntries(merged).length).toBe(2);
		const device = as(BEN, merged);
		expect(healRoot(device, anyoneMayHeal)).toBe(1);
		expect(device.refused).toEqual([]);
		const everything = as(BEN, merged);
		healRoot(everything);
		expect(rules(everything)).toEqual(['root.manager']);
	});

	it('are repaired by a manager only, after damage from before the rules', () => {
		const damaged = legacy(created(), (d) => {
			d.schemaVersion = 0.5;
			delete d.id;
			delete d.docs;
		});
		expect(mayRepairRoot(MANAGER)).toBe(true);
		const manager = as(MANAGER, damaged);
		expect(repairRoot(handle(manager))).toHaveLength(3);
		expect(manager.refused).toEqual([]);
		const member = as(BEN, damaged);
		repairRoot(handle(member));
		expect(rules(member)).toContain('root.manager');

		const pointedAway = legacy(created(), (d) => void ((d.docs as Record<string, unknown>).members = imm(URL_3)));
		const restoring = as(MANAGER, pointedAway);
		expect(restoreMembers(handle(restoring))).toBeDefined();
		expect(restoring.refused).toEqual([]);
	});
});
