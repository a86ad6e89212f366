// The e-mail digest: a member's choice (kept on the relay), and at each sending moment one mail per
// member with news since the last one, none when there is nothing new. The news comes from a
// function (the same one "Nieuw voor u" uses); managers also get the reports nobody dealt with yet.
import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { NewsItem } from '../../src/lib/news/item.ts';
import { newsText, type NewsTextContext } from '../../src/lib/news/text.ts';
import { textsIn } from '../../src/lib/i18n/every-language.ts';
import type { DigestChoice } from '../../src/lib/notify/api.ts';
import { reportNews } from '../../src/lib/report/news.ts';
import { mayReadReports } from '../../src/lib/report/rules.ts';
import type { AccessBook } from '../access-book.ts';
import type { Logger } from '../log.ts';
import type { Registry } from '../registry.ts';
import type { ReportBook } from '../reports.ts';
import { DigestChoices, type Subscription } from './choices.ts';
import { smtpHost, type MailConfig } from './config.ts';
import { latestSlot } from './schedule.ts';
import { UnsubscribeLinks } from './unsubscribe-link.ts';

/** What happened for `member` after `since`, as "Nieuw voor u" shows it. */
export type NewsOf = (neighbourhood: string, member: string, since: Date) => Promise<NewsItem[]>;

/** A mail holds the newest this many; the rest waits in the app. */
const MAX_ITEMS = 50;
/** How often the relay looks whether a sending moment has passed. */
const TICK_MS = 60_000;
/** After the SMTP server refused, wait this long before trying that member again. */
const RETRY_MS = 15 * 60_000;

export interface DigestOptions {
	data: string;
	config: MailConfig | undefined;
	registry: Registry;
	book: AccessBook;
	reports: ReportBook;
	log: Logger;
	newsOf?: NewsOf;
	/** One item's sentence (src/lib/news/text.ts by default). */
	text?: (item: NewsItem, context: NewsTextContext) => string;
	now?: () => Date;
}

export class MailDigests {
	readonly available: boolean;
	readonly #choices: DigestChoices;
	readonly #links: UnsubscribeLinks;
	#transport: Promise<Transporter> | undefined;
	readonly #options: DigestOptions;
	readonly #now: () => Date;
	readonly #failedAt = new Map<string, number>();
	#timer: NodeJS.Timeout | undefined;
	#running: Promise<number> | undefined;

	constructor(options: DigestOptions) {
		this.#options = options;
		this.#now = options.now ?? (() => new Date());
		this.#choices = new DigestChoices(options.data);
		this.#links = new UnsubscribeLinks(options.data);
		this.available = options.config !== undefined;
	}

	/**
	 * The mail library and the texts in every language load at the first digest, not at start: the
	 * operator's commands and a relay without e-mail start as fast as before.
	 */
	#mailer(url: string): Promise<Transporter> {
		this.#transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(url));
		return this.#transport;
	}

	/** The member's own choice, shown on the profile; null for none. */
	choice(neighbourhood: string, member: string): DigestChoice | null {
		return this.#choices.get(neighbourhood, member)?.choice ?? null;
	}

	/** Switches the digest on (or changes it) or off. False when the relay has no SMTP. */
	choose(neighbourhood: string, member: string, choice: DigestChoice | null, origin: string): boolean {
		if (choice === null) {
			this.#choices.remove(neighbourhood, member);
			return true;
		}
		if (!this.available) return false;
		const now = this.#now();
		this.#choices.set(neighbourhood, member, (before) => ({
			choice,
			origin,
			nonce: before?.nonce ?? randomBytes(12).toString('base64url'),
			since: before?.since ?? now.toISOString(),
			// A new subscriber's first mail comes at the next sending moment, not at once.
			lastSlot: before && before.choice.frequency === choice.frequency ? before.lastSlot : latestSlot(now, choice.frequency).toISOString()
		}));
		return true;
	}

	/** For the unsubscribe page: the subscription the link names, when the link is right. */
	byLink(neighbourhood: string, member: string, token: string): Subscription | undefined {
		const subscription = this.#choices.get(neighbourhood, member);
		return subscription && this.#links.matches(token, neighbourhood, member, subscription.nonce) ? subscription : undefined;
	}

	/** One-click unsubscribe; false when the link names no current subscription. */
	unsubscribe(neighbourhood: string, member: string, token: string): boolean {
		if (!this.byLink(neighbourhood, member, token)) return false;
		this.#choices.remove(neighbourhood, member);
		this.#options.log.info({ neighbourhood, member }, 'e-mail digest switched off by its link');
		return true;
	}

	/** Members removed from the neighbourhood get no more mail, and their address is forgotten. */
	#stillMember(neighbourhood: string, member: string): boolean {
		if (this.#options.book.member(neighbourhood, member)?.status === 'active') return true;
		this.#choices.remove(neighbourhood, member);
		return false;
	}

	async #news(neighbourhood: string, member: string, subscription: Subscription): Promise<NewsItem[]> {
		const since = new Date(subscription.since);
		const items = (await this.#options.newsOf?.(neighbourhood, member, since)) ?? [];
		const roles = this.#options.book.member(neighbourhood, member)?.roles ?? [];
		if (mayReadReports(roles)) items.push(...this.#options.reports.open(neighbourhood).map((r) => reportNews(r, member)));
		const kinds = new Set(subscription.choice.kinds);
		return items
			.filter((item) => kinds.has(item.kind) && Date.parse(item.at) > since.getTime())
			.sort((a, b) => b.at.localeCompare(a.at))
			.slice(0, MAX_ITEMS);
	}

	/** Sends every digest whose sending moment has passed; the number of mails sent. */
	runDue(now: Date = this.#now()): Promise<number> {
		// One round at a time: a slow SMTP server must not make the next tick send the same mails.
		this.#running ??= this.#round(now).finally(() => (this.#running = undefined));
		return this.#running;
	}

	async #round(now: Date): Promise<number> {
		const config = this.#options.config;
		if (!config) return 0;
		const { log, registry } = this.#options;
		let sent = 0;
		for (const { neighbourhood, member, subscription } of [...this.#choices.all()]) {
			const slot = latestSlot(now, subscription.choice.frequency);
			if (slot.getTime() <= Date.parse(subscription.lastSlot)) continue;
			const key = `${neighbourhood}/${member}`;
			if (now.getTime() - (this.#failedAt.get(key) ?? -Infinity) < RETRY_MS) continue;
			if (!this.#stillMember(neighbourhood, member)) continue;
			const items = await this.#news(neighbourhood, member, subscription);
			if (items.length > 0) {
				const firstName = this.#firstNames(neighbourhood);
				const { composeDigest } = await import('./compose.ts');
				const text = this.#options.text ?? newsText;
				const mail = composeDigest({
					neighbourhood: registry.find(neighbourhood)?.name ?? '',
					name: firstName(member) ?? '',
					items,
					language: subscription.choice.language,
					origin: subscription.origin,
					unsubscribeUrl: this.#links.url(subscription.origin, neighbourhood, member, subscription.nonce),
					text: (item, language) => text(item, { texts: textsIn(language), viewer: member, firstName })
				});
				try {
					const transport = await this.#mailer(config.smtpUrl);
					await transport.sendMail({ from: config.from, to: subscription.choice.email, ...mail });
				} catch (error) {
					this.#failedAt.set(key, now.getTime());
					// The code only: nodemailer's message may quote the server, and the address is personal.
					log.warn({ neighbourhood, member, smtp: smtpHost(config.smtpUrl), code: (error as { code?: string }).code }, 'e-mail digest not sent');
					continue;
				}
				this.#failedAt.delete(key);
				sent++;
				log.info({ neighbourhood, member, items: items.length }, 'e-mail digest sent');
			}
			// Unless they unsubscribed meanwhile: then the record stays gone.
			if (this.#choices.get(neighbourhood, member)?.nonce !== subscription.nonce) continue;
			this.#choices.set(neighbourhood, member, (before) => ({ ...(before ?? subscription), since: now.toISOString(), lastSlot: slot.toISOString() }));
		}
		return sent;
	}

	/** First names as the relay's access book has them (each member's name when they joined). */
	#firstNames(neighbourhood: string): (member: string) => string | undefined {
		const names = new Map(this.#options.book.members(neighbourhood).members.map((m) => [m.id, m.name.trim().split(/\s+/)[0]]));
		return (member) => names.get(member) || undefined;
	}

	start(): void {
		if (!this.available || this.#timer) return;
		// The host only: the URL holds the password.
		this.#options.log.info({ smtp: smtpHost(this.#options.config!.smtpUrl) }, 'e-mail digests on');
		this.#timer = setInterval(() => {
			this.runDue().catch((error: unknown) => this.#options.log.error({ err: error }, 'e-mail digest round failed'));
		}, TICK_MS);
		this.#timer.unref();
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#running?.catch(() => undefined);
		(await this.#transport?.catch(() => undefined))?.close();
	}
}
