import { locale } from '$lib/i18n/language.svelte.ts';

// Automerge runs only in the browser: the IndexedDB adapter opens its database when constructed.
export const ssr = false;
export const prerender = false;

/** The device's texts, before the first page shows: one language's, fetched once. */
export async function load(): Promise<void> {
	await locale.ready();
}
