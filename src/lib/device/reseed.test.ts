import * as A from '@automerge/automerge/slim';
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import type { AdoptAction, AdoptRequest } from '../access/adopt-api.ts';
import type { callAdopt } from '../access/adopt-client.ts';
import { blankProfile } from '../members/blank.ts';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import { addHelpPeriod } from '../neighbourhood/mutations.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import type { Membership } from './memberships.ts';
import { base64Of, reseed } from './reseed.ts';

const CREDENTIAL = 'devicedevice01.AAAAAAAAAAAAAAAAAAAAAAAA';

function copy() {
	const repo = new Repo();
	const created = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), {
		relays: ['wss://oud.example/sync'],
		manager: { id: 'manager-0001', profile: { ...blankProfile(), name: 'Fatima' } }
	});
	const quarter = repo.create<Record<string, unknown>>({ posts: { p1: { title: 'Boodschappen' } } });
	addHelpPeriod(created.root, '2026Q4', quarter.url);
	const membership: Membership = {
		root: created.root.url,
		relay: 'wss://oud.example/sync',
		credential: 'olddevice0001.BBBBBBBBBBBBBBBBBBBBBBBB',
		memberId: 'manager-0001',
		name: 'Lindenbuurt',
		roles: ['manager']
	};
	return { repo, created, quarter, membership };
}

/** A new relay that answers as the real one does, and keeps what it was sent. */
function newRelay(refuse?: string) {
	const sent: Array<{ action: AdoptAction; body: unknown; credential?: string }> = [];
	const call = (async (_relay: string, action: AdoptAction, body: AdoptRequest<AdoptAction>, credential?: string) => {
		sent.push({ action, body, credential });
		if (action === 'adopt') {
			return refuse
				? { ok: false, reason: refuse }
				: { ok: true, value: { memberId: 'manager-0001', deviceId: 'devicedevice01', credential: CREDENTIAL, status: 'active', roles: ['manager'], name: 'Fatima' } };
		}
		return { ok: true, value: { document: (body as { document: string }).document } };
	}) as unknown as typeof callAdopt;
	return { call, sent };
}

describe('re-seeding from this device', () => {
	it('sends the root first and then every document the root lists, whole, and moves the membership', async () => {
		const { repo, created, quarter, membership } = copy();
		const relay = newRelay();
		const outcome = await reseed({ membership, repo, relay: 'wss://nieuw.example/sync', code: 'x', neighbourhoodName: 'Lindenbuurt', memberName: 'Fatima', label: '', call: relay.call });
		expect(outcome).toMatchObject({ ok: true, brought: 4, missing: 0 });
		if (!outcome.ok) return;
		expect(outcome.membership).toMatchObject({ relay: 'wss://nieuw.example/sync', credential: CREDENTIAL, memberId: 'manager-0001', roles: ['manager'] });
		const seeds = relay.sent.filter((s) => s.action === 'seed');
		expect(seeds.every((s) => s.credential === CREDENTIAL)).toBe(true);
		const ids = seeds.map((s) => (s.body as { document: string }).document);
		expect(ids[0]).toBe(created.root.documentId);
		expect(new Set(ids)).toEqual(new Set([created.root, created.members, created.map, quarter].map((h) => h.documentId)));
		const sentQuarter = seeds.find((s) => (s.body as { document: string }).document === quarter.documentId)!.body as { data: string };
		expect(sentQuarter.data).toBe(base64Of(A.save(quarter.doc())));
	});

	it('changes nothing on this device when the new relay refuses the code', async () => {
		const { repo, membership } = copy();
		const relay = newRelay('expired');
		expect(await reseed({ membership, repo, relay: 'wss://nieuw.example/sync', code: 'x', neighbourhoodName: 'L', memberName: 'F', label: '', call: relay.call })).toEqual({ ok: false, reason: 'expired' });
		expect(relay.sent.map((s) => s.action)).toEqual(['adopt']);
	});
});
