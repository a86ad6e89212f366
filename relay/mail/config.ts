// The operator's SMTP server for the e-mail digest: NOABER_SMTP_URL (smtp://user:pass@host:587,
// or smtps:// for port 465) and NOABER_MAIL_FROM. Without them the relay sends no e-mail and the
// app offers none. The password is part of the URL: it is never logged or put in an error message.
import { ConfigError } from '../origin.ts';

export interface MailConfig {
	/** As nodemailer takes it; holds the password. */
	smtpUrl: string;
	/** The sender, e.g. `Noaber Lindenbuurt <buurt@example.nl>`. */
	from: string;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The host and port alone, for log lines and messages. */
export function smtpHost(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? '465' : '587')}`;
	} catch {
		return '(unreadable)';
	}
}

export function mailConfigFromEnv(env: NodeJS.ProcessEnv): MailConfig | undefined {
	const url = env.NOABER_SMTP_URL?.trim();
	if (!url) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		// Not the value itself: it may hold the password.
		throw new ConfigError('NOABER_SMTP_URL must look like smtp://user:password@mail.example.nl:587 (or smtps://… for port 465)');
	}
	if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) {
		throw new ConfigError('NOABER_SMTP_URL must start with smtp:// or smtps://, like smtp://user:password@mail.example.nl:587');
	}
	const from = env.NOABER_MAIL_FROM?.trim() ?? '';
	const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
	if (!ADDRESS.test(address)) {
		throw new ConfigError('NOABER_MAIL_FROM must be the sender address when NOABER_SMTP_URL is set, like "Noaber Lindenbuurt <buurt@example.nl>"');
	}
	return { smtpUrl: url, from };
}
