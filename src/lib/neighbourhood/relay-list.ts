// The relays a neighbourhood syncs through, as the root lists them (first = its home), and what
// a device makes of that list: which relays to keep a connection to, and when to follow the
// neighbourhood to its new home. Pure functions, so every device decides the same way.
import { relayAddress } from '../automerge/relay-address.ts';
import { relayHttpOrigin } from './invite.ts';

/**
 * The root's list, read: valid websocket addresses in the managers' order, each once. Two managers
 * moving house at the same moment can leave an address twice in the list; it counts once, where it
 * first stands.
 */
export function listedRelays(relays: readonly string[]): string[] {
	const seen = new Set<string>();
	for (const relay of relays) {
		const address = relayAddress(relay);
		if (address) seen.add(address);
	}
	return [...seen];
}

/** The neighbourhood's home: where new devices are invited and the public page lives. */
export const homeRelay = (relays: readonly string[]): string | undefined => listedRelays(relays)[0];

/** Whether two spellings name the same relay. */
export const sameRelay = (a: string, b: string): boolean => (relayAddress(a) ?? a) === (relayAddress(b) ?? b);

/** Every relay this device keeps a connection to: its own first, then the rest of the list. */
export function relaysToReach(own: string, listed: readonly string[]): string[] {
	const ownAddress = relayAddress(own) ?? own;
	return [ownAddress, ...listedRelays(listed).filter((r) => r !== ownAddress)];
}

/**
 * Moving house: the device's own relay is no longer listed (a manager retired it), so it follows
 * the neighbourhood to its home. Only to a home this device has reached: a list that names an
 * address this device cannot reach (an operator's old address, say) must never cut it off from
 * the relay it does reach. An empty list (older neighbourhoods) moves nobody.
 */
export function relayToFollow(own: string, listed: readonly string[], reached: (relay: string) => boolean): string | undefined {
	const list = listedRelays(listed);
	const home = list[0];
	if (!home || list.some((r) => sameRelay(r, own))) return undefined;
	return reached(home) ? home : undefined;
}

/** A relay's host name, as a manager recognises it ("bibliotheek.example.nl"). */
export function relayHost(relay: string): string {
	try {
		return new URL(relay).host;
	} catch {
		return relay;
	}
}

/**
 * Where links for others (invitations, the public page's QR code) point: the web address of the
 * device's relay, which serves the app too, so a link still opens after the neighbourhood moved
 * away from the relay that served this page. A development server (`dev`) serves the app itself.
 *
 * A personal invitation passes `stayWith`, the relays the neighbourhood lists: while this page's
 * own server is among them it keeps this address. Browsers keep a device's data per address, so a
 * member whose device follows a re-seeded neighbourhood (relay gone, not yet retired) opens the link
 * where its own copy is.
 */
export function linkOrigin(pageOrigin: string, relay: string, dev: boolean, stayWith: readonly string[] = []): string {
	if (dev) return pageOrigin;
	if (stayWith.some((listed) => originOf(listed) === pageOrigin)) return pageOrigin;
	return originOf(relay) ?? pageOrigin;
}

function originOf(relay: string): string | undefined {
	try {
		return relayHttpOrigin(relay);
	} catch {
		return undefined;
	}
}

/** What a manager may do with a listed relay: never retire the last one, nor move to the home it is. */
export function relayActions(relay: string, listed: readonly string[]): { moveHome: boolean; retire: boolean } {
	const list = listedRelays(listed);
	const at = list.findIndex((r) => sameRelay(r, relay));
	return { moveHome: at > 0, retire: at >= 0 && list.length > 1 };
}
