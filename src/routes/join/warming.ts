// What joining needs ready by the time the resident has read the invitation and typed a name:
// Automerge compiled, the agenda's clock and the date formats made, a sample root and agenda read
// once, the repository's own code run once, the code of the home screen and the modules' pages
// loaded, and the cipher suite run once (and the code that seals contacts with it loaded), so
// that joining opens at once and the first documents do not stall the first taps at home. The page
// loads this after the invitation first shows: a resident who opens the link on a slow line reads
// it first, while this comes.
import { ZONE } from '$lib/agenda/document.ts';
import { prepareZone } from '$lib/agenda/time.ts';
import { automergeReady } from '$lib/automerge/wasm.ts';
import { warmUp } from '$lib/automerge/warm-up.ts';
import { warmRepository } from '$lib/automerge/warm-repo.ts';
import { warmReading } from '$lib/neighbourhood/warm-reading.ts';
import { MODULE_PAGES, preloadPages } from '$lib/ui/preloaded-pages.ts';
import { preloadCode } from '$app/navigation';
import { newKeyPair } from '$lib/crypto/keys.ts';
import { whenIdle } from '$lib/device/idle.ts';

export async function warmForJoining(signal: AbortSignal): Promise<void> {
	const reading = warmReading();
	await automergeReady();
	await warmUp([() => prepareZone(ZONE), reading.dates, reading.root, reading.agenda], undefined, signal);
	await warmRepository(undefined, signal);
	// The home screen joining opens, and the pages a resident opens from it: at home these would
	// load while the neighbourhood's documents come in. Also when a step above failed; not once
	// "Klaar" is pressed.
	await preloadPages(['/', ...MODULE_PAGES], preloadCode, undefined, signal);
	// After joining, this device makes its key ring (device/keys.ts): on the cheap phone, loading
	// and first running the cipher suite was a task of 40 to 50 ms while the neighbourhood's
	// documents came in (bench/member-device.ts --frames). The key made here is not kept.
	await whenIdle();
	if (!signal.aborted) await newKeyPair(1).catch(() => undefined);
	// The layout loads what keeps a member's contact sealed once the members are in: loading it
	// then (its code and links to what it needs) was 5 to 10 ms of the task that took them in.
	await whenIdle();
	if (!signal.aborted) await import('$lib/ui/ContactKeeper.svelte').catch(() => undefined);
}
