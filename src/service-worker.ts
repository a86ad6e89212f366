/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// After the first visit every page works offline: the app shell, the Automerge wasm and the
// static files are precached per version; pages route themselves from the cached shell. A new
// version waits until the person says "Nu bijwerken" (src/lib/offline/app-update.svelte.ts), so
// a page never changes under someone's hands.
import { build, files, version } from '$service-worker';
import { languageOf, openablePath, shownFor } from '$lib/notify/shown.ts';
import { pageAnswer } from '$lib/offline/page-answer.ts';
import { SKIP_WAITING } from '$lib/offline/update-message.ts';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `noaber-${version}`;
const SHELL = '/';
const PRECACHE = [SHELL, ...build, ...files];
const precached = new Set(PRECACHE);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(PRECACHE))
			// The first version takes over at once; a later one waits to be asked.
			.then(() => (sw.registration.active ? undefined : sw.skipWaiting()))
	);
});

sw.addEventListener('message', (event) => {
	if (event.data === SKIP_WAITING) void sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

/** The relay's live endpoints are never cached. */
const live = (path: string) => path === '/sync' || path.startsWith('/api/') || path === '/healthz';

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== sw.location.origin || live(url.pathname)) return;

	if (request.mode === 'navigate') {
		// Network first so a new version shows when online; the cached shell when offline or after
		// three seconds of silence on a weak signal.
		event.respondWith(pageAnswer(fetch(request), async () => (await caches.match(SHELL)) ?? undefined));
		return;
	}
	if (precached.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
	}
});

// Phone notifications (issue #13): the relay's push is shown as it came, or as a generic line when
// it is not what the contract says; the app icon's badge follows the count where supported.
sw.addEventListener('push', (event) => {
	const shown = shownFor(event.data?.text(), languageOf(sw.navigator.language));
	const badge = async () => {
		if (shown.count === undefined || !('setAppBadge' in sw.navigator)) return;
		await (shown.count > 0 ? sw.navigator.setAppBadge(shown.count) : sw.navigator.clearAppBadge()).catch(() => undefined);
	};
	event.waitUntil(Promise.all([sw.registration.showNotification(shown.title, shown.options), badge()]));
});

sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const data: unknown = event.notification.data;
	const path = openablePath(data && typeof data === 'object' && 'path' in data ? data.path : undefined);
	const target = new URL(path, sw.location.origin).href;
	event.waitUntil(
		(async () => {
			const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
			// An open Noaber goes to the page; a new window only when none is open (or it cannot be moved).
			for (const client of windows.filter((c) => new URL(c.url).origin === sw.location.origin)) {
				try {
					// The tap lets the worker bring a window forward for a few seconds: plenty for a
					// page of the same app; a window that will not come forward still shows the page.
					const moved = (await client.navigate(target)) ?? client;
					await moved.focus().catch(() => undefined);
					return;
				} catch {
					// Not ours to move (not yet controlled by this worker): try the next, then open one.
				}
			}
			await sw.clients.openWindow(target);
		})()
	);
});
