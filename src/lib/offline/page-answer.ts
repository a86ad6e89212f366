// How the service worker answers a page load on a weak network: the network's answer when it comes
// within a few seconds, so a new version shows when online; otherwise the page this device already
// has, so nobody stares at a white screen on a patchy mobile signal. A device without a copy yet
// (the very first visit) waits for the network as long as it takes.

export const PAGE_WAIT_MS = 3000;

export async function pageAnswer(network: Promise<Response>, cached: () => Promise<Response | undefined>, waitMs = PAGE_WAIT_MS): Promise<Response> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), waitMs)));
	const answered = network.then(
		(response) => ({ response }),
		() => ({ response: undefined })
	);
	try {
		const first = await Promise.race([answered, slow]);
		if (first !== 'slow' && first.response) return first.response;
		const copy = await cached();
		if (copy) return copy;
		// No copy to fall back on: only the network can answer, however long it takes.
		const late = await answered;
		return late.response ?? Response.error();
	} finally {
		clearTimeout(timer);
	}
}
