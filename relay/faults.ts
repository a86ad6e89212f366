// What went wrong inside the relay without stopping it. An error that belongs to one document or
// one connection is caught where it happens, logged with a reason and counted here, so the relay
// keeps serving everyone else and an operator (later /metrics) can see how often it happened.
import type { Logger } from './log.ts';

export type FaultReason =
	/** automerge-repo gave up waiting for a document a peer announced and then left (2.5.6). */
	| 'sync-timeout'
	/** Starting to sync a document with a peer failed for another reason. */
	| 'sync-failed'
	/** automerge-repo could not handle one incoming message for a document. */
	| 'receive-failed'
	/** An idle document could not be written before unloading; it stays in memory. */
	| 'unload-failed'
	/** A promise inside automerge-repo rejected with nobody listening: the last line of defence. */
	| 'unhandled-rejection';

export interface FaultContext {
	documentId?: string;
	peer?: string;
}

/** Only the kind and message of an error: never a stack full of document content. */
export function describeError(error: unknown): string {
	if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
		const { name, message } = error as { name?: unknown; message?: unknown };
		return `${typeof name === 'string' ? name : 'Error'}: ${String(message).slice(0, 200)}`;
	}
	return String(error).slice(0, 200);
}

export class Faults {
	readonly counts: Partial<Record<FaultReason, number>> = {};
	#log: Logger;

	constructor(log: Logger) {
		this.#log = log;
	}

	record(reason: FaultReason, error: unknown, context: FaultContext = {}): void {
		this.counts[reason] = (this.counts[reason] ?? 0) + 1;
		this.#log.warn({ reason, ...context, error: describeError(error) }, 'fault contained');
	}

	get total(): number {
		return Object.values(this.counts).reduce((sum, n) => sum + (n ?? 0), 0);
	}
}

/** Whether an error was raised inside automerge-repo (or the Automerge and xstate code it drives). */
export function isFromAutomergeRepo(error: unknown): boolean {
	const stack = typeof error === 'object' && error !== null && 'stack' in error ? String(error.stack) : '';
	return /[\\/]node_modules[\\/](?:@automerge|xstate)[\\/]/.test(stack);
}

type ProcessLike = Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;

/**
 * The last line of defence: automerge-repo 2.5.6 starts promises it never awaits (`void
 * beginSync(...)` and friends), and Node exits on an unhandled rejection. The narrow fixes catch the
 * known ones; any other rejection from inside automerge-repo is logged and counted instead of
 * stopping every neighbourhood. A rejection from anywhere else is a bug in the relay itself: it
 * still stops the process, loudly, as Node would have.
 */
export function containUnhandledRejections(log: Logger, faults: Faults, proc: ProcessLike = process): () => void {
	const listener = (reason: unknown) => {
		if (isFromAutomergeRepo(reason)) {
			faults.record('unhandled-rejection', reason);
			return;
		}
		log.fatal({ error: describeError(reason) }, 'unhandled rejection: stopping');
		log.flush?.();
		proc.exit(1);
	};
	proc.on('unhandledRejection', listener);
	return () => {
		proc.off('unhandledRejection', listener);
	};
}
