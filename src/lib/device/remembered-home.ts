// The home screen as it was last shown, kept on the device so the next start paints it at once:
// opening the documents takes seconds on a cheap phone (bench/member-device.ts), and a resident
// who sees only "wordt geladen" may think the app is broken. It holds only what the home screen
// shows of the neighbourhood, all of it already in the device's copy, and goes with that copy
// (forget.ts). News is not kept: it is worked out from the documents once they are open. A new
// member's device keeps the one the relay sent with its credential until the documents are here.
import { Home } from '../neighbourhood/home.ts';
import { keepView, keptView, type KeyValue } from './kept-view.ts';

/** One key per neighbourhood, root URL appended. */
export const REMEMBERED_HOME = 'noaber.home.';

export type RememberedHome = Home;

/** Keeps the home screen for the next start. */
export function rememberHome(local: KeyValue, root: string, home: RememberedHome): void {
	keepView(local, REMEMBERED_HOME + root, home);
}

/** The home screen last shown for this neighbourhood; nothing when none was kept or it is damaged. */
export function rememberedHome(local: KeyValue, root: string): RememberedHome | undefined {
	return keptView(local, REMEMBERED_HOME + root, Home);
}
