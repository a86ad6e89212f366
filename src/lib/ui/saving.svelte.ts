// A form's saving: under way (a second tap does not save twice) or failed (the form says so with
// "Het opslaan lukte niet", keeps what was typed, and its button works again). A document that
// cannot be opened on this device, a seal or the relay that fails: the resident is told the same.

export class Saving {
	busy = $state(false);
	failed = $state(false);

	/**
	 * Runs `save`, once at a time; what it returns (the new post's id, or `true`), or undefined when
	 * it threw or was under way already. After a save that worked `busy` stays: the page moves on.
	 */
	async run<T extends NonNullable<unknown>>(save: () => Promise<T>): Promise<T | undefined> {
		if (this.busy) return undefined;
		this.busy = true;
		this.failed = false;
		try {
			return await save();
		} catch {
			this.failed = true;
			this.busy = false;
			return undefined;
		}
	}
}
