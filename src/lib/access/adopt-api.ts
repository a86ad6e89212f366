// What app and relay say to each other when a neighbourhood's relay is gone for good and a member's
// device brings it to a new one, under /api/adopt/<action>: `adopt` (with the operator's code, once),
// `seed` (each document of the device's copy) and `rejoin` (another member's device follows, as the
// member it already is). Validated on both sides, like the access API (api.ts).
import * as v from 'valibot';
import { cleanLine } from '../validation/plain-text.ts';
import { Granted, MemberId } from './api.ts';
import { SecretSchema } from './secret.ts';

const Root = v.pipe(v.string(), v.maxLength(100), v.regex(/^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/));
const DocumentId = v.pipe(v.string(), v.regex(/^[1-9A-HJ-NP-Za-km-z]{20,60}$/));
const Name = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.minLength(1), v.maxLength(80));
const Label = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.maxLength(60));

/** A whole document as `A.save` wrote it, in base64; the largest a single request may carry. */
export const MAX_SEED_BYTES = 24 * 1024 * 1024;

export const AdoptRequests = {
	/** The operator's code; the device's member becomes the neighbourhood's first manager here. */
	adopt: v.object({ code: SecretSchema, root: Root, name: Name, memberId: MemberId, memberName: Name, label: v.optional(Label) }),
	/** One document of the adopting device's copy (root first); only that device, for a day after adopting. */
	seed: v.object({ document: DocumentId, data: v.pipe(v.string(), v.maxLength(Math.ceil((MAX_SEED_BYTES * 4) / 3) + 4), v.regex(/^[A-Za-z0-9+/]*={0,2}$/)) }),
	/** A member's device whose relay is gone joins the new one with an invitation, as the member it is. */
	rejoin: v.object({ root: Root, ticket: SecretSchema, memberId: MemberId, label: v.optional(Label) })
} as const;
export type AdoptAction = keyof typeof AdoptRequests;
export type AdoptRequest<A extends AdoptAction> = v.InferInput<(typeof AdoptRequests)[A]>;

export const Seeded = v.object({ document: DocumentId });

export const AdoptAnswers = {
	adopt: Granted,
	seed: Seeded,
	rejoin: Granted
} as const satisfies Record<AdoptAction, v.GenericSchema>;
export type AdoptAnswer<A extends AdoptAction> = v.InferOutput<(typeof AdoptAnswers)[A]>;

/** Why the new relay said no; the app words each (reseed.* messages). */
export const ADOPT_REFUSALS = [
	'invalid',
	/** No such code (mistyped). */
	'code',
	'expired',
	'used',
	/** This relay hosts that neighbourhood already: nothing to adopt. */
	'hosted',
	'credential',
	/** Not the device that adopted, or its day to bring documents is over. */
	'forbidden',
	/** The root does not list this document, or another neighbourhood owns it. */
	'unlisted',
	'ticket',
	'removed',
	/** The relay knows no such member, or that member has a device here already. */
	'unknown',
	'tooMany'
] as const;
export type AdoptRefusal = (typeof ADOPT_REFUSALS)[number];
export const AdoptRefusalSchema = v.object({ error: v.picklist(ADOPT_REFUSALS) });
