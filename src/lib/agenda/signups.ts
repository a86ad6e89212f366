// Places and the waiting list of one occurrence, derived from the order of sign-ups: the first
// `capacity` people who are still signed up have a place, the rest wait in order. A cancellation
// therefore moves the next person up on every device, with nothing to merge.
import type { Signup } from './schema.ts';

export interface Places {
	participants: Signup[];
	waiting: Signup[];
	/** Places left; Infinity without a limit. */
	free: number;
}

/** Someone signed up for every time who said "deze keer niet" for this date. */
export const isAway = (signup: Signup, rid: string): boolean => signup.occurrence === '' && rid !== '' && rid in (signup.away ?? {});

/** Sign-ups that count for an occurrence: for the whole series, or for this one. */
export function activeSignups(signups: Signup[], rid: string): Signup[] {
	const seen = new Set<string>();
	return signups
		.filter((s) => !s.cancelledAt && (s.occurrence === '' || s.occurrence === rid) && !isAway(s, rid))
		.filter((s) => !seen.has(s.member) && seen.add(s.member));
}

export function places(event: { capacity: number; signups: Signup[] }, rid: string): Places {
	const active = activeSignups(event.signups, rid);
	if (event.capacity <= 0) return { participants: active, waiting: [], free: Infinity };
	return {
		participants: active.slice(0, event.capacity),
		waiting: active.slice(event.capacity),
		free: Math.max(0, event.capacity - active.length)
	};
}

export type SignupStatus =
	| { kind: 'none' }
	| { kind: 'going'; signup: Signup }
	| { kind: 'waiting'; signup: Signup; position: number }
	/** Signed up for every time, but not for this date. */
	| { kind: 'away'; signup: Signup };

export function signupStatus(event: { capacity: number; signups: Signup[] }, rid: string, member: string): SignupStatus {
	const { participants, waiting } = places(event, rid);
	const going = participants.find((s) => s.member === member);
	if (going) return { kind: 'going', signup: going };
	const index = waiting.findIndex((s) => s.member === member);
	if (index >= 0) return { kind: 'waiting', signup: waiting[index], position: index + 1 };
	const away = event.signups.find((s) => s.member === member && !s.cancelledAt && isAway(s, rid));
	if (away) return { kind: 'away', signup: away };
	return { kind: 'none' };
}
