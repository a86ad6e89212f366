import type { ProfileInput } from './schema.ts';
import type { Member } from './view.ts';

export const blankProfile = (): ProfileInput => ({
	name: '',
	area: '',
	phone: '',
	phoneVisibility: 'nobody',
	areaVisibility: 'members',
	helpWith: [],
	helpNote: ''
});

/** A stored profile back into form input, for editing. */
export const profileOf = (member: Member): ProfileInput => ({
	name: member.name,
	area: member.area,
	phone: member.phone,
	phoneVisibility: member.phoneVisibility,
	areaVisibility: member.areaVisibility,
	helpWith: [...member.helpWith],
	helpNote: member.helpNote
});
