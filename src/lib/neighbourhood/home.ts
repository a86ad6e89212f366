// What the home screen shows of a neighbourhood, without its news: worked out from the root and the
// members list. The app keeps it on the device to paint home at once (device/remembered-home.ts);
// the relay sends it with a new member's credential, so a resident who taps "Klaar" sees their
// neighbourhood's home straight away instead of waiting for the documents on a slow line.
import * as v from 'valibot';
import type { Member } from '../members/schema.ts';
import type { Neighbourhood } from './schema.ts';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const Home = v.object({
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
export type Home = v.InferOutput<typeof Home>;

/** `members`: those who still take part; `managed`: the residents this member acts for. */
export function homeOf(view: { neighbourhood: Neighbourhood; members: readonly Member[]; manager: boolean; managed: readonly Member[] }): Home {
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
