import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import type { Actor, HelpDoc } from './document.ts';
import { accept, blankPost, createPost, markDone, renew, respond, withdrawPost, type HelpHandle } from './mutations.ts';
import { newPeriodDoc } from './periods.ts';
import { effectiveStatus } from './status.ts';
import { readPosts } from './view.ts';

const anna: Actor = { memberId: 'anna-000001' };
const bert: Actor = { memberId: 'bert-000001' };
const request = { ...blankPost(), category: 'klussen', title: 'Lamp ophangen' };

/** A device as a plain Automerge document with a fixed actor, so the merge winner is reproducible. */
function device(doc: A.Doc<HelpDoc>, actor: string) {
	let current = A.clone(doc, { actor });
	const handle: HelpHandle = { change: (fn) => void (current = A.change(current, fn)) };
	return { handle, doc: () => current };
}

function start() {
	const base = device(A.from({ ...newPeriodDoc('2026Q4') }), '00');
	const id = createPost(base.handle, request, anna, new Date('2026-11-01T10:00:00Z'));
	const response = respond(base.handle, id, 'Ik kom', bert, new Date('2026-11-01T11:00:00Z'))!;
	return { doc: base.doc(), id, response };
}

const read = (doc: A.Doc<HelpDoc>) => readPosts([{ url: 'automerge:x', doc }]).items[0];

describe('status after two devices change it offline', () => {
	// Each pair is tried with both actor orders: Automerge picks a different raw winner in one of them.
	const orders = [
		['aa', 'ff'],
		['ff', 'aa']
	];

	it('done on one device and a helper accepted on the other: the post is done, the helper kept', () => {
		const raw = new Set<string>();
		for (const [first, second] of orders) {
			const { doc, id, response } = start();
			const phone = device(doc, first);
			const tablet = device(doc, second);
			markDone(phone.handle, id, anna, new Date('2026-11-02T10:00:00Z'));
			accept(tablet.handle, id, response, anna, new Date('2026-11-02T10:05:00Z'));
			const merged = A.merge(phone.doc(), tablet.doc());
			raw.add(String(merged.posts[id].status));
			const post = read(merged);
			expect(post.status).toBe('done');
			expect(post.helpers).toEqual(['bert-000001']);
		}
		expect(raw).toContain('agreed'); // the case the rule exists for did occur
	});

	it('withdrawn on one device and a helper accepted on the other: the post is withdrawn', () => {
		const raw = new Set<string>();
		for (const [first, second] of orders) {
			const { doc, id, response } = start();
			const phone = device(doc, first);
			const tablet = device(doc, second);
			withdrawPost(phone.handle, id, anna, new Date('2026-11-02T10:00:00Z'));
			accept(tablet.handle, id, response, anna, new Date('2026-11-02T10:05:00Z'));
			const merged = A.merge(phone.doc(), tablet.doc());
			raw.add(String(merged.posts[id].status));
			expect(read(merged).status).toBe('withdrawn');
		}
		expect(raw).toContain('agreed');
	});

	it('a withdrawn post renewed later is open again', () => {
		const { doc, id } = start();
		const phone = device(doc, 'aa');
		withdrawPost(phone.handle, id, anna, new Date('2026-11-02T10:00:00Z'));
		renew(phone.handle, id, anna, new Date('2026-11-09T10:00:00Z'));
		expect(read(phone.doc()).status).toBe('open');
	});
});

describe('two devices with the same changes', () => {
	it('list a post, its responses and its history alike, also for what happened in the same moment', () => {
		const { doc, id } = start();
		const phone = device(doc, 'aa');
		const tablet = device(doc, 'ff');
		const moment = new Date('2026-11-02T10:00:00Z');
		// Offline on both: the same millisecond on each, and each device hears the other's last.
		markDone(phone.handle, id, anna, moment);
		respond(phone.handle, id, 'Ik kan ook', { memberId: 'cor-0000001' }, moment);
		withdrawPost(tablet.handle, id, anna, moment);
		respond(tablet.handle, id, 'Ik ook', { memberId: 'dirk-000001' }, moment);
		createPost(phone.handle, { ...request, title: 'Tuin' }, anna, moment);
		createPost(tablet.handle, { ...request, title: 'Gras' }, bert, moment);
		const onPhone = A.merge(phone.doc(), tablet.doc());
		const onTablet = A.merge(tablet.doc(), phone.doc());
		expect(A.getHeads(onPhone).sort()).toEqual(A.getHeads(onTablet).sort());
		const phoneRead = readPosts([{ url: 'automerge:x', doc: onPhone }]).items;
		const sameMoment = phoneRead.find((p) => p.id === id)!.history.filter((h) => h.at === moment.toISOString());
		expect(sameMoment).toHaveLength(4);
		// What one device did in one moment stays in the order it did it.
		const order = sameMoment.map((h) => `${h.action} ${h.by}`);
		expect([...order].sort()).toEqual(['done anna-000001', 'responded cor-0000001', 'responded dirk-000001', 'withdrawn anna-000001']);
		expect(order.indexOf('done anna-000001')).toBeLessThan(order.indexOf('responded cor-0000001'));
		expect(order.indexOf('withdrawn anna-000001')).toBeLessThan(order.indexOf('responded dirk-000001'));
		expect(readPosts([{ url: 'automerge:x', doc: onTablet }]).items).toEqual(phoneRead);
	});
});

describe('effectiveStatus', () => {
	const base = { renewedAt: '2026-11-01T10:00:00.000Z' };
	it('keeps a status nothing contradicts', () => {
		expect(effectiveStatus({ ...base, status: 'open' })).toBe('open');
		expect(effectiveStatus({ ...base, status: 'agreed', agreedAt: '2026-11-02T10:00:00.000Z' })).toBe('agreed');
		expect(effectiveStatus({ ...base, status: 'withdrawn', doneAt: '2026-11-02T10:00:00.000Z' })).toBe('withdrawn');
	});
	it('lets the written-once timestamps decide a merged conflict', () => {
		expect(effectiveStatus({ ...base, status: 'agreed', doneAt: '2026-11-02T10:00:00.000Z' })).toBe('done');
		expect(effectiveStatus({ ...base, status: 'open', agreedAt: '2026-11-02T10:00:00.000Z' })).toBe('agreed');
		expect(effectiveStatus({ ...base, status: 'open', withdrawnAt: '2026-11-02T10:00:00.000Z' })).toBe('withdrawn');
		expect(effectiveStatus({ renewedAt: '2026-11-03T10:00:00.000Z', status: 'open', withdrawnAt: '2026-11-02T10:00:00.000Z' })).toBe('open');
	});
});
