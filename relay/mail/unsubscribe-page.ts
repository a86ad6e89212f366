// The digest's unsubscribe link, without logging in: GET shows a calm page with one button (mail
// scanners follow links, so a GET alone changes nothing); POST, from that button or from a mail
// program's one-click (RFC 8058, body "List-Unsubscribe=One-Click"), switches the digest off and
// says "U krijgt geen e-mail meer". The token is in the address: it is never logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { m as Messages } from '../../src/lib/paraglide/messages.js';
import type { Registry } from '../registry.ts';
import type { MailDigests } from './digests.ts';
import { UNSUBSCRIBE_PATH } from './unsubscribe-link.ts';

type Language = 'nl' | 'en';
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, language: Language | 'both', title: string, body: string) {
	res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	res.end(`<!doctype html>
<html lang="${language === 'both' ? 'nl' : language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:Arial,Helvetica,sans-serif;font-size:1.25rem;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}button{font-size:1.25rem;min-height:3rem;padding:0.5rem 1.25rem;border-radius:0.5rem;border:0.125rem solid #0b4f8a;background:#0b4f8a;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>`);
}

/** Drains a request body without keeping it (a one-click POST carries a fixed, tiny one). */
async function drain(req: IncomingMessage) {
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > 4096) break;
	}
}

/** True when `path` was the unsubscribe link's (answered here). */
export function handleUnsubscribe(req: IncomingMessage, res: ServerResponse, path: string, context: { digests: MailDigests; registry: Registry }): boolean {
	const match = UNSUBSCRIBE_PATH.exec(path);
	if (!match && !path.startsWith('/api/mail/unsubscribe/')) return false;
	answer(req, res, match, context).catch(() => {
		if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
		res.end();
	});
	return true;
}

async function answer(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray | null, context: { digests: MailDigests; registry: Registry }) {
	// The texts in every language load when someone first opens a link, not when the relay starts.
	const { m } = (await import('../../src/lib/paraglide/messages.js')) as { m: typeof Messages };
	const [neighbourhood, member, token] = match ? [match[1]!, match[2]!, match[3]!] : ['', '', ''];
	const subscription = match ? context.digests.byLink(neighbourhood, member, token) : undefined;
	if (req.method === 'POST') await drain(req);
	if (!subscription) {
		// Whose link it was is unknown, so both languages.
		const text = (l: Language) => `<p lang="${l}">${escape(m['mail.unsubscribe.invalid']({}, { locale: l }))}</p>`;
		page(res, 404, 'both', m['mail.unsubscribe.title']({}, { locale: 'nl' }), `${text('nl')}${text('en')}`);
		return;
	}
	const locale = { locale: subscription.choice.language };
	const title = m['mail.unsubscribe.title']({}, locale);
	if (req.method === 'POST') {
		context.digests.unsubscribe(neighbourhood, member, token);
		page(res, 200, locale.locale, m['mail.unsubscribe.done']({}, locale), `<h1>${escape(m['mail.unsubscribe.done']({}, locale))}</h1><p>${escape(m['mail.unsubscribe.doneMore']({}, locale))}</p>`);
		return;
	}
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { allow: 'GET, POST' });
		res.end();
		return;
	}
	const name = context.registry.find(neighbourhood)?.name ?? 'Noaber';
	page(
		res,
		200,
		locale.locale,
		title,
		`<h1>${escape(title)}</h1><p>${escape(m['mail.unsubscribe.question']({ neighbourhood: name }, locale))}</p><form method="post"><button type="submit">${escape(m['mail.unsubscribe.confirm']({}, locale))}</button></form>`
	);
}
