// How this device shows Noaber: larger text and stronger contrast, chosen per device (a tablet
// in the community centre may differ from a resident's own phone). Applied as attributes on
// <html>, which the style sheet reads.
import { browser } from '$app/environment';

const KEY = 'noaber.display';

class Display {
	large = $state(false);
	contrast = $state(false);

	constructor() {
		if (!browser) return;
		try {
			const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { large?: unknown; contrast?: unknown };
			this.large = stored.large === true;
			// Until chosen here, a device set to "more contrast" (iOS, Android, Windows) gets it.
			this.contrast = typeof stored.contrast === 'boolean' ? stored.contrast : matchMedia('(prefers-contrast: more)').matches;
		} catch {
			// Unreadable settings: the defaults.
		}
		this.#apply();
	}

	set(change: { large?: boolean; contrast?: boolean }) {
		if (change.large !== undefined) this.large = change.large;
		if (change.contrast !== undefined) this.contrast = change.contrast;
		localStorage.setItem(KEY, JSON.stringify({ large: this.large, contrast: this.contrast }));
		this.#apply();
	}

	#apply() {
		const root = document.documentElement;
		if (this.large) root.dataset.text = 'large';
		else delete root.dataset.text;
		if (this.contrast) root.dataset.contrast = 'high';
		else delete root.dataset.contrast;
	}
}

export const display = new Display();
