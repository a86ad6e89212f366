// A managed resident's consent record: who recorded it (plain: `managedBy` shows it anyway), and
// when and how the resident agreed, sealed to the managers and that intermediary. Records from
// before sealing hold `at` and `how` in plain text.
import * as v from 'valibot';
import { jsonOf } from '../automerge/fields.ts';
import { CONSENT_HOW, type ConsentHow } from './document.ts';
import type { Member } from './schema.ts';

/** Where the sealed part belongs; bound into the seal, so it opens nowhere else. */
export const consentContext = (memberId: string): string => `members/${memberId}/consent`;

export interface ConsentGiven {
	at: string;
	how: ConsentHow;
}

const Sealed = jsonOf(v.object({ at: v.pipe(v.string(), v.isoTimestamp()), how: v.picklist(CONSENT_HOW) }));

/** When and how, if this device may know: `opened` gives the sealed part's text where it can open it. */
export function consentGiven(record: NonNullable<Member['consent']>, opened: (sealed: string) => string | undefined): ConsentGiven | undefined {
	if (record.at && record.how) return { at: record.at, how: record.how };
	const text = record.sealed ? opened(record.sealed) : undefined;
	if (!text) return undefined;
	const read = v.safeParse(Sealed, text);
	return read.success ? read.output : undefined;
}
