// The operator configures the relay through the environment; everything has a default that works
// on a laptop.
import { DEFAULT_QUIET, type QuietHours } from './push/quiet-hours.ts';
import { resolve } from 'node:path';
import { parseAllowedHosts, parsePublicUrl } from './origin.ts';
import { changeLimitsFromEnv, type ChangeLimits } from './change-limits.ts';
import { parseTrustedProxies, TRUSTED_PROXIES_VARIABLE } from './client-address.ts';
import { mailConfigFromEnv, type MailConfig } from './mail/config.ts';

export interface RelayConfig {
	port: number;
	host: string;
	data: string;
	/** The address residents use; when unset, links are built from each request's Host header. */
	publicUrl: string | undefined;
	/** Host headers that may be put in links when publicUrl is unset, besides this machine's own. */
	allowedHosts?: string[];
	app: string;
	logLevel: string;
	/** Largest websocket frame accepted; a first sync of a big document is the largest legitimate one. */
	maxPayload: number;
	/** Limits on changes set by NOABER_MAX_… variables (README "Limits"). */
	limits: Partial<ChangeLimits>;
	/** How long automerge-repo waits for a document a peer announced before giving up on it. */
	syncTimeoutMs: number;
	/** Documents no peer used for this long leave memory; they come back from disk on demand. */
	idleUnloadMs: number;
	/**
	 * Whether every incoming change is judged by the modules' rules (README "Who may change what").
	 * Off only for tests of the relay's storage and network plumbing, which sync documents that are
	 * no neighbourhood's: with it off, any member can change or empty anything.
	 */
	judge: boolean;
	/** NOABER_SMTP_URL and NOABER_MAIL_FROM: without them no e-mail digest is offered. */
	mail?: MailConfig;
	/** NOABER_PUSH_CONTACT: whom push services may write about this relay's notifications. */
	pushContact?: string;
	/** NOABER_QUIET_HOURS ("21-8", the default, or "off"): when notifications wait for the morning. */
	quietHours: QuietHours;
	/** NOABER_NOTIFICATIONS: off for a relay that cannot reach the internet; no news is worked out then. */
	notifications: boolean;
	/** NOABER_TRUSTED_PROXIES as given (checked at start): reverse proxies whose X-Forwarded-For is believed. */
	trustedProxies?: string;
}

/** "21-8": from 21.00 to 08.00 in Amsterdam; "off": notifications go out at any hour. */
function quietHoursFromEnv(env: NodeJS.ProcessEnv): QuietHours {
	const given = env.NOABER_QUIET_HOURS;
	if (given === undefined || given === '') return DEFAULT_QUIET;
	if (given === 'off') return { ...DEFAULT_QUIET, from: 0, until: 0 };
	const match = /^(\d{1,2})-(\d{1,2})$/.exec(given);
	const [from, until] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
	if (!(from >= 0 && from <= 23 && until >= 0 && until < from)) {
		throw new Error(`NOABER_QUIET_HOURS must be an evening and a morning hour like "21-8" (from 21.00 to 08.00) or "off", not "${given}"`);
	}
	return { ...DEFAULT_QUIET, from, until };
}

/** A whole number of milliseconds from the environment, within reason, or the default. */
function millisFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
	const given = env[name];
	if (given === undefined || given === '') return fallback;
	const ms = Number(given);
	if (!Number.isInteger(ms) || ms < min || ms > max) throw new Error(`${name} must be a number of milliseconds from ${min} to ${max}, not "${given}"`);
	return ms;
}

/** 'on' or 'off'; anything else is a mistake the operator should hear about, not a guess. */
function switchFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
	const given = env[name];
	if (given === undefined || given === '') return fallback;
	if (given === 'on' || given === 'off') return given === 'on';
	throw new Error(`${name} must be "on" or "off", not "${given}"`);
}

/** A whole number of bytes from the environment, within reason, or the default. */
function bytesFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
	const given = env[name];
	if (given === undefined || given === '') return fallback;
	const bytes = Number(given);
	if (!/^\d+$/.test(given) || bytes < min || bytes > max) throw new Error(`${name} must be a whole number of bytes from ${min} to ${max}, not "${given}"`);
	return bytes;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RelayConfig {
	const port = Number(env.PORT || 3000);
	if (!/^\d+$/.test(env.PORT || '3000') || port > 65535) {
		throw new Error(`PORT must be a port number, not "${env.PORT}"`);
	}
	const logLevel = env.LOG_LEVEL || 'info';
	if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
	return {
		port,
		host: env.HOST ?? '0.0.0.0',
		data: resolve(env.NOABER_DATA ?? './data'),
		publicUrl: parsePublicUrl(env.NOABER_PUBLIC_URL),
		allowedHosts: parseAllowedHosts(env.NOABER_ALLOWED_HOSTS),
		app: resolve(env.NOABER_APP ?? './build'),
		logLevel,
		// At least a sync message of a small change; at most what Node can hold in one buffer with room to spare.
		maxPayload: bytesFromEnv(env, 'NOABER_MAX_FRAME', 32 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
		limits: changeLimitsFromEnv(env),
		syncTimeoutMs: millisFromEnv(env, 'NOABER_SYNC_TIMEOUT_MS', 60_000, 100, 60_000),
		idleUnloadMs: millisFromEnv(env, 'NOABER_IDLE_UNLOAD_MS', 5 * 60_000, 250, 24 * 3600_000),
		judge: switchFromEnv(env, 'NOABER_RULES', true),
		mail: mailConfigFromEnv(env),
		pushContact: env.NOABER_PUSH_CONTACT || undefined,
		quietHours: quietHoursFromEnv(env),
		notifications: switchFromEnv(env, 'NOABER_NOTIFICATIONS', true),
		trustedProxies: parseTrustedProxies(env[TRUSTED_PROXIES_VARIABLE]) ? env[TRUSTED_PROXIES_VARIABLE] : undefined
	};
}

/** Where links point when no request tells us the host (the operator command). */
export const publicOrigin = (config: RelayConfig): string => config.publicUrl ?? `http://localhost:${config.port}`;
