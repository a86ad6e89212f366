import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { rebase } from './rebase.ts';

interface Post {
	title: string;
	body: string;
	status: A.ImmutableString;
	views: A.Counter;
	tags: string[];
	extra?: { note: string };
}
interface Board {
	posts: Record<string, Post>;
	name: string;
}

const hashOf = (doc: A.Doc<unknown>) => A.decodeChange(A.getLastLocalChange(doc)!).hash;
const hashes = (doc: A.Doc<unknown>) => A.getChangesMetaSince(doc, []).map((m) => m.hash);

/** A board both the relay and this device have, written by another member's device. */
function shared(): A.Doc<Board> {
	return A.change(A.init<Board>('aaaa'), { time: 1_700_000_000 }, (d) => {
		d.name = 'Buurt';
		d.posts = {
			p1: { title: 'Boodschappen', body: 'Wie helpt?', status: new A.ImmutableString('open'), views: new A.Counter(0), tags: ['hulp'] }
		};
	});
}

/** The device's copy: the shared board, then its own changes. */
function onDevice(base: A.Doc<Board>) {
	return A.clone(base, 'bbbb');
}

/** Every change's ancestors, to check nothing left builds on a refused change. */
function ancestors(doc: A.Doc<unknown>, hash: string): Set<string> {
	const byHash = new Map(A.getChangesMetaSince(doc, []).map((m) => [m.hash, m]));
	const seen = new Set<string>();
	const stack = [...byHash.get(hash)!.deps];
	while (stack.length) {
		const h = stack.pop()!;
		if (seen.has(h)) continue;
		seen.add(h);
		stack.push(...(byHash.get(h)?.deps ?? []));
	}
	return seen;
}

describe('rebase', () => {
	it('keeps two later edits on other fields and leaves the refused one out', () => {
		const base = shared();
		let doc = onDevice(base);
		doc = A.change(doc, (d) => (d.name = 'Overgenomen'));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => (d.posts.p1.status = new A.ImmutableString('closed')));
		doc = A.change(doc, (d) => d.posts.p1.views.increment(3));

		const result = rebase(doc, [refused]);

		expect(result.doc.name).toBe('Buurt');
		expect(String(result.doc.posts.p1.status)).toBe('closed');
		expect(A.isImmutableString(result.doc.posts.p1.status)).toBe(true);
		expect(result.doc.posts.p1.views.value).toBe(3);
		expect(result.replayed).toBe(2);
		expect(result.dropped).toEqual([expect.objectContaining({ hash: refused, refused: true, paths: [['name']] })]);
	});

	it('replays text edits made after the refused change', () => {
		let doc = onDevice(shared());
		doc = A.change(doc, (d) => A.updateText(d.posts.p1, ['title'], 'Weg ermee'));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => A.updateText(d.posts.p1, ['body'], 'Wie helpt zaterdag?'));
		doc = A.change(doc, (d) => A.updateText(d.posts.p1, ['body'], 'Wie helpt mij zaterdag?'));
		doc = A.change(doc, (d) => A.splice(d, ['name'], 0, 1, 'B'));

		const { doc: rebased, replayed } = rebase(doc, [refused]);

		expect(rebased.posts.p1.title).toBe('Boodschappen');
		expect(rebased.posts.p1.body).toBe('Wie helpt mij zaterdag?');
		expect(rebased.name).toBe('Buurt');
		expect(replayed).toBe(3);
	});

	it('drops a later change that edited inside an object the refused change made', () => {
		let doc = onDevice(shared());
		doc = A.change(doc, (d) => (d.posts.p1.extra = { note: 'eerste' }));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => A.updateText(d.posts.p1.extra!, ['note'], 'tweede'));
		const inside = hashOf(doc);
		doc = A.change(doc, (d) => d.posts.p1.tags.push('boodschap'));

		const result = rebase(doc, [refused]);

		expect(result.doc.posts.p1.extra).toBeUndefined();
		expect(result.doc.posts.p1.tags).toEqual(['hulp', 'boodschap']);
		expect(result.dropped.map((d) => [d.hash, d.refused])).toEqual([
			[refused, true],
			[inside, false]
		]);
		expect(result.replayed).toBe(1);
	});

	it('leaves no refused change and nothing that depends on one', () => {
		const base = shared();
		let doc = onDevice(base);
		doc = A.change(doc, (d) => (d.posts.p1.title = 'Van mij'));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => d.posts.p1.tags.push('later'));
		const later = hashOf(doc);

		const { doc: rebased } = rebase(doc, [refused]);

		const left = hashes(rebased);
		expect(left).not.toContain(refused);
		expect(left).not.toContain(later);
		for (const hash of left) expect(ancestors(rebased, hash).has(refused)).toBe(false);
		// The relay, which never took the refused change, accepts everything the device has now.
		const relay = A.clone(base);
		const [merged] = A.applyChanges(relay, A.getChanges(relay, rebased));
		expect(A.getHeads(merged).sort()).toEqual(A.getHeads(rebased).sort());
		expect(merged.posts.p1.tags).toEqual(['hulp', 'later']);
	});

	it("keeps other members' changes as they are, also ones that arrived after the refused one", () => {
		const base = shared();
		let other = A.clone(base, 'cccc');
		let doc = onDevice(base);
		doc = A.change(doc, (d) => d.posts.p1.tags.push('eigen'));
		const before = hashOf(doc);
		doc = A.change(doc, (d) => (d.name = 'Van mij'));
		const refused = hashOf(doc);
		other = A.change(other, (d) => A.updateText(d.posts.p1, ['body'], 'Wie helpt er morgen?'));
		other = A.change(other, (d) => (d.posts.p2 = plainPost('Oppas')));
		doc = A.merge(doc, other);
		doc = A.change(doc, (d) => A.updateText(d.posts.p1, ['body'], 'Wie helpt er morgen, graag?'));

		const { doc: rebased, replayed } = rebase(doc, [refused]);

		for (const hash of [...hashes(other), before]) expect(hashes(rebased)).toContain(hash);
		expect(rebased.posts.p1.tags).toEqual(['hulp', 'eigen']);
		expect(rebased.posts.p1.body).toBe('Wie helpt er morgen, graag?');
		expect(rebased.posts.p2.title).toBe('Oppas');
		expect(rebased.name).toBe('Buurt');
		expect(replayed).toBe(1);
	});

	it('replays a text edit in its place when another member edited the same text meanwhile', () => {
		const base = shared();
		let other = A.clone(base, 'cccc');
		let doc = onDevice(base);
		doc = A.change(doc, (d) => (d.name = 'Van mij'));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => A.splice(d.posts.p1, ['body'], 'Wie helpt'.length, 0, ' mij'));
		other = A.change(other, (d) => A.splice(d.posts.p1, ['body'], 0, 0, 'Dringend: '));
		doc = A.merge(doc, other);
		expect(doc.posts.p1.body).toBe('Dringend: Wie helpt mij?');

		const { doc: rebased, replayed } = rebase(doc, [refused]);

		expect(rebased.posts.p1.body).toBe('Dringend: Wie helpt mij?');
		expect(rebased.name).toBe('Buurt');
		expect(replayed).toBe(1);
		for (const hash of hashes(other)) expect(hashes(rebased)).toContain(hash);
	});

	it('replays list insertions and deletions, counters and removed keys', () => {
		let doc = onDevice(shared());
		doc = A.change(doc, (d) => (d.name = 'X'));
		const refused = hashOf(doc);
		doc = A.change(doc, (d) => {
			d.posts.p1.tags.push('a', 'b');
			d.posts.p1.views.increment(2);
		});
		doc = A.change(doc, (d) => {
			d.posts.p1.tags.splice(0, 1);
			d.posts.p2 = plainPost('Nieuw');
		});
		doc = A.change(doc, (d) => delete d.posts.p2.extra);
		doc = A.change(doc, (d) => {
			delete (d.posts as Record<string, Post | undefined>).p2;
		});

		const { doc: rebased } = rebase(doc, [refused]);

		expect(rebased.posts.p1.tags).toEqual(['a', 'b']);
		expect(rebased.posts.p1.views.value).toBe(2);
		expect(rebased.posts.p2).toBeUndefined();
	});

	it('returns the same document when it holds none of the refused changes', () => {
		const doc = A.change(onDevice(shared()), (d) => (d.name = 'Y'));
		const result = rebase(doc, ['00'.repeat(32)]);
		expect(result.doc).toBe(doc);
		expect(result).toMatchObject({ dropped: [], replayed: 0 });
		// A second notice for a change already taken out changes nothing either.
		const once = rebase(doc, [hashOf(doc)]);
		expect(rebase(once.doc, [hashOf(doc)]).doc).toBe(once.doc);
	});

	it('keeps a change the relay already has, whatever a notice says', () => {
		let doc = onDevice(shared());
		doc = A.change(doc, (d) => (d.name = 'Al gedeeld'));
		const onRelay = hashOf(doc);
		doc = A.change(doc, (d) => (d.posts.p1.title = 'Nog niet gedeeld'));
		const notYet = hashOf(doc);

		expect(rebase(doc, [onRelay], { relayHeads: [onRelay] }).doc).toBe(doc);
		const result = rebase(doc, [onRelay, notYet], { relayHeads: [onRelay, 'ff'.repeat(32)] });
		expect(result.dropped.map((d) => d.hash)).toEqual([notYet]);
		expect(result.doc.name).toBe('Al gedeeld');
	});

	it('writes the replayed changes under one fresh actor, with their original time', () => {
		let doc = onDevice(shared());
		doc = A.change(doc, (d) => (d.name = 'X'));
		const refused = hashOf(doc);
		doc = A.change(doc, { time: 1_700_000_000 }, (d) => (d.posts.p1.title = 'Een'));
		doc = A.change(doc, { time: 1_700_000_100 }, (d) => (d.posts.p1.body = 'Twee'));

		const { doc: rebased } = rebase(doc, [refused], { actor: 'dddd' });

		const replayed = A.getChangesMetaSince(rebased, []).filter((m) => m.actor === 'dddd');
		expect(replayed.map((m) => [m.seq, m.time])).toEqual([
			[1, 1_700_000_000],
			[2, 1_700_000_100]
		]);
		// Later edits on the device continue with that actor.
		expect(A.getActorId(A.change(rebased, (d) => (d.name = 'Z')))).toBe('dddd');
	});
});

function plainPost(title: string): Post {
	return { title, body: '', status: new A.ImmutableString('open'), views: new A.Counter(0), tags: [], extra: { note: '' } };
}
