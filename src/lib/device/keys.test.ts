import { describe, expect, it } from 'vitest';
import { currentKey, newKeyPair, startRing } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealing.ts';
import { sealRingToDevice } from '../crypto/ring-transfer.ts';
import { keyringStep, ringForDevice } from './keys.ts';

const member = 'bert-0001';

describe("a device's key ring", () => {
	it('starts a ring, or one numbered after a key another device published', async () => {
		expect(currentKey(await ringForDevice(member, undefined, undefined)).n).toBe(1);
		expect(currentKey(await ringForDevice(member, undefined, { n: 3, pub: 'x'.repeat(43) })).n).toBe(4);
	});

	it("takes in the ring another of the member's devices sealed to it, and reads what was sealed before", async () => {
		const phoneRing = await startRing(member);
		const tablet = await newKeyPair(1);
		const old = await seal('Tot zaterdag!', [{ member, ...currentKey(phoneRing) }], 'c');
		const step = await keyringStep(member, undefined, { n: 1, pub: currentKey(phoneRing).pub }, tablet, {
			ring: { ring: await sealRingToDevice(phoneRing, tablet.pub), n: 1 },
			devices: [],
			rotate: false
		});
		expect(step.ring).toEqual(phoneRing);
		expect(step.rotated).toBe(false);
		expect(await open(old, [step.ring], 'c')).toBe('Tot zaterdag!');
	});

	it('after a device was removed, makes the new key and seals the ring to the other devices only', async () => {
		const ring = await startRing(member);
		const [phone, tablet] = await Promise.all([newKeyPair(1), newKeyPair(1)]);
		// The removed device kept its copy of the ring as it was.
		const removedCopy = structuredClone(ring);
		const step = await keyringStep(member, ring, { n: 1, pub: currentKey(ring).pub }, phone, {
			devices: [{ id: 'tablet-0001', boxKey: tablet.pub, n: 1 }],
			rotate: true
		});
		expect(step.rotated).toBe(true);
		expect(currentKey(step.ring).n).toBe(2);
		expect(Object.keys(step.rings)).toEqual(['tablet-0001']);
		const later = await seal('Na het weghalen', [{ member, ...currentKey(step.ring) }], 'c');
		expect(await open(later, [removedCopy], 'c')).toBeUndefined();
		const onTablet = await keyringStep(member, ring, undefined, tablet, { ring: step.rings['tablet-0001'], devices: [], rotate: false });
		expect(await open(later, [onTablet.ring], 'c')).toBe('Na het weghalen');
	});

	it('sends nothing when every other device has the newest key', async () => {
		const ring = await startRing(member);
		const phone = await newKeyPair(1);
		const tablet = await newKeyPair(1);
		const step = await keyringStep(member, ring, undefined, phone, { devices: [{ id: 'tablet-0001', boxKey: tablet.pub, n: 1 }], rotate: false });
		expect(step.rings).toEqual({});
		const fresh = await keyringStep(member, ring, undefined, phone, { devices: [{ id: 'tablet-0001', boxKey: tablet.pub }], rotate: false });
		expect(Object.keys(fresh.rings)).toEqual(['tablet-0001']);
	});
});
