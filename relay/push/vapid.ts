// The relay's own VAPID key pair: push services know the relay by its public key, and every
// browser subscription is bound to it. Made once, on first start, and kept in the data folder:
// new keys would silently orphan every subscription the residents made.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import webpush from 'web-push';
import type { Logger } from '../log.ts';
import { ensureFolder, pushFolder, writeWhole } from './files.ts';

const Key = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/));
const VapidFile = v.object({ publicKey: Key, privateKey: Key, createdAt: v.string() });

export interface Vapid {
	publicKey: string;
	privateKey: string;
	/** `mailto:` or `https:`: whom a push service may contact about this relay's pushes. */
	subject: string;
}

/**
 * The subject push services see: NOABER_PUSH_CONTACT (an e-mail address, or a mailto:/https: URL),
 * else the relay's public https address. Push services refuse anything else, so a relay without
 * either still gets a mailto: of its host, and the operator hears about it once.
 */
export function vapidSubject(contact: string | undefined, publicUrl: string | undefined, log?: Logger): string {
	const given = contact?.trim();
	if (given) {
		if (/^(mailto:|https:\/\/)/.test(given)) return given;
		if (/^[^\s@]+@[^\s@]+$/.test(given)) return `mailto:${given}`;
		throw new Error(`NOABER_PUSH_CONTACT must be an e-mail address or an https: address, not "${given}"`);
	}
	if (publicUrl?.startsWith('https://')) return publicUrl;
	const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
	log?.warn('no NOABER_PUSH_CONTACT and no https public address: push services may refuse this relay\'s notifications');
	return `mailto:noaber@${host}`;
}

export function loadVapid(data: string, subject: string, log?: Logger): Vapid {
	const folder = pushFolder(data);
	ensureFolder(folder);
	const path = join(folder, 'vapid.json');
	if (existsSync(path)) {
		try {
			const kept = v.parse(VapidFile, JSON.parse(readFileSync(path, 'utf8')));
			return { publicKey: kept.publicKey, privateKey: kept.privateKey, subject };
		} catch {
			// Kept aside, not overwritten: an operator restoring a backup may still want it.
			const aside = `${path}.damaged-${Date.now()}`;
			renameSync(path, aside);
			log?.error({ file: aside }, 'the push key file was damaged; new keys made, devices must switch notifications on again');
		}
	}
	const made = webpush.generateVAPIDKeys();
	writeWhole(path, { publicKey: made.publicKey, privateKey: made.privateKey, createdAt: new Date().toISOString() });
	log?.info('push keys made');
	return { ...made, subject };
}
