// The web address that links for others start with (invitations, the public page's QR code): the
// device's relay, so they still open after the neighbourhood moved away from the relay that served
// this page (neighbourhood/relay-list.ts).
import { dev } from '$app/environment';
import { linkOrigin } from '../neighbourhood/relay-list.ts';

export const linkOriginFor = (relay: string, stayWith: readonly string[] = []): string => linkOrigin(location.origin, relay, dev, stayWith);
