// After a link is followed the focus goes back to the top of the page, as a browser does when it
// loads a page: a keyboard or screen reader user starts again at the skip link. SvelteKit does so
// in the tap's own task, where focusing makes the browser work out the new page's styles at once
// (10 to 20 ms of that task on the cheap phone, bench/member-device.ts). Links keep their focus
// instead (app.html: data-sveltekit-keepfocus) and this puts it back once the new page is drawn,
// when the styles are there and focusing costs next to nothing.
import { afterNextPaint } from '../automerge/next-paint.ts';

/**
 * Moves the focus to the top of the page after the next paint, unless something took it meanwhile
 * (a page that focuses a field, a finger that tapped one). True when it moved the focus.
 */
export async function focusTopAfterPaint(focusedBefore: Element | null, paint: () => Promise<void> = afterNextPaint): Promise<boolean> {
	await paint();
	const now = document.activeElement;
	if (now && now !== document.body && now !== focusedBefore) return false;
	const body = document.body;
	const tabindex = body.getAttribute('tabindex');
	body.tabIndex = -1;
	body.focus({ preventScroll: true });
	if (tabindex === null) body.removeAttribute('tabindex');
	else body.setAttribute('tabindex', tabindex);
	// Text selected on the page before is not where reading starts now.
	const selection = getSelection();
	if (selection && selection.type !== 'None') selection.removeAllRanges();
	return true;
}
