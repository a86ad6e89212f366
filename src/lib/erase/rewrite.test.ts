import * as A from '@automerge/automerge/slim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsAny, rewriteHistory, TEXT_FILL, type Scrub } from './rewrite.ts';

const ANNA = 'aa'.repeat(16);
const BERT = 'bb'.repeat(16);
const CARLA = 'cc'.repeat(16);
const imm = (s: string) => new A.ImmutableString(s);

interface Profile {
	name: A.ImmutableString;
	phone: A.ImmutableString;
	helpWith: A.ImmutableString[];
	note: string;
}
interface Doc {
	members: Record<string, Profile>;
}

const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));
/** Every string any change of the document ever wrote, decoded: compression cannot hide them here. */
const everyValue = (doc: A.Doc<unknown>) =>
	A.getAllChanges(doc)
		.flatMap((c) => A.decodeChange(c).ops.map((op) => (typeof op.value === 'string' ? op.value : '')))
		.join('');
const everyText = (doc: A.Doc<unknown>) => {
	// Characters of text are one op each: join them per change to find words.
	return A.getAllChanges(doc).map((c) =>
		A.decodeChange(c)
			.ops.map((op) => (typeof op.value === 'string' ? op.value : '|'))
			.join('')
	);
};

const profile = (name: string, phone: string, note = ''): Profile => ({ name: imm(name), phone: imm(phone), helpWith: [imm('tuin')], note });

const annaScrubs: Scrub[] = [
	{ path: ['members', 'anna', 'name'], replace: 'oud-lid' },
	{ path: ['members', 'anna', 'phone'] },
	{ path: ['members', 'anna', 'helpWith'] },
	{ path: ['members', 'anna', 'note'] }
];

/** Bert first, then Anna joins, then Carla on her own device at the same time as Anna edits. */
function neighbourhood() {
	let bert = A.change(A.init<Doc>({ actor: BERT }), (d) => {
		d.members = {};
		d.members.bert = profile('Bert Bakker', '0611111111');
	});
	let anna = A.merge(A.init<Doc>({ actor: ANNA }), bert);
	anna = A.change(anna, (d) => void (d.members.anna = profile('Anna Geheimnaam', '0687654321', 'Ik woon alleen op nummer 12')));
	let carla = A.merge(A.init<Doc>({ actor: CARLA }), anna);
	anna = A.change(anna, (d) => {
		d.members.anna.name = imm('Anna Andersnaam');
		A.updateText(d, ['members', 'anna', 'note'], 'Ik woon alleen op nummer 14, sleutel onder de mat');
	});
	carla = A.change(carla, (d) => void (d.members.carla = profile('Carla de Vries', '0622222222')));
	bert = A.merge(bert, anna);
	bert = A.merge(bert, carla);
	bert = A.change(bert, (d) => void (d.members.bert.phone = imm('0633333333')));
	return { bert, anna, carla };
}

describe('rewriting a document’s history without an erased member', () => {
	it('leaves none of her values in any change, saved or decoded, while the others’ stay and old changes before her keep their hashes', () => {
		const { bert: doc } = neighbourhood();
		const before = A.save(doc);
		// The control: before, her words are in the saved bytes (so their absence after means something).
		for (const secret of ['Geheimnaam', 'Andersnaam', '0687654321']) expect(has(before, secret)).toBe(true);

		const result = rewriteHistory(doc, annaScrubs);
		const saved = A.save(result.doc);
		for (const secret of ['Geheimnaam', 'Andersnaam', '0687654321', 'nummer 1', 'sleutel']) {
			expect(has(saved, secret)).toBe(false);
			expect(everyValue(A.load(saved))).not.toContain(secret);
		}
		expect(everyText(A.load(saved)).join('\n')).not.toMatch(/sleutel|nummer/);
		expect(String(result.doc.members.anna.name)).toBe('oud-lid');
		expect(A.isImmutableString(result.doc.members.anna.name)).toBe(true);
		expect(String(result.doc.members.anna.phone)).toBe('');
		expect(result.doc.members.anna.note.trim()).toBe('');
		// Others as they were, with their types.
		expect(String(result.doc.members.bert.phone)).toBe('0633333333');
		expect(A.isImmutableString(result.doc.members.carla.name)).toBe(true);
		expect(String(result.doc.members.carla.name)).toBe('Carla de Vries');
		expect(result.doc.members.carla.helpWith.map(String)).toEqual(['tuin']);
		expect(has(saved, 'Carla de Vries')).toBe(true);
		// Bert's first change came before Anna's: it keeps its hash. Anna's go.
		const firstHash = A.decodeChange(A.getAllChanges(doc)[0]!).hash!;
		expect(holdsAny(result.doc, [firstHash])).toBe(true);
		expect(result.scrubbed).toHaveLength(2);
		expect(holdsAny(result.doc, result.scrubbed)).toBe(false);
		expect(holdsAny(doc, result.scrubbed)).toBe(true);
		expect(result.gone.length).toBeGreaterThanOrEqual(result.scrubbed.length);
		expect(A.getAllChanges(result.doc)).toHaveLength(A.getAllChanges(doc).length);
		// Anna's first change is where the old and new histories part: every gone change builds on it.
		expect(result.first).toEqual([result.scrubbed[0]]);
	});

	it('keeps every change’s actor, sequence and time, so who wrote what and which value won stay', () => {
		const { bert: doc } = neighbourhood();
		const result = rewriteHistory(doc, annaScrubs);
		const shape = (d: A.Doc<Doc>) => A.getAllChanges(d).map((c) => A.decodeChange(c)).map((c) => `${c.actor}:${c.seq}:${c.time}:${c.startOp}:${c.ops.length}`).sort();
		expect(shape(result.doc)).toEqual(shape(doc));
	});

	it('still syncs with a device that has the new version, both ways; a device with the old history cannot mix it back in', () => {
		const { bert: doc, carla: oldCarla } = neighbourhood();
		const relay = rewriteHistory(doc, annaScrubs).doc;
		let carla = A.clone(relay, CARLA.replace(/c/g, 'd'));
		carla = A.change(carla, (d) => void (d.members.carla.phone = imm('0644444444')));
		let relayAfter = A.change(A.clone(relay, 'ee'.repeat(16)), (d) => void (d.members.bert.name = imm('Bert B.')));
		relayAfter = A.merge(relayAfter, carla);
		carla = A.merge(carla, relayAfter);
		expect(String(carla.members.bert.name)).toBe('Bert B.');
		expect(String(relayAfter.members.carla.phone)).toBe('0644444444');
		expect(A.equals(carla, relayAfter)).toBe(true);
		// The old copy holds the same actors' sequence numbers with other contents: Automerge refuses.
		expect(() => A.merge(A.clone(oldCarla), relay)).toThrow(/duplicate seq/);
	});

	it('replaces a value by what a function makes of it (a JSON value with one field taken out)', () => {
		let doc = A.change(A.init<{ posts: Record<string, A.ImmutableString> }>({ actor: BERT }), (d) => {
			d.posts = { p1: imm(JSON.stringify({ title: 'Ladder', message: 'Bel Anna op 0687654321' })) };
		});
		doc = A.change(doc, (d) => void (d.posts.p2 = imm(JSON.stringify({ title: 'Soep', message: 'Lekker' }))));
		const drop = (old: string) => JSON.stringify({ ...(JSON.parse(old) as object), message: '' });
		const result = rewriteHistory(doc, [{ path: ['posts', 'p1'], replace: drop }]);
		expect(JSON.parse(String(result.doc.posts.p1))).toEqual({ title: 'Ladder', message: '' });
		expect(String(result.doc.posts.p2)).toContain('Lekker');
		expect(has(A.save(result.doc), '0687654321')).toBe(false);
	});

	it('returns the document itself when nothing is erased', () => {
		const { bert: doc } = neighbourhood();
		const result = rewriteHistory(doc, [{ path: ['members', 'nobody'] }]);
		expect(result.doc).toBe(doc);
		expect(result.gone).toEqual([]);
	});

	it('fills erased text with ' + JSON.stringify(TEXT_FILL) + ' so later edits by others land where they did', () => {
		let anna = A.change(A.init<{ posts: Record<string, { text: string; by: A.ImmutableString }> }>({ actor: ANNA }), (d) => {
			d.posts = { p: { text: 'Wie helpt mij met de trap', by: imm('anna') } };
		});
		let bert = A.merge(A.init<typeof anna>({ actor: BERT }), anna);
		bert = A.change(bert, (d) => void (d.posts.q = { text: 'Bert zoekt een ladder', by: imm('bert') }));
		anna = A.merge(anna, bert);
		const result = rewriteHistory(anna, [{ path: ['posts', 'p', 'text'] }]);
		expect(result.doc.posts.p!.text).toBe(TEXT_FILL.repeat('Wie helpt mij met de trap'.length));
		expect(result.doc.posts.q!.text).toBe('Bert zoekt een ladder');
		expect(has(A.save(result.doc), 'trap')).toBe(false);
	});

	it('over random edits by three members: nothing of the erased member is left, and everyone else’s state is unchanged', () => {
		const who = fc.constantFrom('anna', 'bert', 'carla');
		const edit = fc.record({ by: who, field: fc.constantFrom('name', 'phone', 'note'), merge: fc.boolean(), n: fc.integer({ min: 0, max: 999 }) });
		fc.assert(
			fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), (edits) => {
				const actors = { anna: ANNA, bert: BERT, carla: CARLA } as const;
				const start = A.change(A.init<Doc>({ actor: 'ff'.repeat(16) }), (d) => {
					d.members = {};
					for (const m of ['anna', 'bert', 'carla']) d.members[m] = profile(`${m}-naam0`, '06000');
				});
				const docs = Object.fromEntries(Object.entries(actors).map(([m, actor]) => [m, A.merge(A.init<Doc>({ actor }), start)])) as Record<keyof typeof actors, A.Doc<Doc>>;
				for (const e of edits) {
					const value = `${e.by}-secret${e.n}x`;
					docs[e.by] = A.change(docs[e.by], (d) => {
						if (e.field === 'note') A.updateText(d, ['members', e.by, 'note'], value);
						else d.members[e.by]![e.field] = imm(value);
					});
					if (e.merge) for (const other of Object.keys(docs) as Array<keyof typeof docs>) if (other !== e.by) docs[other] = A.merge(docs[other], docs[e.by]);
				}
				let all = docs.anna;
				for (const d of [docs.bert, docs.carla]) all = A.merge(all, d);
				const result = rewriteHistory(all, annaScrubs);
				const values = everyValue(A.load(A.save(result.doc)));
				expect(values).not.toMatch(/anna-(naam|secret)/);
				expect(everyText(result.doc).join('\n')).not.toMatch(/anna-secret/);
				const plain = (d: A.Doc<Doc>) => JSON.parse(JSON.stringify({ bert: d.members.bert, carla: d.members.carla })) as unknown;
				expect(plain(result.doc)).toEqual(plain(all));
			}),
			{ numRuns: 25 }
		);
	});
});
