// Validation of help posts: what a resident types, and what is read back from any peer.
import * as v from 'valibot';
import { id, isoDate, jsonOf, str } from '../automerge/fields.ts';
import { isSealed } from '../crypto/sealed.ts';
import { CONTACTS, KINDS, STATUSES, WHEN } from './document.ts';
import { lineInput, linesInput, requiredLineInput } from '../validation/plain-text.ts';
import { line, lines } from '../validation/stored-text.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || (DAY.test(s) && !Number.isNaN(Date.parse(s))), 'date'));

export const PostInput = v.pipe(
	v.object({
		kind: v.picklist(KINDS, 'required'),
		category: requiredLineInput(40),
		title: requiredLineInput(80),
		description: linesInput(1000),
		whenKind: v.picklist(WHEN, 'required'),
		from: day,
		to: day,
		where: lineInput(80),
		contact: v.picklist(CONTACTS, 'required')
	}),
	v.forward(
		v.check((p) => p.whenKind === 'flexible' || p.from !== '', 'required'),
		['from']
	),
	v.forward(
		v.check((p) => p.whenKind !== 'period' || p.to !== '', 'required'),
		['to']
	),
	v.forward(
		v.check((p) => p.whenKind !== 'period' || p.to === '' || p.from === '' || p.to >= p.from, 'date_order'),
		['to']
	)
);
export type PostInput = v.InferOutput<typeof PostInput>;

export const ResponseInput = v.object({
	message: linesInput(500)
});

const optionalDate = v.optional(isoDate);

export const ResponseView = v.object({
	id,
	by: id,
	actedBy: v.optional(id),
	message: v.fallback(lines(2000), ''),
	sealed: v.fallback(v.optional(v.pipe(str, v.check(isSealed))), undefined),
	at: isoDate,
	acceptedAt: optionalDate,
	withdrawnAt: optionalDate
});
export type Response = v.InferOutput<typeof ResponseView>;

const HistoryFields = v.object({
	at: v.pipe(v.string(), v.isoTimestamp()),
	by: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	actedBy: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/))),
	action: line(40),
	fields: v.optional(v.array(line(40))),
	note: v.optional(lines(500))
});

/** A history entry is one immutable JSON string; anything that is not valid JSON of this shape is skipped. */
export const HistoryView = jsonOf(HistoryFields);
export type HistoryEntry = v.InferOutput<typeof HistoryView>;

/** The parts of a post that must be right; responses and history are read one by one. */
export const PostCore = v.object({
	id,
	kind: v.pipe(str, v.picklist(KINDS)),
	category: line(40),
	title: v.pipe(line(200), v.minLength(1)),
	description: v.fallback(lines(5000), ''),
	when: v.fallback(
		v.object({
			kind: v.pipe(str, v.picklist(WHEN)),
			from: v.optional(v.pipe(str, v.check((s) => s === '' || (DAY.test(s) && !Number.isNaN(Date.parse(s)))))),
			to: v.optional(v.pipe(str, v.check((s) => s === '' || (DAY.test(s) && !Number.isNaN(Date.parse(s))))))
		}),
		{ kind: 'flexible' as const }
	),
	where: v.fallback(line(200), ''),
	contact: v.fallback(v.pipe(str, v.picklist(CONTACTS)), 'noaber'),
	author: id,
	actedBy: v.optional(id),
	createdAt: isoDate,
	updatedAt: v.fallback(isoDate, ''),
	renewedAt: v.fallback(isoDate, ''),
	status: v.pipe(str, v.picklist(STATUSES)),
	agreedAt: optionalDate,
	doneAt: optionalDate,
	withdrawnAt: optionalDate,
	thanks: v.fallback(v.optional(v.object({ by: id, at: isoDate, message: v.fallback(lines(500), '') })), undefined),
	hidden: v.fallback(v.nullish(v.object({ by: id, at: isoDate, reason: v.fallback(lines(500), '') })), null)
});
export type PostCore = v.InferOutput<typeof PostCore>;
