// The relay's register of one neighbourhood as a manager or intermediary sees it (`members`),
// loaded with this device's credential, and the changes they make to it. After a change the
// register is read again, so the screen shows what the relay now holds, not what we hoped.
import type { Membership } from '../device/memberships.ts';
import type { Action, Members, Request } from './api.ts';
import { callAccess, type Outcome } from './client.ts';

export type RegisterProblem = 'offline' | 'forbidden';

export class Register {
	value = $state<Members>();
	problem = $state<RegisterProblem>();
	loading = $state(false);
	readonly #membership: () => Membership;

	constructor(membership: () => Membership) {
		this.#membership = membership;
	}

	async load(): Promise<void> {
		const membership = this.#membership();
		this.loading = true;
		const answer = await callAccess(membership.relay, 'members', {}, membership.credential);
		this.loading = false;
		if (answer.ok) {
			this.value = answer.value;
			this.problem = undefined;
		} else {
			// Refused for this device (no role, removed, still waiting) is not something a retry fixes.
			this.problem = answer.reason === 'offline' || answer.reason === 'invalid' || answer.reason === 'tooMany' ? 'offline' : 'forbidden';
		}
	}

	async act<A extends Action>(action: A, body: Request<A>): Promise<Outcome<A>> {
		const membership = this.#membership();
		const answer = await callAccess(membership.relay, action, body, membership.credential);
		await this.load();
		return answer;
	}
}
