import { locale } from '$lib/i18n/language.svelte.ts';

// Automerge runs only in the browser: the IndexedDB adapter opens its database when constructed.
export const ssr = false;
export const prerender = false;

/**
 * The device's texts, before the first page shows: one language's, fetched once. Without them
 * (a first visit whose network dropped) the layout says so plainly instead of a bare error.
 */
export async function load(): Promise<{ texts: boolean }> {
	try {
		await locale.ready();
		return { texts: true };
	} catch {
		return { texts: false };
	}
}
