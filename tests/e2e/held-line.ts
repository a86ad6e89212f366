// A slow line, made exact: on one page, the relay's answers about every document but the first two
// the device asks for (the neighbourhood and its members) are held back, so the modules' documents
// are still on their way. The line can also be dropped; the app then comes back on a new one.
import { cbor } from '@automerge/automerge-repo/slim';
import type { Page } from '@playwright/test';

export interface HeldLine {
	/** The relay's messages held back on the current line (a dropped line's are forgotten). */
	held: number;
	/** Lines the page opened so far. */
	lines: number;
	/** Drops the current line at both ends. */
	drop(): Promise<void>;
}

/** The document an automerge-repo message is about, if any. */
function documentOf(message: string | Buffer): string | undefined {
	if (typeof message === 'string') return undefined;
	const decoded: unknown = cbor.decode(message);
	return decoded && typeof decoded === 'object' && 'documentId' in decoded && typeof decoded.documentId === 'string' ? decoded.documentId : undefined;
}

export async function holdModules(page: Page): Promise<HeldLine> {
	const asked: string[] = [];
	let held = 0;
	const lines: Array<() => Promise<void>> = [];
	await page.routeWebSocket(/\/sync/, (line) => {
		const server = line.connectToServer();
		held = 0;
		lines.push(() => Promise.all([line.close(), server.close()]).then(() => undefined));
		line.onMessage((message) => {
			const documentId = documentOf(message);
			if (documentId && !asked.includes(documentId)) asked.push(documentId);
			server.send(message);
		});
		server.onMessage((message) => {
			const documentId = documentOf(message);
			if (documentId && asked.indexOf(documentId) > 1) held += 1;
			else line.send(message);
		});
	});
	return {
		get held() {
			return held;
		},
		get lines() {
			return lines.length;
		},
		drop: () => lines.at(-1)!()
	};
}
