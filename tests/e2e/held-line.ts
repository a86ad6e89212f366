// A slow line, made exact: on one page, the relay's answers about every document but the first two
// the device asks for (the neighbourhood and its members) are held back, so the modules' documents
// are still on their way; with `answered: 0`, every document is. The line can be dropped (the app
// comes back on a new one) or let go: what was held arrives, and nothing is held any more.
import { cbor } from '@automerge/automerge-repo/slim';
import type { Page } from '@playwright/test';

export interface HeldLine {
	/** The relay's messages held back on the current line (a dropped line's are forgotten). */
	held: number;
	/** Lines the page opened so far. */
	lines: number;
	/** Drops the current line at both ends. */
	drop(): Promise<void>;
	/** Sends on what the current line held, in order, and holds nothing from now on. */
	release(): void;
}

/** The document an automerge-repo message is about, if any. */
function documentOf(message: string | Buffer): string | undefined {
	if (typeof message === 'string') return undefined;
	const decoded: unknown = cbor.decode(message);
	return decoded && typeof decoded === 'object' && 'documentId' in decoded && typeof decoded.documentId === 'string' ? decoded.documentId : undefined;
}

export async function holdModules(page: Page, { answered = 2 } = {}): Promise<HeldLine> {
	const asked: string[] = [];
	let held: Array<() => void> = [];
	let holding = true;
	const lines: Array<() => Promise<void>> = [];
	await page.routeWebSocket(/\/sync/, (line) => {
		const server = line.connectToServer();
		held = [];
		lines.push(() => Promise.all([line.close(), server.close()]).then(() => undefined));
		line.onMessage((message) => {
			const documentId = documentOf(message);
			if (documentId && !asked.includes(documentId)) asked.push(documentId);
			server.send(message);
		});
		server.onMessage((message) => {
			const documentId = documentOf(message);
			if (holding && documentId && asked.indexOf(documentId) >= answered) held.push(() => line.send(message));
			else line.send(message);
		});
	});
	return {
		get held() {
			return held.length;
		},
		get lines() {
			return lines.length;
		},
		drop: () => lines.at(-1)!(),
		release() {
			holding = false;
			for (const send of held.splice(0)) send();
		}
	};
}
