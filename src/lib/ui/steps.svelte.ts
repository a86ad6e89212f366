// A long list drawn a screenful at once and the rest in short steps after it, each its own task:
// drawn at once, a busy week of the agenda or a page of the help board was one task of 50 to 100 ms
// on a cheap phone (bench/member-device.ts and bench/help-phone.ts --frames), in which a tap waits.

/** How many items of a list are drawn now: `first` at once, then `step` more a task until `total`. */
export class DrawnInSteps {
	limit = $state(0);

	/** Made while a component starts: the steps stop with it. */
	constructor(first: number, step: number, total: () => number) {
		this.limit = first;
		$effect(() => {
			if (this.limit >= total()) return;
			const timer = setTimeout(() => (this.limit += step), 0);
			return () => clearTimeout(timer);
		});
	}
}
