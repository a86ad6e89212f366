// This device's side of phone notifications: can it get them at all, and switching them on and off
// both in the browser (PushManager) and at the neighbourhood's relay. A browser holds one push
// subscription per app, shared by every neighbourhood on the device; this device remembers which
// neighbourhoods use it, so switching off in one does not silence another.
import type { Membership } from '../device/memberships.ts';
import { NEWS_KINDS, type NewsKind } from '../news/item.ts';
import type { PushChoice } from './api.ts';
import { pushKey, subscribePush, unsubscribePush, type NotifyProblem, type NotifyTarget } from './client.ts';

/** What only people who run the neighbourhood hear about. */
const MANAGERS_ONLY: readonly NewsKind[] = ['approval-waiting', 'report'];

/** The kinds a member can choose on the profile, in the contract's order. */
export const kindsOffered = (manager: boolean): NewsKind[] => NEWS_KINDS.filter((kind) => manager || !MANAGERS_ONLY.includes(kind));

export type PushSupport = 'ready' | 'unsupported' | 'ios-home-screen' | 'denied';

export interface PushEnvironment {
	userAgent: string;
	maxTouchPoints: number;
	standalone: boolean;
	hasPush: boolean;
	permission: NotificationPermission | undefined;
}

/**
 * Safari on an iPhone or iPad only offers Web Push to a web app on the home screen (iOS 16.4 or
 * newer); in a browser tab it has no PushManager at all, so this is asked before "supported?".
 * An iPad says it is a Mac, but a Mac has no touch screen.
 */
export function pushSupport(env: PushEnvironment): PushSupport {
	const apple = /iPhone|iPad|iPod/.test(env.userAgent) || (/Macintosh/.test(env.userAgent) && env.maxTouchPoints > 1);
	if (apple && !env.standalone) return 'ios-home-screen';
	if (!env.hasPush) return 'unsupported';
	if (env.permission === 'denied') return 'denied';
	return 'ready';
}

export function browserPushEnvironment(): PushEnvironment {
	const nav = navigator as Navigator & { standalone?: boolean };
	return {
		userAgent: nav.userAgent,
		maxTouchPoints: nav.maxTouchPoints ?? 0,
		standalone: nav.standalone === true || matchMedia('(display-mode: standalone)').matches,
		hasPush: 'serviceWorker' in nav && 'PushManager' in window && 'Notification' in window,
		permission: 'Notification' in window ? Notification.permission : undefined
	};
}

const STORAGE_KEY = 'noaber.push';

function rootsWithPush(): string[] {
	try {
		const list: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
		return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [];
	} catch {
		return [];
	}
}

function remember(root: string, on: boolean) {
	const others = rootsWithPush().filter((r) => r !== root);
	localStorage.setItem(STORAGE_KEY, JSON.stringify(on ? [...others, root] : others));
}

export const targetOf = (membership: Membership): NotifyTarget | undefined =>
	membership.credential ? { relay: membership.relay, credential: membership.credential } : undefined;

async function currentSubscription(): Promise<PushSubscription | null> {
	if (!('serviceWorker' in navigator)) return null;
	// Not `ready`: without a worker (yet) that never settles, and leaving must not wait on it.
	const registration = await navigator.serviceWorker.getRegistration();
	return registration?.pushManager ? registration.pushManager.getSubscription() : null;
}

/** Does this device get this neighbourhood's notifications (as far as the browser knows)? */
export async function browserHasPush(root: string): Promise<boolean> {
	return rootsWithPush().includes(root) && (await currentSubscription()) !== null;
}

const decodeKey = (base64url: string): Uint8Array<ArrayBuffer> => {
	const padded = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
	return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
};

const sameKey = (a: ArrayBuffer | null | undefined, b: Uint8Array): boolean => {
	if (!a || a.byteLength !== b.byteLength) return false;
	const view = new Uint8Array(a);
	return view.every((byte, i) => byte === b[i]);
};

export type SwitchOnResult = 'on' | 'denied' | 'dismissed' | 'failed' | NotifyProblem;

/** Asks permission, subscribes this browser with the relay's key and hands the relay the choice. */
export async function switchOn(membership: Membership, choice: PushChoice): Promise<SwitchOnResult> {
	const target = targetOf(membership);
	if (!target) return 'unavailable';
	const permission = await Notification.requestPermission();
	if (permission === 'denied') return 'denied';
	if (permission !== 'granted') return 'dismissed';
	const key = await pushKey(target);
	if (!key.ok) return key.reason;
	let subscription: PushSubscription;
	try {
		const registration = await navigator.serviceWorker.ready;
		const applicationServerKey = decodeKey(key.value.publicKey);
		const existing = await registration.pushManager.getSubscription();
		// Another relay's key cannot be reused: that neighbourhood's relay will find its subscription gone.
		if (existing && !sameKey(existing.options.applicationServerKey, applicationServerKey)) await existing.unsubscribe();
		subscription =
			existing && sameKey(existing.options.applicationServerKey, applicationServerKey)
				? existing
				: await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
	} catch {
		return 'failed';
	}
	const json = subscription.toJSON();
	const answer = await subscribePush(target, {
		subscription: { endpoint: json.endpoint ?? '', expirationTime: json.expirationTime ?? null, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
		choice
	});
	if (!answer.ok) return answer.reason;
	remember(membership.root, true);
	return 'on';
}

/** New choices for a device that already gets notifications. */
export async function saveChoice(membership: Membership, choice: PushChoice): Promise<'saved' | 'failed' | NotifyProblem> {
	const target = targetOf(membership);
	const subscription = await currentSubscription();
	if (!target || !subscription) return 'failed';
	const json = subscription.toJSON();
	const answer = await subscribePush(target, {
		subscription: { endpoint: json.endpoint ?? '', expirationTime: json.expirationTime ?? null, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
		choice
	});
	return answer.ok ? 'saved' : answer.reason;
}

/**
 * The relay forgets this device's subscription, and the browser lets go of it once no other
 * neighbourhood on this device uses it. The browser side happens even when the relay cannot be
 * reached: a subscription the browser dropped gets "gone" from the push service, and the relay
 * then forgets it too.
 */
export async function switchOff(membership: Membership, options: { waitAtMost?: number } = {}): Promise<'off' | NotifyProblem> {
	const target = targetOf(membership);
	const relay = target ? unsubscribePush(target) : Promise.resolve({ ok: true as const, value: {} });
	const waited = options.waitAtMost
		? await Promise.race([relay, new Promise<{ ok: false; reason: 'offline' }>((r) => setTimeout(() => r({ ok: false, reason: 'offline' }), options.waitAtMost))])
		: await relay;
	remember(membership.root, false);
	if (rootsWithPush().length === 0) {
		try {
			await (await currentSubscription())?.unsubscribe();
		} catch {
			// Nothing to let go of, or the browser is shutting down the worker: the relay side counts.
		}
	}
	return waited.ok ? 'off' : waited.reason;
}
