// The device's texts start coming as the app starts, beside the first page's code, not after it:
// on a slow network that is one round trip less before the first paint (bench/first-load.ts). The
// root layout's load waits for them and reports a failure; here it is only a head start.
import type { ClientInit } from '@sveltejs/kit';
import { locale } from '$lib/i18n/language.svelte.ts';

export const init: ClientInit = () => {
	locale.ready().catch(() => undefined);
};
