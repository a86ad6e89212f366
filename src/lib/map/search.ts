// Finding a service: search without caring about accents or case, filters, "now open", what
// needs checking, and what is nearest when there is no map to look at.
import { isOpenAt } from './hours.ts';
import type { Location, MapRead, Service } from './view.ts';
import { fold } from '../text/fold.ts';

export interface ServiceFilter {
	query?: string;
	theme?: string;
	openAt?: string;
	free?: boolean;
	language?: string;
	includeRemoved?: boolean;
}

export function filterServices(map: MapRead, filter: ServiceFilter): Service[] {
	const query = fold(filter.query?.trim() ?? '');
	const organisation = new Map(map.organizations.map((o) => [o.id, o.name]));
	return map.services.filter((s) => {
		if (s.removed && !filter.includeRemoved) return false;
		if (filter.theme && !s.themes.includes(filter.theme)) return false;
		if (filter.free && !s.free) return false;
		if (filter.language && !s.languages.includes(filter.language)) return false;
		if (filter.openAt && !isOpenAt(s.schedules, filter.openAt)) return false;
		if (!query) return true;
		return fold(`${s.name} ${s.description} ${s.forWhom} ${organisation.get(s.organization) ?? ''}`).includes(query);
	});
}

/** Services grouped under their themes, in the order of the neighbourhood's themes; others last. */
export function byTheme(services: Service[], themes: string[]): { theme: string; services: Service[] }[] {
	const groups = themes.map((theme) => ({ theme, services: services.filter((s) => s.themes.includes(theme)) }));
	const other = services.filter((s) => !s.themes.some((t) => themes.includes(t)));
	if (other.length) groups.push({ theme: '', services: other });
	return groups.filter((g) => g.services.length > 0);
}

const YEAR_MS = 365 * 24 * 3600_000;

/** Not checked for twelve months: the entry may be out of date. */
export const needsReview = (service: Service, now: Date): boolean =>
	!service.removed && now.getTime() - Date.parse(service.reviewed.at) > YEAR_MS;

/** Kilometres between two points, along the earth's surface. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLon = (b.lon - a.lon) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export interface Placed {
	service: Service;
	location?: Location;
	km?: number;
}

/** Each service at its nearest location, nearest first; services without coordinates last. */
export function byDistance(services: Service[], locations: Location[], centre: { lat: number; lon: number } | null): Placed[] {
	const byId = new Map(locations.filter((l) => !l.removed).map((l) => [l.id, l]));
	const placed = services.map((service): Placed => {
		const options = service.locationIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
		if (!centre) return { service, location: options[0] };
		let best: Placed = { service, location: options[0] };
		for (const location of options) {
			if (location.lat === undefined || location.lon === undefined) continue;
			const km = distanceKm(centre, { lat: location.lat, lon: location.lon });
			if (best.km === undefined || km < best.km) best = { service, location, km };
		}
		return best;
	});
	return placed.sort((a, b) => (a.km ?? Infinity) - (b.km ?? Infinity) || a.service.name.localeCompare(b.service.name, 'nl'));
}
