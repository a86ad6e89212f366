// Links that come from peers (a service's or organisation's website, anything the app renders as
// an href) may only open a web page, start an e-mail or make a call. A `javascript:` or `data:`
// address written by any member would otherwise run inside the app, with every resident's data.
// Read models pass peer links through here, so components never receive an unsafe href.
const ALLOWED = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/** The link, trimmed, when following it is safe; '' otherwise (nothing to render). */
export function safeHref(value: string): string {
	const text = value.trim();
	let url: URL;
	try {
		// Parsed as a browser parses an href: tabs and newlines inside the scheme do not hide it.
		url = new URL(text);
	} catch {
		return '';
	}
	return ALLOWED.has(url.protocol) ? text : '';
}
