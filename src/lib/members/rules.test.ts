import * as A from '@automerge/automerge';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { Role } from '../access/roles.ts';
import { DeviceCopy } from '../rules/device-copy.ts';
import { RefereeCopy } from '../rules/refereed-doc.ts';
import type { Who } from '../rules/judge.ts';
import type { MembersDoc } from './document.ts';
import { addManaged, join, leave, newMember, updateProfile, type ProfileInput } from './mutations.ts';
import { mayAddManaged, mayChangeManagedBy, mayEditProfile, membersRules } from './rules.ts';
import { readMembers } from './view.ts';

const person = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const ann = person('ann-00001');
const bert = person('bert-0001');
const vera = person('vera-0001', ['intermediary'], ['henk-0001']);
const fatima = person('fatima-01', ['manager']);
const ed = person('ed-000001', ['agenda']);
const mo = person('mo-000001', ['map']);

const profile = (name: string): ProfileInput => ({ name, area: 'Lindenlaan', phone: '', phoneVisibility: 'members', helpWith: ['tuin'], helpNote: '' });

function act(doc: A.Doc<MembersDoc> | undefined, who: Who, mutation: (handle: DocHandle<MembersDoc>) => unknown) {
	const copy = new DeviceCopy<MembersDoc>(doc ? A.clone(doc) : A.init<MembersDoc>(), membersRules, who);
	mutation(copy as unknown as DocHandle<MembersDoc>);
	return { broken: copy.refused.map((r) => r.rule), doc: copy.doc };
}
const hostile = (doc: A.Doc<MembersDoc>, who: Who, fn: (d: MembersDoc) => void) => act(doc, who, (h) => h.change(fn)).broken;

/** Ann, Bert, Vera, Fatima, Ed and Mo joined; Vera added Henk, who has no device. */
function list() {
	let doc = act(undefined, fatima, (h) => h.change((d) => Object.assign(d, { members: {} }))).doc;
	for (const who of [ann, bert, vera, fatima, ed, mo]) doc = act(doc, who, (h) => join(h, who.member, profile(who.member))).doc;
	return act(doc, vera, (h) => addManaged(h, 'henk-0001', profile('Henk'), { by: vera.member, how: 'phone' })).doc;
}

describe('members rules: what the app does, by who may do it', () => {
	it('lets a new neighbour join under their own id, and starting the list with the first manager', () => {
		const started = act(undefined, fatima, (h) =>
			h.change((d) => {
				Object.assign(d, { members: {} });
				d.members[fatima.member] = newMember(fatima.member, profile('Fatima'), new Date().toISOString());
			})
		);
		expect(started.broken).toEqual([]);
		expect(act(started.doc, ann, (h) => join(h, ann.member, profile('Ann'))).broken).toEqual([]);
		expect(act(started.doc, ann, (h) => join(h, bert.member, profile('Bert'))).broken).toEqual(['members.profile-owner']);
		// Two devices of one member joining at once: the second writes the same profile again.
		const joined = act(started.doc, ann, (h) => join(h, ann.member, profile('Ann'))).doc;
		expect(act(joined, ann, (h) => join(h, ann.member, profile('Ann'))).broken).toEqual([]);
		expect(act(joined, bert, (h) => join(h, ann.member, profile('Ann?'))).broken).toEqual(['members.no-replace']);
	});

	it('lets a member edit and leave only their own profile, and an intermediary those of the residents they act for', () => {
		const doc = list();
		expect(act(doc, ann, (h) => updateProfile(h, ann.member, { ...profile('Ann'), helpWith: ['vervoer', 'tuin'], phone: '06 1234 5678' })).broken).toEqual([]);
		expect(act(doc, ann, (h) => leave(h, ann.member)).broken).toEqual([]);
		const left = act(doc, ann, (h) => leave(h, ann.member)).doc;
		expect(act(left, ann, (h) => updateProfile(h, ann.member, profile('Ann'))).broken).toEqual([]);
		expect(act(doc, vera, (h) => updateProfile(h, 'henk-0001', profile('Henk de Vries'))).broken).toEqual([]);
		expect(act(doc, vera, (h) => leave(h, 'henk-0001')).broken).toEqual([]);
		for (const other of [bert, vera, fatima, ed, mo]) {
			expect(new Set(act(doc, other, (h) => updateProfile(h, ann.member, profile('Gehackt'))).broken)).toEqual(new Set(['members.profile-owner']));
			expect(new Set(act(doc, other, (h) => leave(h, ann.member)).broken)).toEqual(new Set(['members.profile-owner']));
		}
		expect(new Set(act(doc, bert, (h) => updateProfile(h, 'henk-0001', profile('Henk?'))).broken)).toEqual(new Set(['members.profile-owner']));
	});

	it('lets only an intermediary or manager add a resident without a device, naming themself, with consent', () => {
		const doc = list();
		expect(act(doc, vera, (h) => addManaged(h, 'truus-001', profile('Truus'), { by: vera.member, how: 'in-person' })).broken).toEqual([]);
		expect(act(doc, fatima, (h) => addManaged(h, 'truus-001', profile('Truus'), { by: fatima.member, how: 'phone' })).broken).toEqual([]);
		for (const other of [ann, ed, mo]) {
			expect(act(doc, other, (h) => addManaged(h, 'truus-001', profile('Truus'), { by: other.member, how: 'phone' })).broken).toEqual(['members.managed-by']);
		}
		expect(act(doc, vera, (h) => addManaged(h, 'truus-001', profile('Truus'), { by: ann.member, how: 'phone' })).broken).toEqual(['members.managed-by']);
		expect(act(doc, vera, (h) => addManaged(h, vera.member, profile('Vera'), { by: vera.member, how: 'phone' })).broken).toEqual(['members.managed-by']);
		const falseConsent = hostile(doc, vera, (d) => {
			d.members['truus-001'] = { ...newMember('truus-001', profile('Truus'), new Date().toISOString()), managedBy: imm(vera.member), consent: { by: imm(fatima.member), at: imm(new Date().toISOString()), how: imm('phone') } };
		});
		expect(falseConsent).toContain('members.consent');
	});

	it('answers the pages the same way', () => {
		expect([ann, bert, vera, fatima].map((w) => mayEditProfile(w, ann.member))).toEqual([true, false, false, false]);
		expect(mayEditProfile(vera, 'henk-0001')).toBe(true);
		expect([ann, vera, fatima, ed, mo].map(mayAddManaged)).toEqual([false, true, true, false, false]);
		expect([vera, fatima].map(mayChangeManagedBy)).toEqual([false, true]);
	});
});

describe('members rules: what the relay receives at once', () => {
	it('takes a resident an intermediary added and then corrected in one message, and neither from one who may add nobody', () => {
		const doc = list();
		const relay = new RefereeCopy(membersRules, A.clone(doc));
		// Vera, on a visit without signal: adds Truus, corrects her phone number, and Henk moves away.
		const visit = act(doc, vera, (h) => {
			addManaged(h, 'truus-001', profile('Truus'), { by: vera.member, how: 'in-person' });
			updateProfile(h, 'truus-001', { ...profile('Truus Bakker'), phone: '06 1234 5678' });
			leave(h, 'henk-0001');
		});
		expect(visit.broken).toEqual([]);
		expect(relay.receive(visit.doc, vera)).toEqual([]);
		const seen = readMembers(relay.doc, { includeLeft: true }).items;
		expect(seen.find((m) => m.id === 'truus-001')).toMatchObject({ name: 'Truus Bakker', phone: '06 1234 5678', managedBy: vera.member });
		expect(seen.find((m) => m.id === 'henk-0001')?.leftAt).toBeTruthy();
		// Ed may add nobody: neither the resident nor the edit built on it passes.
		const ed1 = act(relay.doc, ed, (h) => {
			addManaged(h, 'piet-0001', profile('Piet'), { by: ed.member, how: 'phone' });
			updateProfile(h, 'piet-0001', profile('Piet Jansen'));
		});
		expect(new Set(relay.receive(ed1.doc, ed).map((r) => r.rule))).toEqual(new Set(['members.managed-by', 'depends-on-refused']));
		expect(readMembers(relay.doc).items.map((m) => m.id)).not.toContain('piet-0001');
	});
});

describe('members rules: hostile changes a stock client could send', () => {
	it('refuses emptying the list, deleting or replacing a profile', () => {
		const doc = list();
		expect(hostile(doc, fatima, (d) => delete (d as unknown as Record<string, unknown>).members)).toEqual(['members.no-delete']);
		expect(hostile(doc, ann, (d) => Object.keys(d.members).forEach((k) => delete d.members[k]))).toEqual(['members.no-delete']);
		expect(hostile(doc, ann, (d) => (d.members = {}))).toEqual(['members.no-replace']);
		expect(hostile(doc, ann, (d) => delete d.members[ann.member])).toEqual(['members.no-delete']);
		expect(hostile(doc, bert, (d) => (d.members[ann.member] = newMember(ann.member, profile('Nep'), new Date().toISOString())))).toEqual(['members.no-replace']);
		expect(hostile(doc, ann, (d) => ((d as unknown as Record<string, unknown>).extra = 'x'))).toEqual(['members.shape']);
		expect(hostile(doc, ann, (d) => ((d.members[ann.member] as unknown as Record<string, unknown>).extra = 'x'))).toEqual(['members.shape']);
		expect(hostile(doc, ann, (d) => (d.members[ann.member]!.id = imm(bert.member)))).toEqual(['members.shape']);
	});

	it('refuses making oneself the intermediary of an existing profile, unless a manager hands a resident over', () => {
		const doc = list();
		expect(hostile(doc, bert, (d) => (d.members[ann.member]!.managedBy = imm(bert.member)))).toEqual(['members.managed-by']);
		expect(hostile(doc, vera, (d) => (d.members[ann.member]!.managedBy = imm(vera.member)))).toEqual(['members.managed-by']);
		expect(hostile(doc, vera, (d) => delete d.members['henk-0001']!.managedBy)).toEqual(['members.managed-by']);
		expect(hostile(doc, ann, (d) => (d.members[ann.member]!.managedBy = imm(ann.member)))).toEqual(['members.managed-by']);
		expect(hostile(doc, ann, (d) => (d.members['henk-0001']!.managedBy = imm(ann.member)))).toEqual(['members.managed-by']);
		expect(hostile(doc, fatima, (d) => (d.members['henk-0001']!.managedBy = imm(ann.member)))).toEqual([]);
		expect(hostile(doc, vera, (d) => (d.members['henk-0001']!.consent!.by = imm(fatima.member)))).toEqual(['members.consent']);
		expect(hostile(doc, ann, (d) => join({ change: (fn: (d: MembersDoc) => void) => fn(d) } as unknown as DocHandle<MembersDoc>, ann.member, profile('x')))).toEqual([]);
		expect(
			hostile(doc, bert, (d) => {
				d.members['ghost-001'] = { ...newMember('ghost-001', profile('Spook'), new Date().toISOString()) };
			})
		).toEqual(['members.profile-owner']);
	});
});
