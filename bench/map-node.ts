// Node benchmark of the social map at a large municipality's size (800 services, 1,000
// locations): size, load, the validated view, the list by theme, search, "open now", and the
// nearest-first list that replaces the map offline. Run: npx tsx bench/map-node.ts [--scale 1]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { byDistance, byTheme, filterServices } from '../src/lib/map/search.ts';
import { readMap } from '../src/lib/map/view.ts';
import { generateMap, MAP_SIZE } from './generate-map.ts';
import { fmt, timed } from './timing.ts';

const at = process.argv.indexOf('--scale');
const scale = at >= 0 ? Number(process.argv[at + 1]) : 1;

console.log(`Social map: ${Math.round(MAP_SIZE.services * scale)} services, ${Math.round(MAP_SIZE.locations * scale)} locations`);
let started = performance.now();
const doc = generateMap(20261128, scale);
console.log(`  generated in ${Math.round(performance.now() - started)} ms`);
const bytes = A.save(doc);
console.log(`  stored: ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MB, ${A.getAllChanges(doc).length} changes`);

const [loaded, load] = timed(5, () => A.load(bytes));
console.log(`  load (A.load): ${fmt(load)}`);
started = performance.now();
const map = readMap([loaded]);
console.log(`  validated view (cold): ${fmt(performance.now() - started)} — ${map.services.length} services, ${map.locations.length} locations, ${map.skipped} skipped`);
// A Thursday morning, when most services are open.
const now = '2026-11-26T10:30';
const [groups, list] = timed(5, () => byTheme(filterServices(map, {}), map.themes));
console.log(`  list by theme: ${fmt(list)} (${groups.length} themes)`);
const [found, search] = timed(5, () => filterServices(map, { query: 'spreekuur' }));
console.log(`  search "spreekuur": ${fmt(search)} (${found.length} found)`);
const [open, openNow] = timed(5, () => filterServices(map, { openAt: now }));
console.log(`  open now (${now}): ${fmt(openNow)} (${open.length} open)`);
const [near, nearest] = timed(5, () => byDistance(map.services, map.locations, { lat: 52.1, lon: 5.15 }));
console.log(`  nearest first (offline list): ${fmt(nearest)} (${near.length} services)`);
