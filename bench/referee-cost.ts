// What checking costs the relay per incoming change: the relay's own Referee (relay/referee.ts),
// composed as relay/main.ts composes it, judging honest changes one at a time against the relay's
// copy of the ten-year board's latest quarter and of the agenda's current year. Each change is
// made on the acting member's own device (a copy of the document with its own Automerge actor,
// caught up with what the relay accepted so far) by the app's mutations, and sent as the relay
// receives it: the change's bytes in a sync message. Only `judge()` is timed; the change is
// then applied to the relay's copy, so the documents grow as they do on a relay.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { randomBytes } from 'node:crypto';
import { AccessBook } from '../relay/access-book.ts';
import { ActorBook } from '../relay/actors.ts';
import { Referee, type Sender } from '../relay/referee.ts';
import { Registry } from '../relay/registry.ts';
import type { Role } from '../src/lib/access/roles.ts';
import type { AgendaDoc } from '../src/lib/agenda/document.ts';
import { editEvent, eventInput, signUp, type EventInput } from '../src/lib/agenda/mutations.ts';
import { readEvents } from '../src/lib/agenda/view.ts';
import type { HelpDoc, PostDoc } from '../src/lib/help/document.ts';
import { accept, editPost, hide, respond, type PostInput } from '../src/lib/help/mutations.ts';
import { prng } from './generate-help.ts';
import type { Rules } from './referee-rules.ts';
import { joinAs, type RefereeSeed } from './referee-seed.ts';

/** How long one `judge()` took, and for which kind of change. */
export interface Judged {
	kind: string;
	ms: number;
	/** The least of three judgements of the same change: its cost without waits for a busy core. */
	leastMs: number;
}

export interface BoardCost {
	board: string;
	judged: Judged[];
	/** Honest changes the rules refused, by rule: any at all is a finding (an honest device got stuck). */
	refused: Map<string, number>;
}

/** One honest action: who does it (on their own device), and what the app's mutation does. */
export interface Action<D> {
	kind: string;
	member: string;
	run(handle: { change(fn: A.ChangeFn<D>): void }): void;
}

const freshActor = () => randomBytes(16).toString('hex');
const text = (value: unknown): string => String(value ?? '');

/**
 * The relay's side of one document: its copy, the referee, and every acting member's device. A
 * device acts on an up-to-date copy of the relay's document with its own actor (a clone is much
 * cheaper than bringing a device's own copy up to date change by change).
 */
class Bench<D> {
	/** Each member's device, by its Automerge actor: its earlier changes are in the relay's copy. */
	#actors = new Map<string, string>();
	#joined = new Map<string, string>();

	constructor(
		private referee: Referee,
		private book: AccessBook,
		private neighbourhood: string,
		private documentId: string,
		/** The relay's copies of the documents, by id: what the referee reads. */
		private copies: Map<string, A.Doc<unknown>>,
		private roles: Map<string, Role[]>
	) {}

	get doc(): A.Doc<D> {
		return this.copies.get(this.documentId) as A.Doc<D>;
	}

	set doc(doc: A.Doc<D>) {
		this.copies.set(this.documentId, doc);
	}

	#device(member: string): string {
		let device = this.#joined.get(member);
		if (!device) {
			device = joinAs(this.book, this.neighbourhood, member, `Buur ${member.slice(0, 6)}`, this.roles.get(member) ?? []).deviceId;
			this.#joined.set(member, device);
		}
		return device;
	}

	/** Plays `count` actions after `warmup` untimed ones; `next` may say there is nothing to do now. */
	play(name: string, next: () => Action<D> | undefined, warmup: number, count: number): BoardCost {
		const cost: BoardCost = { board: name, judged: [], refused: new Map() };
		let done = 0;
		let idle = 0;
		while (done < warmup + count) {
			const action = next();
			if (!action) {
				if (++idle > 1000) throw new Error(`${name}: no honest action left to take`);
				continue;
			}
			let actor = this.#actors.get(action.member);
			if (!actor) this.#actors.set(action.member, (actor = freshActor()));
			let device = A.clone(this.doc, { actor });
			const heads = A.getHeads(device).join();
			action.run({ change: (fn) => void (device = A.change(device, fn)) });
			const changed = A.getHeads(device).join() !== heads;
			const change = changed ? A.getLastLocalChange(device) : undefined;
			// The device's copy is done with: wasm memory is not the garbage collector's to free in time.
			A.free(device);
			if (!change) {
				if (++idle > 1000) throw new Error(`${name}: the actions keep changing nothing`);
				continue;
			}
			const sender: Sender = { neighbourhood: this.neighbourhood, member: action.member, device: this.#device(action.member), document: this.documentId };

			const start = performance.now();
			const verdict = this.referee.judge(sender, [change]);
			const ms = performance.now() - start;
			// The same judgement twice more (the actor is bound by now, as it is for every later change
			// of that device): the least of the three is what judging costs when no other process takes
			// the core away meanwhile.
			let least = ms;
			for (let again = 0; again < 2; again += 1) {
				const from = performance.now();
				this.referee.judge(sender, [change]);
				least = Math.min(least, performance.now() - from);
			}

			if (verdict.kind === 'load') throw new Error(`${name}: the referee asked to load ${verdict.documents.join(', ')}, which the benchmark holds in memory`);
			if (verdict.kind === 'wait') throw new Error(`${name}: the referee waited for changes it accepted to be stored, and the benchmark applies each before the next`);
			if (verdict.kind === 'vouch') throw new Error(`${name}: the referee asked paired relays, and the benchmark's neighbourhood has none`);
			if (verdict.kind === 'pass') [this.doc] = A.applyChanges(this.doc, [change]);
			else {
				for (const r of verdict.refused) cost.refused.set(`${action.kind}: ${r.rule} at ${r.path.join('/')}`, (cost.refused.get(`${action.kind}: ${r.rule} at ${r.path.join('/')}`) ?? 0) + 1);
				// That device's history now has a change the relay never took: it starts over, as a new device would.
				this.#actors.delete(action.member);
			}
			if (done >= warmup) cost.judged.push({ kind: action.kind, ms, leastMs: least });
			done += 1;
		}
		return cost;
	}
}

function postInput(post: PostDoc): PostInput {
	return {
		kind: text(post.kind) as PostInput['kind'],
		category: text(post.category),
		title: text(post.title),
		description: text(post.description),
		whenKind: text(post.when.kind) as PostInput['whenKind'],
		from: text(post.when.from),
		to: text(post.when.to),
		where: text(post.where),
		contact: text(post.contact) as PostInput['contact']
	};
}

interface PostFacts {
	id: string;
	author: string;
	input: PostInput;
	live: boolean;
	hidden: boolean;
	/** Responses neither accepted nor withdrawn: a poster may accept them. */
	open: string[];
}

/**
 * The help board: edit a post's title (its poster), respond (a neighbour), accept a helper (the
 * poster), hide (a manager). What the actions need to know of the posts is read once and kept up
 * to date by the actions themselves: reading 500 posts through Automerge for every change would
 * cost the benchmark more than the relay.
 */
export function helpActions(
	random: () => number,
	doc: A.Doc<HelpDoc>,
	people: { posters: readonly string[]; responders: readonly string[]; manager: string }
): () => Action<HelpDoc> | undefined {
	const { responders, manager } = people;
	const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
	const inPool = new Set(people.posters);
	const posts: PostFacts[] = Object.values(doc.posts).map((p) => ({
		id: text(p.id),
		author: text(p.author),
		input: postInput(p),
		// Posters act for themselves here; posts placed by an intermediary stay with their intermediary.
		live: ['open', 'agreed'].includes(text(p.status)) && !p.actedBy,
		hidden: Boolean(p.hidden),
		open: Object.values(p.responses).filter((r) => !r.acceptedAt && !r.withdrawnAt).map((r) => text(r.id))
	}));
	const ours = posts.filter((p) => inPool.has(p.author) && !p.hidden && !doc.posts[p.id].actedBy);
	const kinds = ['edit title', 'respond', 'accept', 'hide'] as const;
	let turn = 0;
	let n = 0;
	return () => {
		const kind = kinds[turn++ % kinds.length];
		n += 1;
		if (kind === 'edit title') {
			const post = pick(ours.filter((p) => !p.hidden));
			if (!post) return undefined;
			post.input = { ...post.input, title: `${post.input.title.replace(/ \d+$/, '')} ${n}` };
			const input = post.input;
			return { kind, member: post.author, run: (h) => void editPost(h, post.id, input, { memberId: post.author }) };
		}
		if (kind === 'respond') {
			// Mostly to the posters' own posts, so that they have helpers to accept.
			const by = pick(responders);
			const open = (p: PostFacts) => p.live && !p.hidden && p.author !== by;
			const post = pick(ours.filter(open)) ?? pick(posts.filter(open));
			if (!post || !by) return undefined;
			return {
				kind,
				member: by,
				run: (h) => {
					const id = respond(h, post.id, 'Ik kan helpen, zal ik langskomen?', { memberId: by });
					if (id) post.open.push(id);
				}
			};
		}
		if (kind === 'accept') {
			const post = pick(ours.filter((p) => p.live && !p.hidden && p.open.length > 0));
			if (!post) return undefined;
			const response = post.open.splice(Math.floor(random() * post.open.length), 1)[0];
			return { kind, member: post.author, run: (h) => void accept(h, post.id, response, { memberId: post.author }) };
		}
		const post = pick(posts.filter((p) => !p.hidden));
		if (!post) return undefined;
		post.hidden = true;
		return { kind, member: manager, run: (h) => void hide(h, post.id, 'Hoort niet op het prikbord', { memberId: manager }) };
	};
}

/** The agenda: edit an event (its organiser, or an agenda editor), sign up (a neighbour). */
function agendaActions(random: () => number, doc: A.Doc<AgendaDoc>, url: string, pool: readonly string[], editor: string): () => Action<AgendaDoc> | undefined {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const inputs = new Map<string, { author: string; input: EventInput }>();
	for (const event of readEvents([{ url, doc }]).items) {
		if (!event.cancelled && !event.actedBy) inputs.set(event.id, { author: event.author, input: eventInput(event) });
	}
	const ids = [...inputs.keys()];
	const ours = ids.filter((id) => pool.includes(inputs.get(id)!.author));
	let turn = 0;
	let n = 0;
	return () => {
		n += 1;
		if (turn++ % 2 === 0) {
			// Every other edit by an agenda editor, the others by the organiser.
			const byEditor = n % 4 === 1;
			const id = pick(byEditor ? ids : ours);
			const event = inputs.get(id)!;
			const member = byEditor ? editor : event.author;
			event.input = { ...event.input, title: `${event.input.title.replace(/ \d+$/, '')} ${n}` };
			const input = event.input;
			return { kind: 'edit event', member, run: (h) => void editEvent(h, id, input, { memberId: member }) };
		}
		const id = pick(ids);
		const member = pick(pool);
		return { kind: 'sign up', member, run: (h) => void signUp(h, id, '', { memberId: member }) };
	};
}

/** Judges `count` honest changes (after `warmup`) on each of the two boards with the relay's referee. */
export function measureJudging(seed: RefereeSeed, data: string, rules: Rules, options: { warmup: number; count: number; seed: number }): BoardCost[] {
	const registry = new Registry(data);
	const book = new AccessBook(data);
	const random = prng(options.seed);
	const ids = seed.people.map((p) => p.id);
	// Forty residents act on each board: each keeps one device (one actor) for the whole run.
	const helpPool = ids.slice(0, 40);
	const agendaPool = ids.slice(40, 80);
	const [manager, editor] = [ids[80], ids[81]];
	const roles = new Map<string, Role[]>([
		[manager, ['manager']],
		[editor, ['agenda']]
	]);
	const idOf = (url: string) => url.replace(/^automerge:/, '');
	const copies = new Map<string, A.Doc<unknown>>(
		[seed.root, seed.members, seed.quarter, seed.agenda].map((d) => [idOf(d.url), A.clone(d.doc as A.Doc<unknown>)])
	);
	// As relay/main.ts composes it, with every document it needs in memory.
	const referee = new Referee({ registry, book, actors: new ActorBook(data), documentOf: (id) => copies.get(id), stored: () => false, rules });
	const help = new Bench<HelpDoc>(referee, book, seed.neighbourhood, idOf(seed.quarter.url), copies, roles);
	const agenda = new Bench<AgendaDoc>(referee, book, seed.neighbourhood, idOf(seed.agenda.url), copies, roles);
	const posts = Object.keys(seed.quarter.doc.posts).length;
	const events = Object.keys(seed.agenda.doc.events).length;
	return [
		help.play(`help board ${seed.quarter.period} (${posts} posts)`, helpActions(random, seed.quarter.doc, { posters: helpPool, responders: helpPool, manager }), options.warmup, options.count),
		agenda.play(`agenda ${seed.agenda.period} (${events} events)`, agendaActions(random, seed.agenda.doc, seed.agenda.url, agendaPool, editor), options.warmup, options.count)
	];
}
