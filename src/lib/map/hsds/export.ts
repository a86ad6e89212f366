// The social map in Open Referral HSDS 3.0, the format municipal and regional social maps
// exchange.
import type { MapRead, Service } from '../view.ts';
import { partId, toUuid } from './ids.ts';
import { exportLocation } from './location.ts';
import { exportOrganization } from './organization.ts';
import { exportService } from './service.ts';
import type { HsdsExport } from './types.ts';

/**
 * The whole map as HSDS 3.0. Removed services are kept as 'inactive' (so other maps drop them
 * too); removed locations are left out, and a removed organisation only appears for its services,
 * which are then inactive. Opening hours are Dutch wall-clock times.
 */
export function toHsds(map: MapRead, options: { now?: Date } = {}): HsdsExport {
	const organizations = new Map(map.organizations.map((o) => [o.id, o]));
	const locations = map.locations.filter((l) => !l.removed);
	const present = new Set(locations.map((l) => l.id));
	const gone = (s: Service) => organizations.get(s.organization)?.removed != null;
	const services = map.services.map((s) => exportService(s, gone(s)));
	const used = new Set(map.services.map((s) => s.organization));
	const exportedOrganizations = [...organizations.values()]
		.filter((o) => !o.removed || used.has(o.id))
		.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id))
		.map(exportOrganization);
	return {
		version: '3.0',
		exported_at: (options.now ?? new Date()).toISOString(),
		organizations: exportedOrganizations,
		services,
		locations: [...locations].sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id)).map(exportLocation),
		service_at_locations: map.services.flatMap((s) =>
			[...s.locationIds]
				.filter((l) => present.has(l))
				.sort()
				.map((l) => ({ id: partId(s.id, 'service_at_location', l), service_id: toUuid(s.id), location_id: toUuid(l) }))
		)
	};
}
