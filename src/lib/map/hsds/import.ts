// An HSDS file as an import plan. The import is planned first (checked with the same rules as the
// forms, matched by id, nothing written), so a manager sees what would be added, changed and
// refused before anything happens; `applyImport` then writes it.
import { isRecord } from '../../automerge/fields.ts';
import type { MapRead } from '../view.ts';
import { textOf } from './fields.ts';
import { idResolver } from './ids.ts';
import { addressOf, planLocation } from './location.ts';
import { planOrganization } from './organization.ts';
import { emptyPlan, MAX_IMPORT_RECORDS, themeMatcher, type ImportPlan } from './plan.ts';
import { collect } from './records.ts';
import { planService, type ServiceLink, type ServiceRefs } from './service.ts';

/**
 * What importing this HSDS file would do to the map: records matched by id are updated, the rest
 * added; each record is checked with the forms' rules and refused with a reason when it fails. A
 * file that is not HSDS, or has more than 5,000 records, is refused as a whole. Never throws.
 */
export function planHsdsImport(json: unknown, current: MapRead): ImportPlan {
	const plan = emptyPlan();
	try {
		planInto(plan, json, current);
	} catch {
		// Input is any JSON; should an unforeseen shape slip through, the file is refused rather than half-planned.
		return { ...emptyPlan(), refused: [{ kind: 'file', name: '', reason: 'invalid' }] };
	}
	return plan;
}

function planInto(plan: ImportPlan, json: unknown, current: MapRead): void {
	const collected = collect(json);
	if (!collected) {
		plan.refused.push({ kind: 'file', name: '', reason: 'not_hsds' });
		return;
	}
	if (collected.count > MAX_IMPORT_RECORDS) {
		plan.refused.push({ kind: 'file', name: '', reason: 'too_many' });
		return;
	}
	for (const path of collected.unknown) plan.refused.push({ kind: 'file', name: '', path, reason: 'invalid' });
	const resolve = idResolver(current);
	const orgs = new Map(current.organizations.map((o) => [o.id, o]));
	const places = new Map(current.locations.map((l) => [l.id, l]));
	const services = new Map(current.services.map((s) => [s.id, s]));
	const theme = themeMatcher(current.themes, plan);

	// A field the record leaves out keeps its value on the map: summaries such as the paged lists
	// of the HSDS API leave out phones and hours, which must not wipe them. New entries start empty.
	const acceptedOrganizations = new Set<string>();
	const refusedOrganizations = new Set<string>();
	const seen = new Set<string>();
	for (const raw of collected.organizations) {
		const id = resolve(raw.record.id, `organization:${textOf(raw.record.name)}`);
		if (seen.has(id)) continue;
		seen.add(id);
		(planOrganization(raw, id, orgs.get(id), plan) ? acceptedOrganizations : refusedOrganizations).add(id);
	}

	const acceptedLocations = new Set<string>();
	seen.clear();
	for (const raw of collected.locations) {
		const id = resolve(raw.record.id, `location:${textOf(raw.record.name) || addressOf(raw.record).street}`);
		if (seen.has(id)) continue;
		seen.add(id);
		if (planLocation(raw, id, places.get(id), plan)) acceptedLocations.add(id);
	}

	const links = new Map<string, ServiceLink[]>();
	for (const { record: o, path, parent } of collected.links) {
		const service = resolve(o.service_id ?? parent ?? (isRecord(o.service) ? o.service.id : undefined), `link:${path}`);
		const location = resolve(o.location_id ?? (isRecord(o.location) ? o.location.id : undefined), `link:${path}`);
		const list = links.get(service);
		if (list) list.push({ location, path });
		else links.set(service, [{ location, path }]);
	}

	const refs: ServiceRefs = {
		resolve,
		organization: (id: string) => !refusedOrganizations.has(id) && (acceptedOrganizations.has(id) || orgs.has(id)),
		location: (id: string) => acceptedLocations.has(id) || places.has(id),
		theme,
		links,
		linkTable: collected.linkTable
	};
	seen.clear();
	for (const raw of collected.services) {
		const id = resolve(raw.record.id, `service:${textOf(raw.record.name)}`);
		if (seen.has(id)) continue;
		seen.add(id);
		planService(raw, id, services.get(id), plan, refs);
	}
	const used = new Set(plan.services.flatMap((s) => s.input.themes));
	plan.themes = plan.themes.filter((t) => used.has(t));
}
