// Who wants the e-mail digest, kept on the relay only: one file per neighbourhood,
// mail/<id>.json (0600). An e-mail address is personal data no neighbour needs, so it never goes
// into a shared document; the app reads a member's own choice back through the relay.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { DigestChoice } from '../../src/lib/notify/api.ts';
import { readJsonFile, writeJsonFile } from '../json-file.ts';

const Subscription = v.object({
	choice: DigestChoice,
	/** Where the member uses the app: the mail's links point there. */
	origin: v.string(),
	/** Changes when a member subscribes anew, so an old mail's unsubscribe link stops working. */
	nonce: v.string(),
	/** News after this moment goes into the next digest. */
	since: v.string(),
	/** The last sending moment dealt with (sent, or nothing to send). */
	lastSlot: v.string()
});
export type Subscription = v.InferOutput<typeof Subscription>;

const ChoiceFile = v.object({ members: v.record(v.string(), Subscription) });
type ChoiceFile = v.InferOutput<typeof ChoiceFile>;

const NEIGHBOURHOOD_FILE = /^([A-Za-z0-9_-]{1,64})\.json$/;

export class DigestChoices {
	readonly #dir: string;

	constructor(data: string) {
		this.#dir = join(data, 'mail');
	}

	#path(neighbourhood: string) {
		return join(this.#dir, `${neighbourhood}.json`);
	}

	#read(neighbourhood: string): ChoiceFile {
		return readJsonFile(this.#path(neighbourhood), ChoiceFile, () => ({ members: {} }));
	}

	get(neighbourhood: string, member: string): Subscription | undefined {
		const members = this.#read(neighbourhood).members;
		return Object.hasOwn(members, member) ? members[member] : undefined;
	}

	/** Keeps what the member chose; the subscription's history (nonce, since) stays when only the choice changes. */
	set(neighbourhood: string, member: string, make: (before: Subscription | undefined) => Subscription): Subscription {
		const file = this.#read(neighbourhood);
		const before = Object.hasOwn(file.members, member) ? file.members[member] : undefined;
		const after = make(before);
		file.members[member] = after;
		writeJsonFile(this.#path(neighbourhood), file);
		return after;
	}

	/** False when there was nothing to remove. */
	remove(neighbourhood: string, member: string): boolean {
		const file = this.#read(neighbourhood);
		if (!Object.hasOwn(file.members, member)) return false;
		delete file.members[member];
		writeJsonFile(this.#path(neighbourhood), file);
		return true;
	}

	/** Every subscription, neighbourhood by neighbourhood. */
	*all(): Generator<{ neighbourhood: string; member: string; subscription: Subscription }> {
		let files: string[];
		try {
			files = readdirSync(this.#dir);
		} catch {
			return;
		}
		for (const file of files) {
			const neighbourhood = NEIGHBOURHOOD_FILE.exec(file)?.[1];
			if (!neighbourhood) continue;
			for (const [member, subscription] of Object.entries(this.#read(neighbourhood).members)) yield { neighbourhood, member, subscription };
		}
	}
}
