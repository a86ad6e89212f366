// Values as the HSDS schemas' formats take them (date, email, uri), since a value that fails its
// format makes the whole record invalid for other maps.
import { wallAt } from '../../agenda/time.ts';

const ZONE = 'Europe/Amsterdam';

/** The day a moment falls on in the Netherlands, where the map's dates are shown. */
export const amsterdamDay = (iso: string) => wallAt(new Date(iso), ZONE).slice(0, 10);

/**
 * Leaves out empty e-mail addresses and URLs, which HSDS checks and an empty one is not. (So an
 * import cannot clear them on an existing entry: a missing field keeps what the map has.)
 */
export function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
	return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/**
 * A website as HSDS's `uri` format takes it: a web address, with what a URI may not hold (an accent,
 * a space, a quote a peer put in) percent-encoded as a browser would; anything else is left out.
 */
export function webAddress(value: string): string {
	if (/^https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/i.test(value)) return value;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
	} catch {
		return '';
	}
}
