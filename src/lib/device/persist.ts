// Keeping this device's copy of the neighbourhood. Browsers may clear a site's storage when space
// runs low unless the site asked to keep it; for a resident that would mean a device that forgot
// its neighbourhood. So after joining or linking, the app asks once, and when the browser says no
// the home screen tells the resident calmly what that means, until they close the note or the
// browser keeps the storage after all (for instance once the app is on the home screen).

/** The part of `navigator.storage` this needs; older browsers have neither function. */
export interface StorageKeeper {
	persisted?: () => Promise<boolean>;
	persist?: () => Promise<boolean>;
}

/** The part of `localStorage` this needs. */
export interface NoteStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

/**
 * `kept`: the browser keeps it already (not asked again); `granted`: it said yes now; `refused`:
 * it said no (or failed to answer); `unsupported`: this browser cannot be asked at all.
 */
export type KeepOutcome = 'kept' | 'granted' | 'refused' | 'unsupported';

export const NOTE_KEY = 'noaber.keepData';
type Note = 'refused' | 'dismissed';

/** Asks the browser to keep this site's storage, unless it does already. */
export async function askToKeep(storage: StorageKeeper | undefined): Promise<KeepOutcome> {
	if (!storage?.persist) return 'unsupported';
	try {
		if (storage.persisted && (await storage.persisted())) return 'kept';
		return (await storage.persist()) ? 'granted' : 'refused';
	} catch {
		// A browser that cannot answer keeps nothing either: the advice is the same.
		return 'refused';
	}
}

/** Asks (after joining or linking, or from the note), and remembers a refusal for the home screen. */
export async function askAndRemember(storage: StorageKeeper | undefined, notes: NoteStore): Promise<KeepOutcome> {
	const outcome = await askToKeep(storage);
	if (outcome === 'refused') notes.setItem(NOTE_KEY, 'refused' satisfies Note);
	else if (outcome !== 'unsupported') notes.removeItem(NOTE_KEY);
	return outcome;
}

/**
 * Whether the home screen shows the note: only after a refusal the resident has not closed, and
 * not once the browser keeps the storage after all (`keptNow`, when it could be read).
 */
export function showNote(notes: NoteStore, keptNow: boolean | undefined): boolean {
	if (notes.getItem(NOTE_KEY) !== 'refused') return false;
	if (keptNow) {
		notes.removeItem(NOTE_KEY);
		return false;
	}
	return true;
}

/** The resident closed the note: it stays closed until a later join is refused again. */
export function dismissNote(notes: NoteStore): void {
	notes.setItem(NOTE_KEY, 'dismissed' satisfies Note);
}

/** Sent on the window when the note may have changed, so a home screen already open shows it. */
export const NOTE_EVENT = 'noaber:keep-data';

/**
 * In the browser, after joining or linking: asks without holding up the way home (a browser that
 * asks the resident first would otherwise keep them waiting), then tells the home screen.
 */
export function keepThisDevice(): void {
	if (typeof navigator === 'undefined') return;
	void askAndRemember(navigator.storage, localStorage).then(() => window.dispatchEvent(new Event(NOTE_EVENT)));
}
