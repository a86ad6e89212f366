// The e-mail digest against a local SMTP server: what the mail says and in which language, that it
// links to the app, that its unsubscribe link works without logging in, that no news means no mail,
// and that without SMTP nothing is offered or sent.
import * as A from '@automerge/automerge';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { NEWS_KINDS, type NewsItem } from '../../src/lib/news/item.ts';
import { configFromEnv } from '../../relay/config.ts';
import { relayNewsOf } from '../../relay/mail/relay-news.ts';
import { latestSlot } from '../../relay/mail/schedule.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import { accept, blankPost, createPost, respond } from '../../src/lib/help/mutations.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { join } from '../../src/lib/members/mutations.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { client, eventually, find, hostNeighbourhood, newMember, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';
import { startMailServer } from './mail-server.ts';
import { notifyCall } from './notify-call.ts';

let relay: TestRelay | undefined;
const closeAfter = stopAfterEach(() => relay);

const DAY = 24 * 3600_000;
const POST = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

/** News a test hands the relay: each member's items, as "Nieuw voor u" would list them. */
function newsBook() {
	const items = new Map<string, NewsItem[]>();
	return {
		/** News made now. A digest counts news after the moment of subscribing, to the millisecond: here both can fall in one. */
		async add(member: string, item: Omit<NewsItem, 'for' | 'at'>) {
			const subscribed = Date.now();
			while (Date.now() <= subscribed) await new Promise((resolve) => setTimeout(resolve, 1));
			items.set(member, [...(items.get(member) ?? []), { ...item, for: member, at: new Date().toISOString() }]);
		},
		newsOf: async (_n: string, member: string, since: Date) => (items.get(member) ?? []).filter((i) => Date.parse(i.at) > since.getTime())
	};
}

/** A member's phone: a stock client with its credential, holding the root and members documents. */
async function phone(credential: string, rootUrl: string) {
	const repo = client(relay!, credential);
	closeAfter.push(repo);
	const root = await find<RootDoc>(repo, rootUrl);
	await eventually(() => root.isReady(), Boolean);
	const members = await find<MembersDoc>(repo, String(root.doc()!.docs.members));
	await eventually(() => members.isReady(), Boolean);
	return { repo, root, members };
}

const responseItem = { id: `response:${POST}:r1`, kind: 'response', actor: 'x', subject: { module: 'help', id: POST, category: 'boodschappen' }, path: `/hulp/${POST}`, group: `help:${POST}` } as const;

async function withMail(news = newsBook()) {
	const smtp = await startMailServer();
	closeAfter.push(smtp);
	relay = await startTestRelay({
		mail: { smtpUrl: smtp.url, from: 'Noaber Lindenbuurt <buurt@example.nl>' },
		reportMail: { newsOf: news.newsOf }
	});
	const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
	return { smtp, hosted, news };
}

const choice = (email: string, frequency: 'daily' | 'weekly', language: 'nl' | 'en') => ({ choice: { email, frequency, kinds: [...NEWS_KINDS], language } });

/** A header as the mail carries it (mailparser folds the List-* headers into one structure). */
const rawHeader = (mail: ParsedMail, key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '');

function unsubscribeUrl(mail: ParsedMail): string {
	const url = /^<(https?:\/\/[^>]+)>$/.exec(rawHeader(mail, 'list-unsubscribe') ?? '')?.[1];
	if (!url) throw new Error('no List-Unsubscribe header');
	return url;
}

/** Every font size the HTML part sets, in px. */
const fontSizes = (html: string) => [...html.matchAll(/font-size:\s*(\d+)px/g)].map((m) => Number(m[1]));

describe('e-mail digest', () => {
	it('sends each member their news at the sending moment, in their language, in large text, with links to the app', async () => {
		const smtp = await startMailServer();
		closeAfter.push(smtp);
		// The relay's own news: read from the neighbourhood's documents, as "Nieuw voor u" reads them.
		relay = await startTestRelay({ mail: { smtpUrl: smtp.url, from: 'Noaber Lindenbuurt <buurt@example.nl>' } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bertAccess = newMember(relay.access, hosted.id, { name: 'Bert Jansen' });
		const annAccess = newMember(relay.access, hosted.id, { name: 'Ann' });
		expect((await notifyCall(relay.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bertAccess.credential)).status).toBe(200);
		expect((await notifyCall(relay.url, 'digest', choice('ann@example.org', 'weekly', 'en'), annAccess.credential)).status).toBe(200);
		const mine = await notifyCall(relay.url, 'choices', {}, bertAccess.credential);
		expect(mine.body).toMatchObject({ mailAvailable: true, digest: { email: 'bert@example.nl', frequency: 'daily', language: 'nl' } });

		// Bert asks for help with shopping, Ann responds, Bert accepts: news for each of them.
		const bert = await phone(bertAccess.credential, hosted.root);
		join(bert.members, bertAccess.memberId, { ...blankProfile(), name: 'Bert Jansen' });
		join(bert.members, annAccess.memberId, { ...blankProfile(), name: 'Ann' });
		const board = bert.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		bert.root.change((d) => void (d.docs.help[board.url] = new A.ImmutableString('2026Q4')));
		const post = createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen, Lindenlaan 12' }, { memberId: bertAccess.memberId });
		const ann = await phone(annAccess.credential, hosted.root);
		const annsBoard = await find<HelpDoc>(ann.repo, board.url);
		await eventually(() => Object.keys(annsBoard.doc()?.posts ?? {}).length, (n) => n === 1);
		const response = respond(annsBoard, post, 'Bel me op 06-12345678', { memberId: annAccess.memberId })!;
		await eventually(() => Object.keys(board.doc().posts[post]?.responses ?? {}).length, (n) => n === 1);
		accept(board, post, response, { memberId: bertAccess.memberId });
		const since = new Date(Date.now() - 60_000);
		// Until the relay holds the acceptance (a fresh reader each time: a reader keeps what it read for a minute).
		await eventually(() => relayNewsOf(relay!.repo, relay!.registry, relay!.access)(hosted.id, annAccess.memberId, since), (items) => items.length === 1);

		// Nothing before the next sending moment.
		expect(await relay.reportMail.digests.runDue(new Date())).toBe(0);
		expect(await relay.reportMail.digests.runDue(new Date(Date.now() + 8 * DAY))).toBe(2);
		await eventually(() => smtp.mails.length, (n) => n === 2);

		const toBert = smtp.mails.find((m) => JSON.stringify(m.to).includes('bert@example.nl'))!;
		const toAnn = smtp.mails.find((m) => JSON.stringify(m.to).includes('ann@example.org'))!;
		expect(toBert.subject).toBe('Nieuw in Lindenbuurt');
		expect(toAnn.subject).toBe('New in Lindenbuurt');
		expect(toBert.from?.text).toContain('buurt@example.nl');
		expect(toBert.text).toContain('Beste Bert,');
		expect(toBert.text).toContain('Ann wil helpen met uw boodschappen');
		expect(toBert.text).toContain(`${relay.url}/hulp/${post}`);
		expect(toAnn.text).toContain('Dear Ann,');
		expect(toAnn.text).toContain('Bert accepted your help with');
		expect(toAnn.text).toContain(`${relay.url}/hulp/${post}`);
		expect(toAnn.text).not.toContain('Beste');
		for (const mail of [toBert, toAnn]) {
			const html = String(mail.html);
			expect(html).toContain(`href="${relay.url}/hulp/${post}"`);
			expect(fontSizes(html).length).toBeGreaterThan(0);
			expect(Math.min(...fontSizes(html))).toBeGreaterThanOrEqual(18);
			expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
			expect(mail.text).toContain(unsubscribeUrl(mail));
			// Never a message, a phone number or an address (residents write theirs in titles).
			for (const secret of ['06-12345678', 'Bel me', 'Lindenlaan 12']) expect(`${mail.text}${html}`).not.toContain(secret);
		}

		const logs = relay.logs.join('');
		expect(logs).toContain('e-mail digest sent');
		for (const secret of ['bert@example.nl', 'ann@example.org', smtp.password]) expect(logs).not.toContain(secret);
		// Sent once: the same moment does not send again.
		expect(await relay.reportMail.digests.runDue(new Date(Date.now() + 8 * DAY + 60_000))).toBe(0);
	});

	it('sends nothing when there is no news', async () => {
		const smtp = await startMailServer();
		closeAfter.push(smtp);
		relay = await startTestRelay({ mail: { smtpUrl: smtp.url, from: 'buurt@example.nl' } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay!.access, hosted.id, { name: 'Bert' });
		await notifyCall(relay!.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bert.credential);
		expect(await relay!.reportMail.digests.runDue(new Date(Date.now() + DAY))).toBe(0);
		expect(await relay!.reportMail.digests.runDue(new Date(Date.now() + 2 * DAY))).toBe(0);
		expect(smtp.mails).toHaveLength(0);
	});

	it('unsubscribes with the link in the mail, without logging in: GET asks, POST stops the mail', async () => {
		const { smtp, hosted, news } = await withMail();
		const bert = newMember(relay!.access, hosted.id, { name: 'Bert' });
		await notifyCall(relay!.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bert.credential);
		await news.add(bert.memberId, responseItem);
		await relay!.reportMail.digests.runDue(new Date(Date.now() + DAY));
		await eventually(() => smtp.mails.length, (n) => n === 1);
		const link = unsubscribeUrl(smtp.mails[0]!);
		expect(link.startsWith(`${relay!.url}/`)).toBe(true);

		// A mail scanner that follows the link changes nothing.
		const asked = await fetch(link);
		expect(asked.status).toBe(200);
		const question = await asked.text();
		expect(question).toContain('Wilt u geen e-mail met nieuws uit Lindenbuurt meer krijgen?');
		expect(question).toContain('<form method="post">');
		expect((await notifyCall(relay!.url, 'choices', {}, bert.credential)).body.digest).not.toBeNull();

		// The mail program's one-click (RFC 8058), without any credential.
		const done = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
		expect(done.status).toBe(200);
		expect(await done.text()).toContain('U krijgt geen e-mail meer');
		expect((await notifyCall(relay!.url, 'choices', {}, bert.credential)).body.digest).toBeNull();

		await news.add(bert.memberId, { ...responseItem, id: `response:${POST}:r2` });
		expect(await relay!.reportMail.digests.runDue(new Date(Date.now() + 3 * DAY))).toBe(0);
		expect(smtp.mails).toHaveLength(1);
		// Used up: the link now says it no longer works, in both languages.
		const again = await fetch(link);
		expect(again.status).toBe(404);
		expect(await again.text()).toContain('werkt niet (meer)');
		// A made-up token opens nothing.
		const forged = link.replace(/[^/]{43}$/, 'A'.repeat(43));
		expect((await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
		expect(relay!.logs.join('')).not.toContain(link.split('/').at(-1)!);
	});

	it('lets managers find reports nobody dealt with in their digest', async () => {
		const { smtp, hosted } = await withMail();
		const bert = newMember(relay!.access, hosted.id, { name: 'Bert' });
		await notifyCall(relay!.url, 'digest', choice('wijk@example.nl', 'daily', 'nl'), hosted.key);
		await notifyCall(relay!.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bert.credential);
		const report = { target: { kind: 'post', id: POST, document: hosted.root }, reason: 'Geheime reden 12345' };
		expect((await notifyCall(relay!.url, 'report', report, bert.credential)).status).toBe(200);
		expect(await relay!.reportMail.digests.runDue(new Date(Date.now() + DAY))).toBe(1);
		await eventually(() => smtp.mails.length, (n) => n === 1);
		const mail = smtp.mails[0]!;
		expect(JSON.stringify(mail.to)).toContain('wijk@example.nl');
		expect(mail.text).toContain('Een buur heeft iets gemeld');
		expect(mail.text).toContain(`${relay!.url}/leden/meldingen`);
		expect(mail.text).not.toContain('Geheime reden');
	});

	it('when the SMTP server is away, says so in the log without the password and tries again later', async () => {
		const { smtp, hosted, news } = await withMail();
		const bert = newMember(relay!.access, hosted.id, { name: 'Bert' });
		await notifyCall(relay!.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bert.credential);
		await news.add(bert.memberId, responseItem);
		await smtp.close();
		const tomorrow = Date.now() + DAY;
		expect(await relay!.reportMail.digests.runDue(new Date(tomorrow))).toBe(0);
		const logs = relay!.logs.join('');
		expect(logs).toContain('e-mail digest not sent');
		expect(logs).toContain('127.0.0.1');
		expect(logs).not.toContain(smtp.password);
		expect(logs).not.toContain('bert@example.nl');
		// Not at every tick: a quarter of an hour later.
		expect(await relay!.reportMail.digests.runDue(new Date(tomorrow + 60_000))).toBe(0);
		expect(relay!.logs.join('').split('e-mail digest not sent').length - 1).toBe(1);
	});

	it('offers and sends nothing without SMTP', async () => {
		const news = newsBook();
		relay = await startTestRelay({ reportMail: { newsOf: news.newsOf } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		expect((await notifyCall(relay.url, 'choices', {}, bert.credential)).body).toEqual({ push: null, digest: null, mailAvailable: false });
		const refused = await notifyCall(relay.url, 'digest', choice('bert@example.nl', 'daily', 'nl'), bert.credential);
		expect(refused.status).toBe(409);
		await news.add(bert.memberId, responseItem);
		expect(await relay.reportMail.digests.runDue(new Date(Date.now() + DAY))).toBe(0);
		expect((await notifyCall(relay.url, 'choices', {}, bert.credential)).body.digest).toBeNull();
	});
});

describe('sending moments', () => {
	it('are 08:00 in Amsterdam, summer and winter, and Monday 08:00 for the weekly digest', () => {
		const at = (iso: string, frequency: 'daily' | 'weekly' = 'daily') => latestSlot(new Date(iso), frequency).toISOString();
		// Summer time (UTC+2): 08:00 is 06:00Z.
		expect(at('2026-07-15T05:59:00Z')).toBe('2026-07-14T06:00:00.000Z');
		expect(at('2026-07-15T06:00:00Z')).toBe('2026-07-15T06:00:00.000Z');
		// Winter time (UTC+1): 08:00 is 07:00Z.
		expect(at('2026-01-15T07:30:00Z')).toBe('2026-01-15T07:00:00.000Z');
		// The day the clocks go forward (29 March 2026) and back (25 October 2026).
		expect(at('2026-03-29T12:00:00Z')).toBe('2026-03-29T06:00:00.000Z');
		expect(at('2026-10-25T12:00:00Z')).toBe('2026-10-25T07:00:00.000Z');
		// Weekly: Tuesday 1 December 2026 → Monday 30 November; a Monday before 08:00 → the Monday before.
		expect(at('2026-12-01T10:00:00Z', 'weekly')).toBe('2026-11-30T07:00:00.000Z');
		expect(at('2026-11-30T06:59:00Z', 'weekly')).toBe('2026-11-23T07:00:00.000Z');
		// Late in the evening in Amsterdam, already the next day in UTC terms or not.
		expect(at('2026-07-14T22:30:00Z')).toBe('2026-07-14T06:00:00.000Z');
	});
});

describe('SMTP configuration', () => {
	it('is off without NOABER_SMTP_URL, and a wrong value stops the relay with a message that never quotes the password', () => {
		expect(configFromEnv({}).mail).toBeUndefined();
		expect(configFromEnv({ NOABER_SMTP_URL: 'smtp://u:p@mail.example.nl:587', NOABER_MAIL_FROM: 'Noaber <buurt@example.nl>' }).mail).toEqual({
			smtpUrl: 'smtp://u:p@mail.example.nl:587',
			from: 'Noaber <buurt@example.nl>'
		});
		const wrong = (env: NodeJS.ProcessEnv) => {
			try {
				configFromEnv(env);
			} catch (error) {
				return (error as Error).message;
			}
			return 'accepted';
		};
		const noFrom = wrong({ NOABER_SMTP_URL: 'smtp://u:hunter2secret@mail.example.nl:587' });
		expect(noFrom).toContain('NOABER_MAIL_FROM');
		const http = wrong({ NOABER_SMTP_URL: 'http://u:hunter2secret@mail.example.nl', NOABER_MAIL_FROM: 'buurt@example.nl' });
		expect(http).toContain('smtp://');
		for (const message of [noFrom, http]) expect(message).not.toContain('hunter2secret');
	});
});
