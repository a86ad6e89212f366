// The other relays a neighbourhood lists, for the access API when a device's own relay is down:
// the same credential opens the same door at each of them (access records are replicated between
// a neighbourhood's relays). The open connection keeps this current as the root's list changes.
import { relayAddress } from '../automerge/relay-address.ts';

const alternatives = new Map<string, string[]>();
const address = (relay: string) => relayAddress(relay) ?? relay;

export function setAlternatives(relay: string, others: readonly string[]): void {
	alternatives.set(address(relay), others.map(address).filter((r) => r !== address(relay)));
}

/** Where else to ask when `relay` cannot be reached, in the neighbourhood's order. */
export const alternativesTo = (relay: string): string[] => alternatives.get(address(relay)) ?? [];
