// One digest e-mail: plain, large text (at least 18 px), the same content as an HTML and a
// plain-text part, in the member's language, each line linking to its page in the app, and the
// one-click unsubscribe link in the text and in the List-Unsubscribe headers (RFC 8058).
import type { NewsItem } from '../../src/lib/news/item.ts';
import { m } from '../../src/lib/paraglide/messages.js';

export type Language = 'nl' | 'en';
/** A happening in one short line, in the member's language ("Bert wil helpen met uw boodschappen"). */
export type NewsText = (item: NewsItem, language: Language) => string;

export interface DigestInput {
	neighbourhood: string;
	/** The member's first name, for the greeting; empty for none. */
	name: string;
	items: NewsItem[];
	language: Language;
	/** Where the app is, e.g. https://buurt.example.nl. */
	origin: string;
	unsubscribeUrl: string;
	text: NewsText;
}

export interface ComposedMail {
	subject: string;
	text: string;
	html: string;
	headers: Record<string, string>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function composeDigest(input: DigestInput): ComposedMail {
	const locale = { locale: input.language };
	const subject = m['mail.subject']({ neighbourhood: input.neighbourhood }, locale);
	const greeting = input.name ? m['mail.greeting']({ name: input.name }, locale) : '';
	const lines = input.items.map((item) => ({ text: input.text(item, input.language), link: `${input.origin}${item.path}` }));
	const text = [
		greeting,
		m['mail.intro']({}, locale),
		'',
		...lines.map((l) => `- ${l.text}\n  ${l.link}`),
		'',
		`${m['mail.open']({}, locale)}: ${input.origin}/`,
		'',
		'--',
		m['mail.footer']({}, locale),
		`${m['mail.unsubscribe']({}, locale)} ${input.unsubscribeUrl}`
	]
		.filter((line, i) => i > 0 || line)
		.join('\n');
	const big = 'font-family:Arial,Helvetica,sans-serif;font-size:20px;line-height:1.5;color:#111111';
	const link = 'color:#0b4f8a;font-size:20px';
	const html = `<!doctype html>
<html lang="${input.language}"><head><meta charset="utf-8"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff">
<div style="${big};max-width:640px">
${greeting ? `<p style="${big}">${escape(greeting)}</p>` : ''}
<p style="${big}">${escape(m['mail.intro']({}, locale))}</p>
<ul style="${big};padding-left:24px">
${lines.map((l) => `<li style="${big};margin-bottom:12px">${escape(l.text)}<br><a style="${link}" href="${escape(l.link)}">${escape(m['mail.view']({}, locale))}</a></li>`).join('\n')}
</ul>
<p style="${big}"><a style="${link};font-weight:bold" href="${escape(input.origin)}/">${escape(m['mail.open']({}, locale))}</a></p>
<hr>
<p style="${big};font-size:18px">${escape(m['mail.footer']({}, locale))}<br>${escape(m['mail.unsubscribe']({}, locale))} <a style="${link};font-size:18px" href="${escape(input.unsubscribeUrl)}">${escape(m['mail.unsubscribe.link']({}, locale))}</a></p>
</div>
</body></html>
`;
	return {
		subject,
		text,
		html,
		headers: { 'List-Unsubscribe': `<${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
	};
}
