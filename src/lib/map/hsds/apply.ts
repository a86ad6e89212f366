// An import plan written to the map. Applying goes through the domain mutations, so a bad file can
// add and change entries but never deletes anything that is on the map.
import {
	addTheme,
	createLocation,
	createOrganization,
	createService,
	editLocation,
	editOrganization,
	editService,
	removeItem,
	restoreItem,
	reviewService,
	type Actor,
	type MapHandle
} from '../mutations.ts';
import type { ImportPlan } from './plan.ts';

/**
 * Writes a plan to the map with the domain mutations and returns how many entries were added and
 * changed. Plan right before applying: an entry someone added in between would be replaced.
 */
export function applyImport(handle: MapHandle, plan: ImportPlan, actor: Actor, now = new Date()): { added: number; updated: number } {
	let added = 0;
	let updated = 0;
	for (const theme of plan.themes) addTheme(handle, theme);
	for (const o of plan.organizations) {
		if (o.action === 'add') createOrganization(handle, o.input, actor, now, o.id);
		else if (o.action === 'update') editOrganization(handle, o.id, o.input, actor, now);
	}
	for (const l of plan.locations) {
		if (l.action === 'add') createLocation(handle, l.input, actor, now, l.id);
		else if (l.action === 'update') editLocation(handle, l.id, l.input, actor, now);
	}
	for (const s of plan.services) {
		if (s.action === 'unchanged') continue;
		if (s.action === 'add') createService(handle, s.input, actor, now, s.id);
		else editService(handle, s.id, s.input, actor, now);
		if (s.removed === true) removeItem(handle, 'service', s.id, 'HSDS: inactive', actor, now);
		else if (s.removed === false && s.action === 'update') restoreItem(handle, 'service', s.id, actor, now);
		if (s.reviewedAt && s.reviewedAt <= now.toISOString()) reviewService(handle, s.id, actor, new Date(s.reviewedAt));
	}
	for (const item of [...plan.organizations, ...plan.locations, ...plan.services]) {
		if (item.action === 'add') added += 1;
		else if (item.action === 'update') updated += 1;
	}
	return { added, updated };
}
