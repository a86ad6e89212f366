// What the relay tells a device when it refuses changes that device sent for a document: an
// automerge-repo `ephemeral` message on that document, CBOR of a `RefusalNotice`. The relay does not
// store or pass on the refused changes; the device takes them out of its copy (automerge/rebase.ts),
// otherwise every sync would offer them again and be refused again. Shared by the relay (which
// writes it) and the app (which reads it); a device believes it only from the relay's own peer id.
import { cbor } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';

export const REFUSED = 'refused';
/**
 * The rule a refusal names when a device offers changes an erasure took out: its copy is from
 * before the erasure, and is to be replaced by the relay's (erase/catch-up.ts), not rebased.
 */
export const ERASED_RULE = 'erased';

/** Far more than one sync message carries; a notice is small whatever a peer sent. */
const MAX_CHANGES = 1000;

const ChangeHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const RefusalNoticeSchema = v.object({
	noaber: v.literal(REFUSED),
	/**
	 * Hex hashes of the changes a rule refused. Not the ones dropped only because they build on a
	 * refused one: the device makes those again, and would lose them if they were named here.
	 */
	changes: v.pipe(v.array(ChangeHash), v.minLength(1), v.maxLength(MAX_CHANGES)),
	/** Which rule refused them, `<module>.<rule>`, e.g. 'help.post-author'. */
	rule: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/), v.maxLength(100)),
	/** Where in the document, e.g. ['posts', '<id>', 'title']. */
	path: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(16)))
});

export type RefusalNotice = v.InferOutput<typeof RefusalNoticeSchema>;

/** The `data` of the ephemeral message the relay sends. */
export function encodeRefusal(notice: RefusalNotice): Uint8Array {
	return new Uint8Array(cbor.encode(v.parse(RefusalNoticeSchema, notice)));
}

/**
 * Reads a notice from an ephemeral message: either its raw `data` or what automerge-repo's
 * `ephemeral-message` event hands over (already decoded). Anything else is not a refusal.
 */
export function readRefusal(data: unknown): RefusalNotice | undefined {
	let value = data;
	if (data instanceof Uint8Array) {
		try {
			value = cbor.decode(data);
		} catch {
			return undefined;
		}
	}
	const read = v.safeParse(RefusalNoticeSchema, value);
	return read.success ? read.output : undefined;
}
