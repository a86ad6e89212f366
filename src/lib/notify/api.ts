// What app and relay say to each other about notifications, e-mail digests and reports
// ("Melden"), under /api/notify/<action>. One definition of every request and answer, validated on
// both sides, as src/lib/access/api.ts does for access. Every action needs the device's own
// credential in the Authorization header, except `unsubscribe` (the e-mail's one-click link).
import * as v from 'valibot';
import { NEWS_KINDS } from '../news/item.ts';
import { cleanLine } from '../validation/plain-text.ts';

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const Kinds = v.pipe(v.array(v.picklist(NEWS_KINDS)), v.maxLength(NEWS_KINDS.length));
export const Language = v.picklist(['nl', 'en']);
const Base64Url = v.pipe(v.string(), v.maxLength(200), v.regex(/^[A-Za-z0-9_-]+=*$/));

/** A browser's PushSubscription.toJSON(); only https endpoints (or localhost, for tests). */
export const PushSubscriptionSchema = v.object({
	endpoint: v.pipe(v.string(), v.maxLength(1000), v.url(), v.check((u) => /^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u), 'endpoint')),
	expirationTime: v.optional(v.nullable(v.number())),
	keys: v.object({ p256dh: Base64Url, auth: Base64Url })
});
export type PushSubscriptionInput = v.InferOutput<typeof PushSubscriptionSchema>;

/** What a member chose on the profile, per device for pushes. */
export const PushChoice = v.object({
	kinds: Kinds,
	/** Once a week, the new requests in what I like to help with. Off unless chosen. */
	weekly: v.boolean(),
	language: Language
});
export type PushChoice = v.InferOutput<typeof PushChoice>;

export const DIGEST_FREQUENCIES = ['daily', 'weekly'] as const;
export const DigestChoice = v.object({
	email: v.pipe(v.string(), v.trim(), v.maxLength(200), v.email('email')),
	frequency: v.picklist(DIGEST_FREQUENCIES),
	kinds: Kinds,
	language: Language
});
export type DigestChoice = v.InferOutput<typeof DigestChoice>;

export const REPORT_TARGETS = ['post', 'response', 'event'] as const;
export const ReportReason = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.minLength(1, 'required'), v.maxLength(500));

/** Requests, by action. */
export const NotifyRequests = {
	/** The relay's public VAPID key, for PushManager.subscribe. */
	key: v.object({}),
	/** This device's subscription and choices; replaces what the relay had for this device. */
	subscribe: v.object({ subscription: PushSubscriptionSchema, choice: PushChoice }),
	/** This device wants no more pushes: the relay forgets its subscription at once. */
	unsubscribe: v.object({}),
	/** What the relay holds for this device and this member, to show on the profile. */
	choices: v.object({}),
	/** The member's e-mail digest; `null` switches it off. Refused when the relay has no SMTP. */
	digest: v.object({ choice: v.nullable(DigestChoice) }),
	/** Any member reports a post, response or activity to the managers. */
	report: v.object({
		target: v.object({ kind: v.picklist(REPORT_TARGETS), id: Id, post: v.optional(Id), document: v.pipe(v.string(), v.maxLength(100)) }),
		reason: ReportReason
	}),
	/** Managers: the reports, newest first. */
	reports: v.object({}),
	/** Managers: a report was dealt with. */
	handled: v.object({ reportId: Id })
} as const;
export type NotifyAction = keyof typeof NotifyRequests;
export type NotifyRequest<A extends NotifyAction> = v.InferInput<(typeof NotifyRequests)[A]>;

export const Report = v.object({
	id: Id,
	target: NotifyRequests.report.entries.target,
	reason: v.string(),
	by: Id,
	at: v.string(),
	handledAt: v.optional(v.string()),
	handledBy: v.optional(Id)
});
export type Report = v.InferOutput<typeof Report>;

export const NotifyAnswers = {
	key: v.object({ publicKey: Base64Url }),
	subscribe: v.object({}),
	unsubscribe: v.object({}),
	choices: v.object({
		push: v.nullable(PushChoice),
		digest: v.nullable(DigestChoice),
		/** False when the operator configured no SMTP: the app then shows no e-mail option. */
		mailAvailable: v.boolean()
	}),
	digest: v.object({}),
	report: v.object({ reportId: Id }),
	reports: v.object({ reports: v.array(Report) }),
	handled: v.object({})
} as const;
export type NotifyAnswer<A extends NotifyAction> = v.InferOutput<(typeof NotifyAnswers)[A]>;

/** What a push carries, encrypted to the device; the service worker shows it. */
export const PushPayload = v.object({
	title: v.pipe(v.string(), v.maxLength(120)),
	body: v.pipe(v.string(), v.maxLength(300)),
	/** The app page to open when tapped. */
	path: v.pipe(v.string(), v.maxLength(200), v.regex(/^\/[A-Za-z0-9/_?=&.-]*$/)),
	/** One notification per group on the screen: a later one replaces it. */
	tag: v.pipe(v.string(), v.maxLength(120)),
	/** How many unread happenings, for the app icon's badge. */
	count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)))
});
export type PushPayload = v.InferOutput<typeof PushPayload>;
