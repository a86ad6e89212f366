import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { applyUndo, changesOf, outcomeOf, planUndo } from './undo.ts';

// Three devices on one document: Anna and Carla are honest, Bert does the damage.
const ANNA = 'aa'.repeat(16);
const BERT = 'bb'.repeat(16);
const CARLA = 'cc'.repeat(16);
const RELAY = 'ee'.repeat(16);
const imm = (s: string) => new A.ImmutableString(s);

interface Post {
	id: A.ImmutableString;
	title: A.ImmutableString;
	description: string;
	author: A.ImmutableString;
	hidden: null | Record<string, A.ImmutableString>;
	responses: Record<string, { by: A.ImmutableString }>;
	views?: A.Counter;
}
interface Board {
	posts: Record<string, Post>;
	categories: A.ImmutableString[];
	visits: A.Counter;
}

const post = (id: string, title: string, author: string, description = ''): Post => ({
	id: imm(id),
	title: imm(title),
	description,
	author: imm(author),
	hidden: null,
	responses: {},
	views: new A.Counter(0)
});

/** A board with two posts, made by Anna; Bert and Carla have it too. */
function board() {
	let anna = A.change(A.init<Board>({ actor: ANNA }), (d) => {
		d.posts = {};
		d.categories = [imm('boodschappen'), imm('vervoer')];
		d.visits = new A.Counter(5);
	});
	anna = A.change(anna, (d) => {
		d.posts.p1 = post('p1', 'Boodschappen gezocht', 'anna', 'Wie kan dinsdag mee naar de markt?');
		d.posts.p2 = post('p2', 'Ladder te leen', 'anna');
	});
	const bert = A.merge(A.init<Board>({ actor: BERT }), anna);
	const carla = A.merge(A.init<Board>({ actor: CARLA }), anna);
	return { anna, bert, carla };
}

/** Bert's changes since `from` (the change log would say so; here his actor does). */
const bertsChanges = (doc: A.Doc<Board>) => new Set(changesOf(doc).filter((c) => c.actor === BERT).map((c) => c.hash));

function undoBert(doc: A.Doc<Board>) {
	const plan = planUndo(doc, bertsChanges(doc));
	const relay = A.merge(A.init<Board>({ actor: RELAY }), doc);
	const after = A.change(relay, (d) => applyUndo(d, plan, { by: 'manager1', at: new Date('2026-06-01T12:00:00Z'), reason: 'ongedaan gemaakt' }));
	return { after, outcome: outcomeOf(plan), plan };
}

const titles = (doc: A.Doc<Board>) =>
	Object.values(doc.posts)
		.filter((p) => !p.hidden)
		.map((p) => p.title.val)
		.sort();

describe('undoing one member’s changes', () => {
	it('brings back an emptied board, while the post another member made meanwhile stays', () => {
		let { anna, bert, carla } = board();
		bert = A.change(bert, (d) => {
			for (const id of Object.keys(d.posts)) delete d.posts[id];
			d.categories.splice(0, d.categories.length);
			delete (d as Partial<Board>).visits;
		});
		carla = A.merge(carla, bert);
		carla = A.change(carla, (d) => void (d.posts.p3 = post('p3', 'Koffie op vrijdag', 'carla')));
		expect(titles(carla)).toEqual(['Koffie op vrijdag']);

		const { after, outcome } = undoBert(carla);
		expect(titles(after)).toEqual(['Boodschappen gezocht', 'Koffie op vrijdag', 'Ladder te leen']);
		// Rebuilt as it was stored: immutable stays immutable, text stays text, a counter a counter.
		expect(A.isImmutableString(after.posts.p1!.title)).toBe(true);
		expect(typeof after.posts.p1!.description).toBe('string');
		expect(after.posts.p1!.description).toBe('Wie kan dinsdag mee naar de markt?');
		expect(A.isCounter(after.visits)).toBe(true);
		expect(after.visits.value).toBe(5);
		expect(after.categories.map((c) => c.val)).toEqual(['boodschappen', 'vervoer']);
		expect(outcome.restored).toBe(4);
		// One change, which every device merges with its own.
		expect(A.getAllChanges(after).length - A.getAllChanges(carla).length).toBe(1);
		anna = A.change(A.merge(anna, carla), (d) => void (d.posts.p4 = post('p4', 'Nog een', 'anna')));
		expect(titles(A.merge(anna, after))).toEqual(['Boodschappen gezocht', 'Koffie op vrijdag', 'Ladder te leen', 'Nog een']);
	});

	it('puts an edited title back, unless someone else edited it afterwards', () => {
		let { bert, carla } = board();
		bert = A.change(bert, (d) => {
			d.posts.p1!.title = imm('GRATIS GELD');
			d.posts.p2!.title = imm('Koop nu');
		});
		carla = A.merge(carla, bert);
		carla = A.change(carla, (d) => void (d.posts.p2!.title = imm('Ladder te leen (Carla verbeterde)')));
		const { after, outcome } = undoBert(carla);
		expect(after.posts.p1!.title.val).toBe('Boodschappen gezocht');
		expect(after.posts.p2!.title.val).toBe('Ladder te leen (Carla verbeterde)');
		expect(outcome).toMatchObject({ restored: 1, kept: 1 });
	});

	it('removes the posts the member made, and hides one a neighbour already responded to', () => {
		let { bert, carla } = board();
		bert = A.change(bert, (d) => {
			for (let i = 0; i < 5; i++) d.posts[`spam${i}`] = post(`spam${i}`, `Spam ${i}`, 'bert');
		});
		carla = A.merge(carla, bert);
		carla = A.change(carla, (d) => void (d.posts.spam0!.responses.r1 = { by: imm('carla') }));
		const { after, outcome } = undoBert(carla);
		expect(titles(after)).toEqual(['Boodschappen gezocht', 'Ladder te leen']);
		expect(Object.keys(after.posts)).toContain('spam0');
		expect(after.posts.spam0!.hidden!.by!.val).toBe('manager1');
		expect(after.posts.spam0!.responses.r1!.by.val).toBe('carla');
		expect(outcome).toMatchObject({ removed: 4, hidden: 1 });
	});

	it('restores text through updateText, so a neighbour typing at the same time keeps their words', () => {
		let { anna, bert } = board();
		bert = A.change(bert, (d) => A.updateText(d, ['posts', 'p1', 'description'], 'weg ermee'));
		const relayCopy = A.merge(A.clone(anna, { actor: RELAY }), bert);
		const { after } = undoBert(relayCopy);
		expect(after.posts.p1!.description).toBe('Wie kan dinsdag mee naar de markt?');
		// Anna, who had not seen Bert's edit, adds a word at the end meanwhile.
		anna = A.change(anna, (d) => A.splice(d, ['posts', 'p1', 'description'], 34, 0, ' Graag!'));
		expect(A.merge(anna, after).posts.p1!.description).toBe('Wie kan dinsdag mee naar de markt? Graag!');
	});

	it('sets a counter back by counting, and recreates a deleted one as a counter', () => {
		let { bert, carla } = board();
		bert = A.change(bert, (d) => {
			d.visits.increment(1000);
			delete d.posts.p1!.views;
		});
		carla = A.merge(carla, bert);
		const { after } = undoBert(carla);
		expect(after.visits.value).toBe(5);
		expect(A.isCounter(after.posts.p1!.views)).toBe(true);
		// Carla's own count meanwhile, not yet seen by the relay, still adds up.
		carla = A.change(carla, (d) => d.visits.increment(1));
		expect(A.merge(carla, after).visits.value).toBe(6);
	});

	it('writes nothing when the member changed nothing', () => {
		const { carla } = board();
		expect(planUndo(carla, bertsChanges(carla)).steps).toEqual([]);
	});
});
