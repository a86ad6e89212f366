// One-time pairing codes: the operator of a relay makes one (`noaber pairing-code`) and hands it to
// a manager of a neighbourhood on another relay, who adds this relay with it. A code is a secret
// like a ticket (`<id>.<secret>`, kept hashed), works for seven days and only once. One small
// file in the data folder, pairing-codes.json (0600), written whole.
import { join } from 'node:path';
import * as v from 'valibot';
import { parseSecret } from '../src/lib/access/secret.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { makeSecret, matches } from './secrets.ts';

export const PAIRING_CODE_MS = 7 * 24 * 60 * 60 * 1000;
/** A used or expired code is kept this long so that whoever tries it hears why it no longer works. */
const KEPT_MS = 30 * 24 * 60 * 60 * 1000;

const CodesFile = v.object({
	codes: v.record(v.string(), v.object({ hash: v.string(), createdAt: v.string(), expiresAt: v.string(), usedAt: v.optional(v.string()) }))
});
type Codes = v.InferOutput<typeof CodesFile>;

export type CodeCheck = 'ok' | 'ticket' | 'used' | 'expired';

const file = (data: string) => join(data, 'pairing-codes.json');
const read = (data: string): Codes => readJsonFile(file(data), CodesFile, () => ({ codes: {} }));

export function makePairingCode(data: string, now = Date.now()): { code: string; expiresAt: string } {
	const codes = read(data);
	for (const [id, code] of Object.entries(codes.codes)) if (Date.parse(code.expiresAt) + KEPT_MS <= now) delete codes.codes[id];
	const made = makeSecret(24);
	const expiresAt = new Date(now + PAIRING_CODE_MS).toISOString();
	codes.codes[made.id] = { hash: made.hash, createdAt: new Date(now).toISOString(), expiresAt };
	writeJsonFile(file(data), codes);
	return { code: made.full, expiresAt };
}

function check(codes: Codes, code: string, now: number): { result: CodeCheck; id?: string } {
	const parsed = parseSecret(code);
	const record = parsed && Object.hasOwn(codes.codes, parsed.id) ? codes.codes[parsed.id] : undefined;
	if (!parsed || !record || !matches(parsed.secret, record.hash)) return { result: 'ticket' };
	if (record.usedAt) return { result: 'used' };
	if (Date.parse(record.expiresAt) <= now) return { result: 'expired' };
	return { result: 'ok', id: parsed.id };
}

/** Whether the code would let a relay pair, without using it up. */
export function checkPairingCode(data: string, code: string, now = Date.now()): CodeCheck {
	return check(read(data), code, now).result;
}

/** Uses the code up; 'ok' only the first time. */
export function usePairingCode(data: string, code: string, now = Date.now()): CodeCheck {
	const codes = read(data);
	const { result, id } = check(codes, code, now);
	if (result !== 'ok' || !id) return result;
	codes.codes[id]!.usedAt = new Date(now).toISOString();
	writeJsonFile(file(data), codes);
	return 'ok';
}
