// A long list drawn a screenful at once and the rest in short steps after it, each its own task:
// drawn at once, a busy week of the agenda or a page of the help board was one task of 50 to 100 ms
// on a cheap phone (bench/member-device.ts and bench/help-phone.ts --frames), in which a tap waits.
// Also one part of a page a task after the rest (first 0, one step): the board's filter form and the
// layout's contact keeper, drawn in the task that opens the neighbourhood, made it one of 120 to
// 240 ms (bench/help-phone.ts --frames).

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
