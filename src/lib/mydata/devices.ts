// This member's devices as the relay lists them, for "Mijn gegevens". The relay tells every device
// who it is (`me`); only people who let others in may read the list of members with their devices,
// and of that list only this member's own entry is kept.
import { callAccess } from '../access/client.ts';
import { mayLetIn } from '../access/roles.ts';
import type { Membership } from '../device/memberships.ts';
import type { MyDevice } from './collect.ts';

type Call = typeof callAccess;

/** Undefined when the relay cannot be asked or will not say (offline, an old shared key). */
export async function myDevices(membership: Pick<Membership, 'relay' | 'credential'>, call: Call = callAccess): Promise<MyDevice[] | undefined> {
	if (!membership.credential) return undefined;
	const me = await call(membership.relay, 'me', {}, membership.credential);
	if (!me.ok) return undefined;
	const thisDevice: MyDevice = { id: me.value.deviceId, label: '', thisDevice: true };
	if (!mayLetIn(me.value.roles)) return [thisDevice];
	const list = await call(membership.relay, 'members', {}, membership.credential);
	const mine = list.ok ? list.value.members.find((m) => m.id === me.value.memberId) : undefined;
	if (!mine) return [thisDevice];
	return mine.devices.map((d) => ({
		id: d.id,
		label: d.label,
		createdAt: d.createdAt,
		...(d.lastSeenAt ? { lastSeenAt: d.lastSeenAt } : {}),
		thisDevice: d.id === me.value.deviceId
	}));
}
