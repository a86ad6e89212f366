// Keeps this device's copies in step with erasures on the relay (relay/erase.ts): asks the relay
// which documents were rewritten and replaces every copy here that is from before (erased-copy.ts).
// Asked when the relay connection opens, when the relay says access changed (it does so right
// after an erasure), when the relay refuses this device's changes as erased, and when asked. One
// check at a time; a failed check waits for the next.
import type { PeerId, Repo, StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import { callAccess } from '../access/client.ts';
import { ERASED_RULE, readRefusal } from '../rules/refusal.ts';
import { replaceErasedCopies } from './erased-copy.ts';

export interface CatchUpOptions {
	repo: Repo;
	storage?: StorageAdapterInterface;
	/** The device's own relay; it changes when the neighbourhood moves house. */
	relay: string | (() => string);
	credential: string;
	/**
	 * Which peers are relays. A relay refuses the changes of a copy from before an erasure with a
	 * refusal naming the rule `erased` (relay/referee.ts): then this device checks at once. Other
	 * peers' notices, which a relay passes on, do not count.
	 */
	isRelay?: (peer: PeerId) => boolean;
}

export class ErasureCatchUp {
	#o: CatchUpOptions;
	#running: Promise<number> | undefined;
	#again = false;

	constructor(options: CatchUpOptions) {
		this.#o = options;
		const { isRelay } = options;
		if (!isRelay) return;
		options.repo.networkSubsystem.on('message', (message) => {
			if (message.type === 'ephemeral' && isRelay(message.senderId) && readRefusal(message.data)?.rule === ERASED_RULE) void this.check();
		});
	}

	/** Replaces old copies; resolves with how many were replaced. */
	check(): Promise<number> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = this.#check().finally(() => {
			this.#running = undefined;
			if (this.#again) {
				this.#again = false;
				void this.check();
			}
		});
		return this.#running;
	}

	async #check(): Promise<number> {
		const { repo, storage, credential } = this.#o;
		const relay = typeof this.#o.relay === 'function' ? this.#o.relay() : this.#o.relay;
		// A device still on the old shared key has no credential to ask with.
		if (!credential) return 0;
		const answer = await callAccess(relay, 'erasures', {}, credential);
		if (!answer.ok || answer.value.erasures.length === 0) return 0;
		return replaceErasedCopies({
			repo,
			storage,
			erasures: answer.value.erasures,
			fetchCopy: async (document) => {
				const copy = await callAccess(relay, 'document', { document }, credential);
				return copy.ok ? Uint8Array.from(atob(copy.value.data), (c) => c.charCodeAt(0)) : undefined;
			}
		}).catch(() => 0);
	}
}
