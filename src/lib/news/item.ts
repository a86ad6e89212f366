// What happened that concerns a member: one shape for "Nieuw voor u", the app icon's count, the
// bellijst, phone notifications and the e-mail digest. Each domain module (help, agenda, members)
// says what its documents' happenings are; the app and the relay read them through the same code.

/** Kinds a member can switch on or off, one by one, on the profile. */
export const NEWS_KINDS = [
	/** Someone responded to my post (or to the post of a resident I act for). */
	'response',
	/** My offer or response was accepted. */
	'accepted',
	/** A post I am involved in was marked done. */
	'done',
	/** Someone thanked me for my help. */
	'thanked',
	/** An activity I signed up for changed (time, place, a date skipped). */
	'event-changed',
	/** An activity I signed up for was cancelled. */
	'event-cancelled',
	/** I moved up from the waiting list and have a place. */
	'moved-up',
	/** Managers: someone is waiting to be let in. */
	'approval-waiting',
	/** Managers: a neighbour reported a post, response or activity. */
	'report'
] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];

/** Off by default: once a week, the new requests in what I like to help with. */
export const WEEKLY_REQUESTS = 'weekly-requests' as const;

export interface NewsItem {
	/**
	 * The same happening has the same id on every device and on the relay, so "seen", coalescing
	 * and "already pushed" can be decided by id alone, e.g. `response:<postId>:<responseId>`.
	 */
	id: string;
	kind: NewsKind;
	/** The member it concerns: the resident, also when an intermediary acts for them. */
	for: string;
	/** When it happened, as the document says (ISO). */
	at: string;
	/** The member who did it, when there is one (named by first name in texts). */
	actor?: string;
	/**
	 * The member who pressed the button when it was done for the actor (an intermediary): they
	 * know already, so it is no news to them.
	 */
	actedBy?: string;
	/**
	 * What it is about, for a short text. Never a message, phone number or address: a help post's
	 * category (not its title, which residents sometimes write their address in), an activity's title.
	 */
	subject: {
		module: 'help' | 'agenda' | 'members' | 'reports';
		id: string;
		category?: string;
		title?: string;
		occurrence?: string;
		/** A help post's kind: a response to an offer is told differently from one to a request. */
		postKind?: 'request' | 'offer';
	};
	/** The app page that opens when it is tapped, e.g. `/hulp/<postId>`. */
	path: string;
	/** Several happenings with one group within ten minutes become one notification, e.g. `help:<postId>`. */
	group: string;
}
