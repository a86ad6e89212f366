import { describe, expect, it } from 'vitest';
import { Saving } from './saving.svelte.ts';

describe("a form's saving", () => {
	it('saves once at a time, stays busy after it worked, and says when it failed so the button works again', async () => {
		const saving = new Saving();
		let release = () => {};
		const first = saving.run(() => new Promise<string>((resolve) => (release = () => resolve('post-1'))));
		expect(saving.busy).toBe(true);
		// A second tap while the first is being saved does not save twice.
		expect(await saving.run(async () => 'post-2')).toBeUndefined();
		release();
		expect(await first).toBe('post-1');
		expect([saving.busy, saving.failed]).toEqual([true, false]);

		const again = new Saving();
		expect(
			await again.run(async () => {
				throw new Error('the year could not be opened');
			})
		).toBeUndefined();
		expect([again.busy, again.failed]).toEqual([false, true]);
		expect(await again.run(async () => 'post-3')).toBe('post-3');
		expect(again.failed).toBe(false);
	});
});
