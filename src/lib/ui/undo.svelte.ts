// The one "Ongedaan maken" on offer after a destructive action. It stays until the person
// undoes it, closes it or goes to another page: no timer, because someone who reads slowly or
// looks up from the screen must still find it.
export interface UndoOffer {
	/** What just happened, in the device's language ("U heeft uw vraag ingetrokken."). */
	text: string;
	/** The page it belongs to (path and query: another date of an activity is another page). */
	path: string;
	run: () => void | Promise<void>;
}

class Undo {
	current = $state<UndoOffer>();
	/** Said once the undo is done, until the next page. */
	undone = $state<{ path: string }>();

	offer(text: string, run: UndoOffer['run'], path = location.pathname + location.search): void {
		this.undone = undefined;
		this.current = { text, run, path };
	}

	async take(): Promise<void> {
		const offer = this.current;
		if (!offer) return;
		this.current = undefined;
		await offer.run();
		this.undone = { path: offer.path };
	}

	dismiss(): void {
		this.current = undefined;
		this.undone = undefined;
	}

	/** Called on every navigation: what belongs to another page is no longer on offer. */
	arrived(path: string): void {
		if (this.current && this.current.path !== path) this.current = undefined;
		if (this.undone && this.undone.path !== path) this.undone = undefined;
	}
}

export const undo = new Undo();
