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
