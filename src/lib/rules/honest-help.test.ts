// An honest device is never refused: random sequences of what the pages offer (a `may…` function
// said yes), by several members on several devices, some offline for a while, then merged. Each
// change is judged twice: on the device against the state it was made on, and at a hub that plays
// the relay, against what the hub holds when the device next syncs (with the person's residents
// as the hub's member list says). And every device ends with the same documents.
import * as A from '@automerge/automerge';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { BasedHandle } from '../automerge/based.ts';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../access/roles.ts';
import type { HelpDoc } from '../help/document.ts';
import {
	accept,
	blankPost,
	createPost,
	editPost,
	hide,
	markDone,
	renew,
	reopen,
	respond,
	restore,
	restoreResponse,
	thank,
	withdrawPost,
	withdrawResponse
} from '../help/mutations.ts';
import { newPeriodDoc } from '../help/periods.ts';
import { helpRules, mayAccept, mayChangeResponse, mayEditPost, mayHidePost, mayPostAs, mayRespondAs } from '../help/rules.ts';
import { readPosts, type Post } from '../help/view.ts';
import type { MembersDoc } from '../members/document.ts';
import { addManaged, join, leave, updateProfile, type ProfileInput } from '../members/mutations.ts';
import { mayAddManaged, mayEditProfile, membersRules } from '../members/rules.ts';
import { managedBy, readMembers } from '../members/view.ts';
import { DeviceCopy } from './device-copy.ts';
import { RefereeCopy } from './refereed-doc.ts';
import type { Refused, Who } from './judge.ts';

const PEOPLE: Record<string, Role[]> = {
	'ann-00001': [],
	'bert-0001': [],
	'vera-0001': ['intermediary'],
	'fatima-01': ['manager'],
	'ed-000001': ['agenda']
};
/** Ann has two devices; the others one each. */
const DEVICES = ['ann-00001', 'ann-00001', 'bert-0001', 'vera-0001', 'fatima-01', 'ed-000001'];

const profile = (name: string): ProfileInput => ({ name, area: '', phone: '', phoneVisibility: 'members', helpWith: [], helpNote: '' });

type Docs = { members: A.Doc<MembersDoc>; help: A.Doc<HelpDoc> };

function start(): Docs {
	let members = A.from({ members: {} } as unknown as Record<string, unknown>) as unknown as A.Doc<MembersDoc>;
	const handle = { change: (fn: A.ChangeFn<MembersDoc>) => (members = A.change(members, fn)) } as unknown as DocHandle<MembersDoc>;
	for (const id of Object.keys(PEOPLE)) join(handle, id, profile(id));
	addManaged(handle, 'henk-0001', profile('Henk'), { by: 'vera-0001', how: 'phone' });
	const help = A.from(newPeriodDoc('2026Q4') as unknown as Record<string, unknown>) as unknown as A.Doc<HelpDoc>;
	return { members, help };
}

/**
 * The pages list the residents one acts for who have not left; the relay (relay/referee.ts) counts
 * every profile that names the intermediary, so a post made for a resident who left meanwhile, on
 * a device that was offline, still passes.
 */
const whoIn = (members: unknown, member: string, includeLeft = false): Who => ({
	member,
	roles: PEOPLE[member]!,
	actsFor: new Set(managedBy(readMembers(members, { includeLeft }).items, member).map((m) => m.id))
});

class Device {
	readonly members: DeviceCopy<MembersDoc>;
	readonly help: DeviceCopy<HelpDoc>;

	constructor(
		readonly member: string,
		base: Docs
	) {
		const who = whoIn(base.members, member);
		this.members = new DeviceCopy(A.clone(base.members), membersRules, who);
		this.help = new DeviceCopy(A.clone(base.help), helpRules, who);
	}

	/** The person as this device's pages see them, as CurrentView builds `who`. */
	who(): Who {
		const who = whoIn(this.members.doc, this.member);
		this.members.who = who;
		this.help.who = who;
		return who;
	}

	/** What the pages offer this person now, each as a mutation to run. */
	offers(): (() => unknown)[] {
		const who = this.who();
		const me = { memberId: who.member };
		const as = (id: string) => (id === who.member ? me : { memberId: id, actedBy: who.member });
		const selves = [who.member, ...who.actsFor];
		const h = this.help as unknown as DocHandle<HelpDoc>;
		const m = this.members as unknown as DocHandle<MembersDoc>;
		const offers: (() => unknown)[] = [];
		const request = { ...blankPost('request'), category: 'boodschappen', title: 'Hulp gevraagd' };
		for (const id of selves) if (mayPostAs(who, id)) offers.push(() => createPost(h, request, as(id)));
		for (const id of selves) if (mayEditProfile(who, id)) offers.push(() => updateProfile(m, id, { ...profile(id), area: `Straat ${Math.random()}` }));
		for (const id of who.actsFor) offers.push(() => leave(m, id));
		if (mayAddManaged(who)) offers.push(() => addManaged(m, `new-${Math.random().toString(36).slice(2, 12)}`, profile('Nieuw'), { by: who.member, how: 'in-person' }));
		for (const post of readPosts([{ url: 'automerge:x', doc: this.help.doc }]).items) offers.push(...this.#postOffers(who, post, as));
		this.#opened = A.getHeads(this.help.doc);
		return offers;
	}

	/** The heads when the person last looked: a form opened then is saved as of then. */
	#opened: A.Heads | undefined;

	#postOffers(who: Who, post: Post, as: (id: string) => { memberId: string; actedBy?: string }): (() => unknown)[] {
		const h = this.help as unknown as DocHandle<HelpDoc>;
		const based = this.help as unknown as BasedHandle<HelpDoc, A.Heads>;
		const opened = this.#opened;
		const offers: (() => unknown)[] = [];
		const active = post.status === 'open' || post.status === 'agreed';
		if (mayEditPost(who, post)) {
			const author = as(post.author);
			if (active) {
				const edit = { ...blankPost(post.kind), category: post.category, title: `${post.title}!`, description: `${post.description} ja` };
				offers.push(() => editPost(h, post.id, edit, author), () => markDone(h, post.id, author), () => withdrawPost(h, post.id, author));
				if (opened) offers.push(() => editPost(based, post.id, { ...edit, title: `${post.title}?` }, author, new Date(), opened));
			}
			if (!active) offers.push(() => reopen(h, post.id, author));
			offers.push(() => renew(h, post.id, author));
			if (post.status === 'done' && !post.thanks) offers.push(() => thank(h, post.id, 'Dank je!', author));
			for (const r of post.responses) {
				if (active && mayAccept(who, post) && !r.acceptedAt && !r.withdrawnAt) offers.push(() => accept(h, post.id, r.id, author));
			}
		} else if (active && !post.hidden) {
			for (const id of [who.member, ...who.actsFor]) {
				const answered = post.responses.some((r) => r.by === id && !r.withdrawnAt);
				if (mayRespondAs(who, post, id) && !answered) offers.push(() => respond(h, post.id, 'Ik kan helpen', as(id)));
			}
		}
		for (const r of post.responses) {
			if (!mayChangeResponse(who, r)) continue;
			if (!r.withdrawnAt && !r.acceptedAt) offers.push(() => withdrawResponse(h, post.id, r.id, as(r.by)));
			if (r.withdrawnAt) offers.push(() => restoreResponse(h, post.id, r.id, as(r.by)));
		}
		if (mayHidePost(who)) offers.push(post.hidden ? () => restore(h, post.id, as(who.member)) : () => hide(h, post.id, 'Hoort hier niet', as(who.member)));
		return offers;
	}
}

/**
 * Plays the relay: judges what a device brings all at once, as the relay does (what a device did
 * offline arrives in one sync message), against what it holds.
 */
class Hub {
	readonly refused: Refused[] = [];
	readonly members: RefereeCopy<MembersDoc>;
	readonly help: RefereeCopy<HelpDoc>;

	constructor(docs: Docs) {
		this.members = new RefereeCopy(membersRules, docs.members);
		this.help = new RefereeCopy(helpRules, docs.help);
	}

	sync(device: Device) {
		// The device hears what the hub has, then the hub judges what only the device has.
		device.members.merge(this.members.doc);
		device.help.merge(this.help.doc);
		// The member list first: it says whom an intermediary acts for.
		this.refused.push(...this.members.receive(device.members.doc, whoIn(this.members.doc, device.member, true)));
		this.refused.push(...this.help.receive(device.help.doc, whoIn(this.members.doc, device.member, true)));
	}
}

const step = fc.record({ device: fc.nat(DEVICES.length - 1), sync: fc.boolean(), pick: fc.nat(10_000) });

describe('honest devices', () => {
	it('are never refused, on their own copy or by the relay, and end with the same documents', () => {
		fc.assert(
			fc.property(fc.array(step, { minLength: 5, maxLength: 25 }), (steps) => {
				const base = start();
				const hub = new Hub({ members: A.clone(base.members), help: A.clone(base.help) });
				const devices = DEVICES.map((member) => new Device(member, base));
				for (const { device, sync, pick } of steps) {
					const d = devices[device]!;
					// A device that does not sync for a while is offline meanwhile.
					if (sync) hub.sync(d);
					const offers = d.offers();
					offers[pick % offers.length]!();
				}
				for (const d of devices) hub.sync(d);
				for (const d of devices) hub.sync(d);
				const refused = [...devices.flatMap((d) => [...d.members.refused, ...d.help.refused]), ...hub.refused];
				expect(refused.map((r) => `${r.rule} at ${r.path.join('/')}`)).toEqual([]);
				const heads = (doc: A.Doc<unknown>) => A.getHeads(doc).sort().join();
				for (const d of devices) {
					expect(heads(d.members.doc)).toBe(heads(hub.members.doc));
					expect(heads(d.help.doc)).toBe(heads(hub.help.doc));
				}
				expect(readPosts([{ url: 'automerge:x', doc: devices[0]!.help.doc }])).toEqual(readPosts([{ url: 'automerge:x', doc: devices[5]!.help.doc }]));
			}),
			{ numRuns: 10 }
		);
		// Automerge 3 changes cost more as a document grows: ten runs took ~12 s on a 2-core machine at load 15.
	}, 60_000);
});
