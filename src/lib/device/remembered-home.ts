// The home screen as it was last shown, kept on the device so the next start paints it at once:
// opening the documents takes seconds on a cheap phone (bench/member-device.ts), and a resident
// who sees only "wordt geladen" may think the app is broken. It holds only what the home screen
// shows of the neighbourhood, all of it already in the device's copy, and goes with that copy
// (forget.ts). News is not kept: it is worked out from the documents once they are open.
import * as v from 'valibot';
import type { CurrentView } from './current.ts';
import { keepView, keptView, type KeyValue } from './kept-view.ts';

/** One key per neighbourhood, root URL appended. */
export const REMEMBERED_HOME = 'noaber.home.';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

const Home = v.object({
	name: text(200),
	description: text(2000),
	area: text(1000),
	contact: v.object({ name: text(200), phone: text(100), hours: text(500) }),
	modules: v.object({ help: v.boolean(), agenda: v.boolean(), map: v.boolean() }),
	members: v.pipe(v.number(), v.integer(), v.minValue(0)),
	manager: v.boolean(),
	/** Acts for residents without a device: the home screen links to them. */
	actsForOthers: v.boolean()
});
export type RememberedHome = v.InferOutput<typeof Home>;

/** What the home screen shows of an open neighbourhood, without its news. */
export function homeOf(view: Pick<CurrentView, 'neighbourhood' | 'members' | 'manager' | 'managed'>): RememberedHome {
	const { neighbourhood: n } = view;
	return {
		name: n.name,
		description: n.description,
		area: n.area.description,
		contact: { ...n.contact },
		modules: { ...n.settings.modules },
		members: view.members.length,
		manager: view.manager,
		actsForOthers: view.managed.length > 0
	};
}

/** Keeps the home screen for the next start. */
export function rememberHome(local: KeyValue, root: string, home: RememberedHome): void {
	keepView(local, REMEMBERED_HOME + root, home);
}

/** The home screen last shown for this neighbourhood; nothing when none was kept or it is damaged. */
export function rememberedHome(local: KeyValue, root: string): RememberedHome | undefined {
	return keptView(local, REMEMBERED_HOME + root, Home);
}
