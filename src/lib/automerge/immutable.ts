// Writing a short value nobody edits together (id, status, date, URL) as one op instead of one per
// character. Apart from fields.ts, which only reads: this is the one field helper that needs the
// Automerge package itself.
import { ImmutableString } from '@automerge/automerge/slim';

/** A short value nobody edits together, written as an Automerge immutable string. */
export const imm = (value: string): ImmutableString => new ImmutableString(value);
