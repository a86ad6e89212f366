// Opening a sealed text costs a few milliseconds on a slow phone; a page shows the same texts on
// every re-render, so each is opened once per ring.
import { currentKey, type KeyRing } from './keys.ts';
import { open } from './sealing.ts';

const MAX = 2000;
const opened = new Map<string, Promise<string | undefined>>();

export function openOnce(sealed: string, rings: readonly KeyRing[], context: string): Promise<string | undefined> {
	const key = `${rings.map((r) => `${r.member}.${currentKey(r).n}`).join(',')}\n${context}\n${sealed}`;
	let text = opened.get(key);
	if (!text) {
		text = open(sealed, rings, context);
		opened.set(key, text);
		if (opened.size > MAX) opened.delete(opened.keys().next().value!);
	}
	return text;
}
