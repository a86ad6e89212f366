// The digest actions of /api/notify: a member switches the e-mail digest on, changes it or
// switches it off; the profile reads the member's choice and whether e-mail is offered at all.
import type { DigestChoice, NotifyAnswer, NotifyRequest } from '../../src/lib/notify/api.ts';
import type { Holder } from '../access-book.ts';
import type { ActionAnswer } from '../report-actions.ts';
import type { MailDigests } from './digests.ts';

/** `body` was checked against NotifyRequests.digest by the caller; `origin` is where the member uses the app. */
export function handleDigestAction(body: unknown, holder: Holder, digests: MailDigests, origin: string): ActionAnswer {
	const { choice } = body as NotifyRequest<'digest'>;
	const ok = digests.choose(holder.neighbourhood, holder.memberId, (choice as DigestChoice | null) ?? null, origin);
	return ok ? {} : { refused: 'unavailable' };
}

/** The e-mail half of the `choices` answer; the push half is the push module's. */
export function mailChoices(holder: Holder, digests: MailDigests): Pick<NotifyAnswer<'choices'>, 'digest' | 'mailAvailable'> {
	return { digest: digests.available ? digests.choice(holder.neighbourhood, holder.memberId) : null, mailAvailable: digests.available };
}
