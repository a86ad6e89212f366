// The one-time setup link: lets the first community manager create a neighbourhood in the browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = (data: string) => join(data, 'setup-token');
const USED_MARGIN_MS = 2000;

export function currentSetupToken(data: string): string | undefined {
	return existsSync(file(data)) ? readFileSync(file(data), 'utf8').trim() || undefined : undefined;
}

export function issueSetupToken(data: string): string {
	const token = randomBytes(18).toString('base64url');
	restoreSetupToken(data, token);
	return token;
}

/** Writes a token; written whole (tmp + rename) so a reader never sees half of it. */
export function restoreSetupToken(data: string, token: string): void {
	const tmp = `${file(data)}.${process.pid}.tmp`;
	writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
	renameSync(tmp, file(data));
}

export function setupTokenMatches(data: string, given: unknown): boolean {
	const token = currentSetupToken(data);
	if (!token || typeof given !== 'string') return false;
	const a = Buffer.from(token);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}

export function consumeSetupToken(data: string): void {
	rmSync(file(data), { force: true });
}

export const setupLink = (origin: string, token: string): string => `${origin}/setup#token=${token}`;

/**
 * A token issued before a neighbourhood was created has been used up, however that neighbourhood
 * came about (the setup link, `noaber create`, or an older relay that left the token in place).
 * Removes such a token; true when it did.
 */
export function retireUsedSetupToken(data: string, createdAt: string[]): boolean {
	let issued: number;
	try {
		issued = statSync(file(data)).mtimeMs;
	} catch {
		return false;
	}
	const newest = Math.max(...createdAt.map((at) => Date.parse(at)).filter(Number.isFinite));
	// File times come from the kernel's coarse clock (a few ms behind Date.now()), so a link issued
	// right after a creation could look older than it. Every creation now removes the token itself;
	// this rule is for tokens an older relay left behind, created long before.
	if (!(newest > issued + USED_MARGIN_MS)) return false;
	consumeSetupToken(data);
	return true;
}
