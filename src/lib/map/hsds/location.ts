// A location both ways: the map's as an HSDS location with its address and accessibility, and an
// HSDS location planned as an addition to the map or a change of one on it.
import { checkLocation, type LocationInput } from '../mutations.ts';
import type { Location } from '../view.ts';
import { listOf, numberOf, textOf, type Obj } from './fields.ts';
import { partId, toUuid } from './ids.ts';
import { clipper, LIMITS, reasonOf, type ImportPlan, type ImportRef, type Planned } from './plan.ts';
import type { Raw } from './records.ts';
import type { HsdsLocation } from './types.ts';

export function exportLocation(l: Location): HsdsLocation {
	const id = toUuid(l.id);
	return {
		id,
		location_type: 'physical',
		name: l.name,
		...(l.lat !== undefined && l.lon !== undefined ? { latitude: l.lat, longitude: l.lon } : {}),
		transportation: l.transport,
		addresses:
			l.street || l.postcode || l.city
				? [{ id: partId(l.id, 'address'), location_id: id, address_1: l.street, city: l.city, state_province: '', postal_code: l.postcode, country: 'NL', address_type: 'physical' }]
				: [],
		accessibility: l.accessibility ? [{ id: partId(l.id, 'accessibility'), location_id: id, description: l.accessibility }] : []
	};
}

export const locationForm = (l: Location): LocationInput => ({
	name: l.name,
	street: l.street,
	postcode: l.postcode,
	city: l.city,
	...(l.lat !== undefined && l.lon !== undefined ? { lat: l.lat, lon: l.lon } : {}),
	accessibility: l.accessibility,
	transport: l.transport
});

/** Postcodes are stored as '1234 AB' (see the location mutations); compare them the same way. */
export const postcodeOf = (s: string) => s.trim().toUpperCase().replace(/^(\d{4})\s?/, '$1 ');

function locationKey(l: LocationInput): string {
	return JSON.stringify([l.name, l.street, postcodeOf(l.postcode), l.city, l.lat ?? null, l.lon ?? null, l.accessibility, l.transport]);
}

export function locationAction(input: LocationInput, current: Location | undefined): Planned<LocationInput>['action'] {
	if (!current) return 'add';
	return locationKey(input) === locationKey(locationForm(current)) ? 'unchanged' : 'update';
}

/** The address of an HSDS location the map keeps (the physical one, else the first), and its street. */
export function addressOf(o: Obj): { address: Obj; street: string } {
	const addresses = listOf(o.addresses);
	const address = addresses.find((a) => textOf(a.address_type) === 'physical') ?? addresses[0] ?? {};
	const street = [textOf(address.address_1), textOf(address.address_2)].filter(Boolean).join(', ');
	return { address, street };
}

/**
 * Plans one HSDS location as the map's location `id` (`existing` when it is on the map): into
 * `plan.locations`, or refused with a reason. Returns whether it was taken, which the services
 * offered there depend on.
 */
export function planLocation({ record: o, path }: Raw, id: string, existing: Location | undefined, plan: ImportPlan): boolean {
	const { address, street } = addressOf(o);
	const input: LocationInput = existing
		? locationForm(existing)
		: { name: '', street: '', postcode: '', city: '', accessibility: '', transport: '' };
	const ref: ImportRef = { kind: 'location', name: textOf(o.name) || (existing ? input.name : street), path };
	const clip = clipper(ref, plan.notes);
	if ('name' in o || !existing) input.name = clip('name', textOf(o.name) || street, LIMITS.name);
	if ('addresses' in o) {
		input.street = clip('street', street, LIMITS.street);
		input.postcode = textOf(address.postal_code);
		input.city = clip('city', textOf(address.city), LIMITS.city);
	}
	if ('latitude' in o || 'longitude' in o) {
		const lat = numberOf(o.latitude);
		const lon = numberOf(o.longitude);
		if ((lat === undefined) !== (lon === undefined)) {
			plan.refused.push({ ...ref, reason: 'bad_coordinates', field: lat === undefined ? 'lat' : 'lon' });
			return false;
		}
		delete input.lat;
		delete input.lon;
		if (lat !== undefined && lon !== undefined) Object.assign(input, { lat, lon });
	}
	if ('accessibility' in o) {
		const access = listOf(o.accessibility)
			.map((a) => [textOf(a.description), textOf(a.details)].filter(Boolean).join(' '))
			.filter(Boolean)
			.join('\n');
		input.accessibility = clip('accessibility', access, LIMITS.accessibility);
	}
	if ('transportation' in o) input.transport = clip('transport', textOf(o.transportation), LIMITS.transport);
	const checked = checkLocation(input);
	if (!checked.ok) {
		plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
		return false;
	}
	const value = { ...checked.value, postcode: checked.value.postcode ? postcodeOf(checked.value.postcode) : '' };
	plan.locations.push({ ...ref, id, action: locationAction(value, existing), input: value });
	return true;
}
