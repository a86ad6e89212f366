// The social map as the app shows it: validated organisations, services and locations, with
// each service's phones, opening hours and places resolved. Invalid items are skipped and counted.
import * as v from 'valibot';
import { str, isRecord } from '../automerge/fields.ts';
import {
	LocationView,
	OrganizationView,
	PhoneView,
	ScheduleView,
	ServiceAtLocationView,
	ServiceCore,
	type Location,
	type Organization,
	type Schedule
} from './schema.ts';

export type { Location, Organization, Schedule };

export interface Service extends v.InferOutput<typeof ServiceCore> {
	phones: v.InferOutput<typeof PhoneView>[];
	schedules: Schedule[];
	/** Places where it is offered (not removed). */
	locationIds: string[];
}

export interface MapRead {
	organizations: Organization[];
	services: Service[];
	locations: Location[];
	themes: string[];
	centre: { lat: number; lon: number } | null;
	tiles: string;
	/** Items and parts that failed validation. */
	skipped: number;
}


function readAll<T extends { id: string }>(map: unknown, schema: v.GenericSchema<unknown, T>, counter: { skipped: number }): T[] {
	if (!isRecord(map)) return [];
	const out: T[] = [];
	for (const [key, value] of Object.entries(map)) {
		const r = v.safeParse(schema, value);
		if (r.success && r.output.id === key) out.push(r.output);
		else counter.skipped += 1;
	}
	return out;
}

const cache = new WeakMap<object, MapRead>();

export const EMPTY_MAP: MapRead = { organizations: [], services: [], locations: [], themes: [], centre: null, tiles: '', skipped: 0 };

/** Every map document merged into one view (normally there is one). */
export function readMap(docs: unknown[]): MapRead {
	return combineMaps(
		docs.map((doc) => {
			if (!isRecord(doc)) return EMPTY_MAP;
			const hit = cache.get(doc);
			if (hit) return hit;
			const read = readOne(doc);
			cache.set(doc, read);
			return read;
		})
	);
}

/** Views of separate map documents as one: an item in several is shown as the first has it. */
export function combineMaps(reads: MapRead[]): MapRead {
	if (reads.length === 1) return reads[0]!;
	const first = <T extends { id: string }>(lists: T[][]) => {
		const seen = new Set<string>();
		return lists.flat().filter((item) => !seen.has(item.id) && seen.add(item.id));
	};
	return {
		organizations: first(reads.map((r) => r.organizations)),
		services: first(reads.map((r) => r.services)),
		locations: first(reads.map((r) => r.locations)),
		themes: [...new Set(reads.flatMap((r) => r.themes))],
		centre: reads.find((r) => r.centre)?.centre ?? null,
		tiles: reads.find((r) => r.tiles)?.tiles ?? '',
		skipped: reads.reduce((n, r) => n + r.skipped, 0)
	};
}

/** A real place: NaN or 1e999 from a peer would make the map fail to draw. */
function centreOf(value: unknown): { lat: number; lon: number } | null {
	if (!isRecord(value)) return null;
	const { lat, lon } = value;
	const within = (n: unknown, limit: number): n is number => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= limit;
	return within(lat, 90) && within(lon, 180) ? { lat, lon } : null;
}

function readOne(doc: Record<string, unknown>): MapRead {
	const counter = { skipped: 0 };
	const organizations = readAll(doc.organizations, OrganizationView, counter);
	const locations = readAll(doc.locations, LocationView, counter);
	const links = readAll(doc.serviceAtLocations, ServiceAtLocationView, counter).filter((l) => !l.removed);
	const services: Service[] = [];
	if (isRecord(doc.services)) {
		for (const [key, stored] of Object.entries(doc.services)) {
			const core = v.safeParse(ServiceCore, stored);
			if (!core.success || core.output.id !== key || !isRecord(stored)) {
				counter.skipped += 1;
				continue;
			}
			services.push({
				...core.output,
				phones: readAll(stored.phones, PhoneView, counter),
				schedules: readAll(stored.schedules, ScheduleView, counter),
				locationIds: links.filter((l) => l.service === key).map((l) => l.location)
			});
		}
	}
	services.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
	const themes = Array.isArray(doc.themes) ? doc.themes.flatMap((t) => (v.is(str, t) ? [String(t)] : [])) : [];
	const settings = isRecord(doc.settings) ? doc.settings : {};
	const centre = centreOf(settings.centre);
	const tiles = v.is(str, settings.tiles) ? String(settings.tiles) : '';
	return { organizations, services, locations, themes, centre, tiles: /^https:\/\/\S+$/.test(tiles) ? tiles : '', skipped: counter.skipped };
}
