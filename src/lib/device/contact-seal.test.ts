import { describe, expect, it } from 'vitest';
import { currentKey, rotate, startRing, type KeyRing } from '../crypto/keys.ts';
import { readersOf } from '../crypto/sealed.ts';
import { open } from '../crypto/sealing.ts';
import { contactContext } from '../members/contact.ts';
import type { Member } from '../members/schema.ts';
import { consentContext } from '../members/consent.ts';
import { circleOf, keepsToAgreed, openContact, resealed, sealConsent, sealContact, type Circle } from './contact-seal.ts';

const member = (id: string, ring: KeyRing | undefined, extra: Partial<Member> = {}): Member => ({
	id,
	name: id,
	area: '',
	phone: '',
	phoneVisibility: 'nobody',
	areaVisibility: 'members',
	helpWith: [],
	helpNote: '',
	joinedAt: '2026-12-01T10:00:00.000Z',
	updatedAt: '',
	...(ring ? { publicKey: { n: currentKey(ring).n, pub: currentKey(ring).pub } } : {}),
	...extra
});

async function people() {
	const [ann, bert, cor, fatima, vera] = await Promise.all(['ann-00001', 'bert-0001', 'cor-00001', 'fatima-01', 'vera-0001'].map((id) => startRing(id)));
	const members = [member('ann-00001', ann), member('bert-0001', bert), member('cor-00001', cor), member('fatima-01', fatima), member('vera-0001', vera), member('henk-0001', undefined, { managedBy: 'vera-0001' })];
	// Bert helps Ann, and Ann accepted him.
	const posts = [{ author: 'ann-00001', responses: [{ by: 'bert-0001', acceptedAt: '2026-12-01T11:00:00.000Z' }, { by: 'cor-00001' }] }];
	return { rings: { ann, bert, cor, fatima, vera }, members, posts, circle: (ring: KeyRing): Circle => ({ members, managers: ['fatima-01'], posts, ring }) };
}

const profile = { name: 'Ann', area: 'Lindenlaan', phone: '06 1234 5678', helpWith: [], helpNote: '' };

describe('the consent record of a resident without a device', () => {
	it('is sealed to the managers and the intermediary who recorded it, and to no neighbour', async () => {
		const n = await people();
		const sealed = await sealConsent({ at: '2026-12-01T10:00:00.000Z', how: 'phone' }, { id: 'henk-0001', managedBy: 'vera-0001' }, n.circle(n.rings.vera));
		expect(readersOf(sealed!).sort()).toEqual(['fatima-01', 'vera-0001']);
		for (const ring of [n.rings.vera, n.rings.fatima]) expect(await open(sealed!, [ring], consentContext('henk-0001'))).toContain('"how":"phone"');
		expect(await open(sealed!, [n.rings.bert], consentContext('henk-0001'))).toBeUndefined();
	});
});

describe('phone and street sealed to the circle chosen', () => {
	it('seals to whom the owner chose: accepted helpers, the wijkverbinder, or only themself', async () => {
		const n = await people();
		const context = contactContext('ann-00001', 'phone');
		const accepted = await sealContact({ ...profile, phoneVisibility: 'accepted', areaVisibility: 'members' }, { id: 'ann-00001' }, n.circle(n.rings.ann));
		expect(accepted.area).toBeUndefined();
		expect(readersOf(accepted.phone!).sort()).toEqual(['ann-00001', 'bert-0001']);
		expect(await open(accepted.phone!, [n.rings.bert], context)).toBe('06 1234 5678');
		expect(await open(accepted.phone!, [n.rings.cor], context)).toBeUndefined();

		const managers = await sealContact({ ...profile, phoneVisibility: 'managers', areaVisibility: 'nobody' }, { id: 'ann-00001' }, n.circle(n.rings.ann));
		expect(readersOf(managers.phone!).sort()).toEqual(['ann-00001', 'fatima-01']);
		expect(readersOf(managers.area!)).toEqual(['ann-00001']);
		expect(await open(managers.area!, [n.rings.ann], contactContext('ann-00001', 'area'))).toBe('Lindenlaan');
	});

	it("a resident without a device: sealed to their intermediary, who opens it to edit", async () => {
		const n = await people();
		const sealed = await sealContact({ ...profile, phoneVisibility: 'nobody' }, { id: 'henk-0001', managedBy: 'vera-0001' }, n.circle(n.rings.vera));
		expect(readersOf(sealed.phone!)).toEqual(['vera-0001']);
		const henk = member('henk-0001', undefined, { managedBy: 'vera-0001', phoneSealed: sealed.phone });
		expect(await openContact(henk, n.rings.vera)).toEqual({ phone: '06 1234 5678' });
		expect(await openContact(henk, n.rings.bert)).toEqual({});
	});

	it('seals again when the circle changes, and seals an old plain number the first time', async () => {
		const n = await people();
		const first = await sealContact({ ...profile, phoneVisibility: 'accepted' }, { id: 'ann-00001' }, { ...n.circle(n.rings.ann), posts: [] });
		const ann = member('ann-00001', n.rings.ann, { phoneVisibility: 'accepted', phoneSealed: first.phone });
		expect(readersOf(first.phone!)).toEqual(['ann-00001']);
		// Ann accepts Bert: her device seals the number again, now to Bert too.
		const again = await resealed(ann, n.circle(n.rings.ann));
		expect(again.map((r) => r.field)).toEqual(['phone']);
		expect(await open(again[0]!.sealed, [n.rings.bert], contactContext('ann-00001', 'phone'))).toBe('06 1234 5678');
		expect(await resealed({ ...ann, phoneSealed: again[0]!.sealed }, n.circle(n.rings.ann))).toEqual([]);
		// Bert gets a new key: sealed again to that one.
		const bertNew = await rotate(n.rings.bert);
		const members = n.members.map((m) => (m.id === 'bert-0001' ? { ...m, publicKey: { n: 2, pub: currentKey(bertNew).pub } } : m));
		expect((await resealed({ ...ann, phoneSealed: again[0]!.sealed }, { ...n.circle(n.rings.ann), members })).length).toBe(1);
		// A profile from before sealing: plain, though meant for the wijkverbinder only.
		const old = member('ann-00001', n.rings.ann, { phoneVisibility: 'managers', phone: '06 1234 5678' });
		const migrated = await resealed(old, n.circle(n.rings.ann));
		expect(readersOf(migrated[0]!.sealed).sort()).toEqual(['ann-00001', 'fatima-01']);
	});
});

describe('the circle this device keeps a profile sealed to', () => {
	it('reads the board (every year of it) only for someone who keeps a field to those they agreed help with', async () => {
		const n = await people();
		let reads = 0;
		const view = {
			connection: { everyone: { items: n.members } },
			members: n.members,
			neighbourhood: { managers: ['fatima-01'] },
			membership: { ring: n.rings.ann },
			get posts() {
				reads += 1;
				return { items: n.posts, skipped: 0, skippedParts: 0 };
			}
		};
		const [ann, bert] = n.members;
		const toManagers = { ...bert, areaVisibility: 'managers' as const };
		expect(keepsToAgreed([ann, toManagers])).toBe(false);
		expect(circleOf(view as never, keepsToAgreed([ann, toManagers])).posts).toEqual([]);
		expect(reads).toBe(0);

		const agreeing = { ...ann, phoneVisibility: 'accepted' as const, phone: '06 1234 5678' };
		expect(keepsToAgreed([toManagers, agreeing])).toBe(true);
		const circle = circleOf(view as never, true);
		expect(reads).toBe(1);
		// Ann's number then goes to Bert, whom she accepted.
		const [phone] = await resealed(agreeing, circle);
		expect(readersOf(phone!.sealed).sort()).toEqual(['ann-00001', 'bert-0001']);
	});
});
