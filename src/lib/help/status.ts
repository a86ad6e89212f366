// The status a post really has. `status` is one register, so two devices that change it offline
// (one marks the post done while the other accepts a helper) merge to whichever write Automerge
// happens to pick. The timestamps beside it are written once and never cleared, so they tell which
// intent must win: nothing reopens a done post, and only a renewal after it undoes a withdrawal.
import type { Status } from './document.ts';

export interface StatusFields {
	status: Status;
	agreedAt?: string;
	doneAt?: string;
	withdrawnAt?: string;
	renewedAt: string;
}

export function effectiveStatus(post: StatusFields): Status {
	if (post.status === 'done' || post.status === 'withdrawn') return post.status;
	if (post.doneAt) return 'done';
	// Renewal and withdrawal are human-paced (days apart), so device clocks that differ by minutes
	// cannot flip this comparison in practice.
	if (post.withdrawnAt && !(post.renewedAt > post.withdrawnAt)) return 'withdrawn';
	// Acceptance is the only write of `agreedAt`, and it always makes the post agreed.
	if (post.status === 'open' && post.agreedAt) return 'agreed';
	return post.status;
}
