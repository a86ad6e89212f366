import { describe, expect, it } from 'vitest';
import { keepSoon, type Visibility } from './keep-soon.ts';

/** A page whose visibility the test sets, and an idle moment the test lets come. */
function pageAndIdle() {
	const events = new EventTarget();
	let state: DocumentVisibilityState = 'visible';
	const page = {
		get visibilityState() {
			return state;
		},
		addEventListener: events.addEventListener.bind(events),
		removeEventListener: events.removeEventListener.bind(events)
	} as Visibility;
	const idles: Array<() => void> = [];
	const idle = () => new Promise<void>((resolve) => idles.push(resolve));
	const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
	return {
		page,
		idle,
		async becomeIdle() {
			for (const resolve of idles.splice(0)) resolve();
			await settle();
		},
		show(next: DocumentVisibilityState) {
			state = next;
			events.dispatchEvent(new Event('visibilitychange'));
		}
	};
}

describe('keeping what a page shows', () => {
	it('keeps once the page is idle, and once only', async () => {
		const { page, idle, becomeIdle, show } = pageAndIdle();
		let kept = 0;
		keepSoon(() => kept++, idle, page);
		expect(kept).toBe(0);
		await becomeIdle();
		expect(kept).toBe(1);
		show('hidden');
		expect(kept).toBe(1);
	});

	it('keeps at once when the resident leaves the page before it was idle, and not again after', async () => {
		const { page, idle, becomeIdle, show } = pageAndIdle();
		let kept = 0;
		keepSoon(() => kept++, idle, page);
		show('visible');
		expect(kept).toBe(0);
		show('hidden');
		expect(kept).toBe(1);
		await becomeIdle();
		expect(kept).toBe(1);
	});

	it('keeps nothing once cancelled: the page shows something else by then', async () => {
		const { page, idle, becomeIdle, show } = pageAndIdle();
		let kept = 0;
		const cancel = keepSoon(() => kept++, idle, page);
		cancel();
		show('hidden');
		await becomeIdle();
		expect(kept).toBe(0);
	});
});
