import { describe, expect, it } from 'vitest';
import { currentKey, mergeRings, parsePublicKey, publicKeyText, rotate, startRing } from './keys.ts';
import { readersOf, type Reader } from './sealed.ts';
import { open, seal } from './sealing.ts';
import { openRingForDevice, openRingWithSecret, sealRingToDevice, sealRingWithSecret } from './ring-transfer.ts';
import { newKeyPair } from './keys.ts';
import type { KeyRing } from './keys.ts';

const reader = (ring: KeyRing): Reader => ({ member: ring.member, ...currentKey(ring) });

describe('sealing to readers', () => {
	it('opens for each reader and for nobody else', async () => {
		const [anna, bram, cor] = await Promise.all([startRing('anna-0001'), startRing('bram-0001'), startRing('cor-00001')]);
		const sealed = await seal('Ik kom dinsdag om 10 uur.', [reader(anna), reader(bram)], 'help:post1:resp1');
		expect(sealed).not.toContain('dinsdag');
		expect(readersOf(sealed)).toEqual(['anna-0001', 'bram-0001']);
		expect(await open(sealed, [anna], 'help:post1:resp1')).toBe('Ik kom dinsdag om 10 uur.');
		expect(await open(sealed, [bram], 'help:post1:resp1')).toBe('Ik kom dinsdag om 10 uur.');
		expect(await open(sealed, [cor], 'help:post1:resp1')).toBeUndefined();
	});

	it('does not open in another place, or when tampered with', async () => {
		const anna = await startRing('anna-0001');
		const sealed = await seal('geheim', [reader(anna)], 'help:post1:resp1');
		expect(await open(sealed, [anna], 'help:post2:resp1')).toBeUndefined();
		const parsed = JSON.parse(sealed) as { c: string };
		const flipped = parsed.c.startsWith('A') ? `B${parsed.c.slice(1)}` : `A${parsed.c.slice(1)}`;
		expect(await open(JSON.stringify({ ...parsed, c: flipped }), [anna], 'help:post1:resp1')).toBeUndefined();
		for (const junk of ['', 'null', '{"v":1}', '[]', 'x'.repeat(30_000)]) expect(await open(junk, [anna], 'help:post1:resp1')).toBeUndefined();
	});

	it('after a new key, an old copy of the ring cannot open what is sealed to the new one', async () => {
		const before = await startRing('anna-0001');
		const after = await rotate(before);
		expect(currentKey(after).n).toBe(2);
		const old = await seal('oud', [reader(before)], 'c');
		const fresh = await seal('nieuw', [reader(after)], 'c');
		expect(await open(old, [after], 'c')).toBe('oud');
		expect(await open(fresh, [after], 'c')).toBe('nieuw');
		expect(await open(fresh, [before], 'c')).toBeUndefined();
	});

	it('reads and writes published keys', async () => {
		const ring = await startRing('anna-0001');
		const text = publicKeyText(currentKey(ring));
		expect(parsePublicKey(text)).toEqual({ n: 1, pub: currentKey(ring).pub });
		for (const bad of ['', '0.' + currentKey(ring).pub, '1.short', `1.${currentKey(ring).pub}x`]) expect(parsePublicKey(bad)).toBeUndefined();
	});
});

describe('moving a ring between devices', () => {
	it('through a link secret, which only the new device learns', async () => {
		const ring = await rotate(await startRing('anna-0001'));
		const { secret, box } = await sealRingWithSecret(ring);
		expect(box).not.toContain(ring.keys[0]!.priv);
		expect(await openRingWithSecret(box, secret)).toEqual(ring);
		const other = await sealRingWithSecret(ring);
		expect(await openRingWithSecret(box, other.secret)).toBeUndefined();
	});

	it("to a device's own key, and to no other device", async () => {
		const ring = await startRing('anna-0001');
		const [tablet, stranger] = await Promise.all([newKeyPair(1), newKeyPair(1)]);
		const box = await sealRingToDevice(ring, tablet.pub);
		expect(await openRingForDevice(box, tablet)).toEqual(ring);
		expect(await openRingForDevice(box, stranger)).toBeUndefined();
	});

	it('joins two copies of a ring', async () => {
		const one = await startRing('anna-0001');
		const two = await rotate(one);
		expect(mergeRings(one, two).keys.map((k) => k.n)).toEqual([1, 2]);
		expect(mergeRings(two, one)).toEqual(mergeRings(one, two));
	});
});
