// An organisation both ways: the map's as an HSDS organization, and an HSDS organization planned as
// an addition to the map or a change of one on it.
import { checkOrganization, type OrganizationInput } from '../mutations.ts';
import type { Organization } from '../view.ts';
import { listOf, textOf } from './fields.ts';
import { optional, webAddress } from './formats.ts';
import { partId, toUuid } from './ids.ts';
import { cleanEmail, cleanPhone, cleanWebsite, clipper, LIMITS, reasonOf, type ImportPlan, type ImportRef, type Planned } from './plan.ts';
import type { Raw } from './records.ts';
import type { HsdsOrganization } from './types.ts';

export function exportOrganization(o: Organization): HsdsOrganization {
	return {
		id: toUuid(o.id),
		name: o.name,
		description: o.description,
		...optional('email', o.email),
		...optional('website', webAddress(o.website)),
		phones: o.phone ? [{ id: partId(o.id, 'phone'), number: o.phone }] : []
	};
}

export const organizationForm = (o: Organization): OrganizationInput => ({
	name: o.name,
	description: o.description,
	email: o.email,
	website: o.website,
	phone: o.phone
});

function organizationKey(o: OrganizationInput): string {
	return JSON.stringify([o.name, o.description, o.email, o.website, o.phone]);
}

export function organizationAction(input: OrganizationInput, current: Organization | undefined): Planned<OrganizationInput>['action'] {
	if (!current) return 'add';
	return organizationKey(input) === organizationKey(organizationForm(current)) ? 'unchanged' : 'update';
}

/**
 * Plans one HSDS organization as the map's organisation `id` (`existing` when it is on the map):
 * into `plan.organizations`, or refused with a reason. Returns whether it was taken, which the
 * services that belong to it depend on.
 */
export function planOrganization({ record: o, path }: Raw, id: string, existing: Organization | undefined, plan: ImportPlan): boolean {
	const input: OrganizationInput = existing ? organizationForm(existing) : { name: '', description: '', email: '', website: '', phone: '' };
	const ref: ImportRef = { kind: 'organization', name: 'name' in o ? textOf(o.name) : input.name, path };
	const clip = clipper(ref, plan.notes);
	if ('name' in o) input.name = clip('name', textOf(o.name), LIMITS.name);
	if ('description' in o) input.description = clip('description', textOf(o.description), LIMITS.organizationDescription);
	if ('email' in o) input.email = cleanEmail(textOf(o.email));
	if ('website' in o || 'url' in o) input.website = cleanWebsite(textOf(o.website) || textOf(o.url));
	if ('phones' in o) {
		const phones = listOf(o.phones);
		input.phone = cleanPhone(textOf(phones[0]?.number));
		if (phones.length > 1) plan.notes.push({ ...ref, note: 'phone_dropped', detail: phones.slice(1).map((p) => textOf(p.number)).join(', ') });
	}
	const checked = checkOrganization(input);
	if (!checked.ok) {
		plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
		return false;
	}
	plan.organizations.push({ ...ref, id, action: organizationAction(checked.value, existing), input: checked.value });
	return true;
}
