// The help board as stored: one document per quarter (a "period"), each holding the posts created
// in it with their responses and history. Splitting keeps every document small enough to load
// fast after ten years; the root lists the period documents.
import type { ImmutableString } from '@automerge/automerge/slim';
import { readPeriodIndex, type PeriodEntry } from '../automerge/period-index.ts';

/** The name of a help period document: its quarter, '2026Q4'. */
export const PERIOD = /^\d{4}Q[1-4]$/;

/** The root's help index (document URL → quarter) as entries, newest first. */
export const readHelpIndex = (index: unknown): PeriodEntry[] => readPeriodIndex(index, (p) => PERIOD.test(p));

export const KINDS = ['request', 'offer'] as const;
export type Kind = (typeof KINDS)[number];

export const STATUSES = ['open', 'agreed', 'done', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const CONTACTS = ['noaber', 'phone', 'manager'] as const;
export type Contact = (typeof CONTACTS)[number];

export const WHEN = ['flexible', 'date', 'period'] as const;
export type WhenKind = (typeof WHEN)[number];

/** Who did something, and who pressed the button when it was done for them. */
export interface Actor {
	memberId: string;
	actedBy?: string;
}

/** One line of a post's history, as the app reads it. */
export interface HistoryEntryData {
	at: string;
	by: string;
	actedBy?: string;
	action: string;
	fields?: string[];
	note?: string;
}

/**
 * Stored as one immutable JSON string: an entry is written once and never edited, and one value
 * instead of six nested ones roughly halves what a ten-year board costs to load.
 */
export type HistoryEntryDoc = ImmutableString;

export interface ResponseDoc {
	id: ImmutableString;
	by: ImmutableString;
	actedBy?: ImmutableString;
	/** Plain text only in responses made before messages were sealed; new ones write ''. */
	message: ImmutableString;
	/** The response's message, sealed to the conversation's readers (conversation.ts). */
	sealed?: ImmutableString;
	at: ImmutableString;
	acceptedAt?: ImmutableString;
	withdrawnAt?: ImmutableString;
	/** The conversation: one immutable JSON value per message (conversation.ts). */
	[message: `msg.${string}`]: ImmutableString;
}

export interface PostDoc {
	id: ImmutableString;
	kind: ImmutableString;
	category: ImmutableString;
	title: ImmutableString;
	/** Automerge text: the author and an intermediary may edit it at once. */
	description: string;
	when: { kind: ImmutableString; from?: ImmutableString; to?: ImmutableString };
	where: ImmutableString;
	contact: ImmutableString;
	author: ImmutableString;
	actedBy?: ImmutableString;
	createdAt: ImmutableString;
	updatedAt: ImmutableString;
	/** Renewing moves this forward, so the "still needed?" question waits another 30 days. */
	renewedAt: ImmutableString;
	status: ImmutableString;
	agreedAt?: ImmutableString;
	doneAt?: ImmutableString;
	withdrawnAt?: ImmutableString;
	thanks?: { by: ImmutableString; at: ImmutableString; message: ImmutableString };
	hidden?: { by: ImmutableString; at: ImmutableString; reason: ImmutableString } | null;
	responses: Record<string, ResponseDoc>;
	history: Record<string, HistoryEntryDoc>;
}

export interface HelpDoc {
	period: ImmutableString;
	posts: Record<string, PostDoc>;
}

/**
 * In the root: document URL → its period. Flat on purpose: two devices that start the same quarter
 * offline each add their own key to one existing map, which merges; a nested map per period
 * would be created twice and one of the two would be lost.
 */
export type HelpIndex = Record<string, ImmutableString>;

/**
 * Closed posts of quarters long past, one immutable JSON value per post. A year of them loads in
 * a blink, where the quarter documents they came from (with every change) take seconds; those
 * stay stored, "sealed", and are opened only to show a post's full history.
 */
export interface ArchiveDoc {
	year: ImmutableString;
	posts: Record<string, ImmutableString>;
}

/** In the root: archive document URL → its year. */
export type ArchiveIndex = Record<string, ImmutableString>;

/** In the root: sealed quarter document URL → the archive document that holds its posts. */
export type SealedIndex = Record<string, ImmutableString>;
