// How a relay's websocket address is spelled, whoever wrote it (a root's relay list is peer data).
/** A websocket address in one spelling, or undefined when it is none (a peer may write anything). */
export function relayAddress(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
	if (url.username || url.password || url.search || url.hash) return undefined;
	return url.toString();
}
