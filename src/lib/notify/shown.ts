// What the service worker shows for a push, and where tapping it may lead. Pure, so the rules are
// tested without a browser: a payload that is not the contract's (PushPayload) shows only a
// generic line, and a notification only ever opens a page of Noaber itself.
import * as v from 'valibot';
import { m } from '../paraglide/messages.js';
import { PushPayload } from './api.ts';

export const APP_ICON = '/icon-192.png';

export interface Shown {
	title: string;
	options: { body: string; tag?: string; data: { path: string }; icon: string };
	/** For the app icon's badge; absent when the push did not say. */
	count?: number;
}

/** The service worker has no saved choice of language: it follows the browser's. */
export const languageOf = (browserLanguage: string | undefined): 'nl' | 'en' => (browserLanguage?.toLowerCase().startsWith('en') ? 'en' : 'nl');

export function shownFor(text: string | undefined, language: 'nl' | 'en'): Shown {
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	const parsed = v.safeParse(PushPayload, json);
	if (!parsed.success) {
		return { title: m['push.fallback']({}, { locale: language }), options: { body: '', data: { path: '/' }, icon: APP_ICON } };
	}
	const { title, body, tag, path, count } = parsed.output;
	return { title, options: { body, tag, data: { path: openablePath(path) }, icon: APP_ICON }, ...(count === undefined ? {} : { count }) };
}

/**
 * The page a tapped notification opens: a path of this app, never another site. A protocol-relative
 * `//elsewhere` or a backslash trick would leave the origin, so anything odd opens the home page.
 */
export function openablePath(path: unknown): string {
	if (typeof path !== 'string' || !/^\/(?![/\\])/.test(path) || path.includes('\\')) return '/';
	try {
		const url = new URL(path, 'https://noaber.invalid');
		return url.origin === 'https://noaber.invalid' ? `${url.pathname}${url.search}` : '/';
	} catch {
		return '/';
	}
}
