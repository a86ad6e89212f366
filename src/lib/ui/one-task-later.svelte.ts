// What a page can draw a task after the rest: drawn in the task that brings the neighbourhood's
// documents, the help board's filter form (and the layout's contact keeper, with the download it
// starts) made that one task of 120 to 240 ms on a cheap phone (bench/help-phone.ts --frames); in
// two, a tap waits for the shorter one.

/** Ready one task after `when()` first holds; made while a component starts, it stops with it. */
export class OneTaskLater {
	ready = $state(false);

	constructor(when: () => boolean) {
		$effect(() => {
			if (this.ready || !when()) return;
			const timer = setTimeout(() => (this.ready = true), 0);
			return () => clearTimeout(timer);
		});
	}
}
