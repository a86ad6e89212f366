import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { createNeighbourhood } from './create.ts';
import { listedDocuments } from './documents.ts';
import { addAgendaDoc, addHelpArchive, addHelpPeriod, addMapDoc, sealHelpPeriod } from './mutations.ts';
import { emptyDetails } from './schema.ts';

const url = (n: number) => `automerge:${String(n).padStart(2, '1')}uHjZBNV2ShpbgZsvS1NHHQMcGmQ`;

function neighbourhood() {
	const repo = new Repo();
	return { repo, ...createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: [] }) };
}

describe('the documents a root lists', () => {
	it('are the members and map documents of a new neighbourhood, not the root itself', () => {
		const { root, members, map } = neighbourhood();
		expect(listedDocuments(root.doc()).sort()).toEqual([members.url, map.url].sort());
	});

	it('include every help quarter and archive, sealed quarters, agenda years and series, and extra map documents', () => {
		const { root, members, map } = neighbourhood();
		addHelpPeriod(root, '2026Q4', url(2));
		addHelpPeriod(root, '2026Q3', url(3));
		addHelpArchive(root, '2025', url(4));
		sealHelpPeriod(root, url(5), url(4));
		addAgendaDoc(root, '2026', url(6));
		addAgendaDoc(root, 'series', url(7));
		addMapDoc(root, url(8));
		expect(listedDocuments(root.doc()).sort()).toEqual(
			[members.url, map.url, url(2), url(3), url(4), url(5), url(6), url(7), url(8)].sort()
		);
	});

	it('leave out what the app would not open: entries that are no URL or carry no valid period', () => {
		const { root, members, map } = neighbourhood();
		root.change((d) => {
			d.docs.help['not a url'] = imm('2026Q4');
			d.docs.help[url(2)] = imm('someday');
			d.docs.agenda[url(3)] = imm('1999-12');
			d.docs.map[url(4)] = imm('plattegrond');
		});
		expect(listedDocuments(root.doc()).sort()).toEqual([members.url, map.url].sort());
	});

	it('still lists the readable indexes of a root the app cannot show, and nothing for what is no root', () => {
		const broken = A.from<Record<string, unknown>>({
			schemaVersion: 'five',
			docs: { members: 42, help: { [url(2)]: '2026Q1' }, helpArchive: 'oops', agenda: [url(3)], map: { [url(4)]: 'map' } }
		});
		expect(listedDocuments(broken).sort()).toEqual([url(2), url(4)].sort());
		expect(listedDocuments(undefined)).toEqual([]);
		expect(listedDocuments({ docs: null })).toEqual([]);
		expect(listedDocuments([url(2)])).toEqual([]);
	});
});
