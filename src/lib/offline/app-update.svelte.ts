// A new version of Noaber, installed in the background by the service worker, waits for the
// person: the page says so and updates when asked (one reload), never by itself in the middle of
// writing a request. A phone that keeps Noaber open for days looks for a new version when the
// page is shown again, at most once an hour.
import { SKIP_WAITING } from './update-message.ts';

const LOOK_EVERY_MS = 60 * 60 * 1000;

class AppUpdate {
	/** The new version, installed and waiting; undefined when there is none or the person said "Later". */
	waiting = $state<ServiceWorker | undefined>();
	#asked = false;
	#lookedAt = Date.now();

	watch(): void {
		if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
		const container = navigator.serviceWorker;
		// The page reloads only after the person asked: the first version taking over is no reason.
		container.addEventListener('controllerchange', () => {
			if (this.#asked) location.reload();
		});
		void container.ready.then((registration) => {
			const found = () => {
				// Without a controller this page is the first visit: what installs is the first version.
				if (registration.waiting && container.controller) this.waiting = registration.waiting;
			};
			found();
			registration.addEventListener('updatefound', () => {
				const installing = registration.installing;
				installing?.addEventListener('statechange', () => installing.state === 'installed' && found());
			});
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState !== 'visible' || Date.now() - this.#lookedAt < LOOK_EVERY_MS) return;
				this.#lookedAt = Date.now();
				registration.update().catch(() => undefined);
			});
		});
	}

	apply(): void {
		if (!this.waiting) return;
		this.#asked = true;
		this.waiting.postMessage(SKIP_WAITING);
	}

	later(): void {
		this.waiting = undefined;
	}
}

export const appUpdate = new AppUpdate();
