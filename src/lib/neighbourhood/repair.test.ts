// A manager's repair writes back what the app reads around, so every device (an older app too)
// sees a whole neighbourhood again; it never replaces what is there.
import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { createNeighbourhood } from './create.ts';
import { SCHEMA_VERSION, type RootDoc } from './document.ts';
import { membersToRestore, repairRoot, repairs, restoreMembers } from './repair.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood } from './view.ts';

const poisoned = (change: (root: Record<string, unknown>) => void) => {
	const created = createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays: [] });
	created.root.change((d) => change(d as unknown as Record<string, unknown>));
	return created;
};

describe('repairing a damaged root', () => {
	it('sets a sane version, and restores the id and the document list from the root as created', () => {
		const { root, id, members, map } = poisoned((d) => {
			d.schemaVersion = 0.5;
			delete d.id;
			delete d.docs;
		});
		expect(repairs(root.doc()).map((p) => p.kind).sort()).toEqual(['id-missing', 'members-missing', 'version-impossible']);
		expect(repairRoot(root)).toHaveLength(3);
		const doc = root.doc() as unknown as Record<string, unknown>;
		expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
		// Written in the root itself now, not only read around.
		expect(String(doc.id)).toBe(id);
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.problems).toEqual([]);
		expect(read.ok && read.neighbourhood.docs.members).toBe(members.url);
		expect(read.ok && read.neighbourhood.docs.map.map((e) => e.url)).toEqual([map.url]);
	});

	it('records no change when there is nothing to repair, or only a newer version', () => {
		for (const { root } of [poisoned(() => undefined), poisoned((d) => void (d.schemaVersion = 999))]) {
			const heads = root.heads();
			expect(repairs(root.doc())).toEqual([]);
			expect(repairRoot(root)).toEqual([]);
			expect(root.heads()).toEqual(heads);
		}
	});

	it('keeps what others wrote meanwhile: a repaired version -3 still lists their documents', () => {
		const { root } = poisoned((d) => void (d.schemaVersion = -3));
		const listed = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		root.change((d: RootDoc) => void (d.docs.help[listed] = 'x' as never));
		repairRoot(root);
		const doc = root.doc() as unknown as { docs: { help: Record<string, unknown> } };
		expect(Object.keys(doc.docs.help)).toEqual([listed]);
	});

	it('leaves an id that was never there to the neighbourhood as it is', () => {
		const doc = A.change(A.from<Record<string, unknown>>({ schemaVersion: SCHEMA_VERSION, docs: { members: 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu' } }), () => undefined);
		const read = readNeighbourhood(doc);
		expect(read.ok && read.problems).toEqual([{ kind: 'id-missing', restorable: false }]);
		expect(repairs(doc)).toEqual([]);
	});
});

describe('a root pointed at a members document nobody has', () => {
	it('points it back at the members document it was created with, once', () => {
		const { root, members } = poisoned((d) => {
			(d.docs as Record<string, unknown>).members = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		});
		expect(membersToRestore(root.doc())).toBe(members.url);
		expect(restoreMembers(root)).toBe(members.url);
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.docs.members).toBe(members.url);
		const heads = root.heads();
		expect(restoreMembers(root)).toBeUndefined();
		expect(root.heads()).toEqual(heads);
	});
});
