// A new, empty social map with the starter themes.
import { imm } from '../automerge/immutable.ts';
import { DEFAULT_THEMES, type MapDoc } from './document.ts';

export const newMapDoc = (): MapDoc => ({
	organizations: {},
	services: {},
	locations: {},
	serviceAtLocations: {},
	themes: DEFAULT_THEMES.map(imm),
	settings: { centre: null, tiles: imm('') },
	changes: {}
});

/** The map is listed in the root as one period: 'map'. */
export const MAP_PERIOD = 'map';

/** A new map document, for a neighbourhood from before the map; the map has no other period. */
export function freshMapDoc(period: string): MapDoc {
	if (period !== MAP_PERIOD) throw new Error(`Not the map's period: ${period}`);
	return newMapDoc();
}
