// The first screenful of the social map's list as the map page last showed it, kept on the device
// so the next start on /kaart paints it at once: offline on the cheap phone the map's document was
// read after about 1.8 s (bench/help-phone.ts). Kept as the page's own words, in the language they
// were shown in, and only for the list as it first shows (every service, no filter); whether a
// service is open now is left out, as that changes by the hour. It goes with the device's copy
// (forget.ts).
import * as v from 'valibot';
import { keptScreenful } from './kept-view.ts';

/** One key per neighbourhood, root URL appended. */
export const REMEMBERED_MAP = 'noaber.map.';

/** Services kept: a phone shows two or three under the filters, a tablet six. */
export const MAP_CARDS = 8;

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** One service as the map's list shows it, in words. */
const Card = v.object({
	/** Only a service of this map: a damaged value must not become a link elsewhere. */
	id: v.pipe(text(100), v.regex(/^[\w-]+$/)),
	name: text(1000),
	description: text(5000),
	/** "ma t/m vr 9.00–12.00", or nothing without set times. */
	hours: text(1000),
	/** "Gratis", or nothing. */
	free: text(100),
	/** The topic it is listed under: "Geldzaken", "Overig". */
	group: text(200)
});
export type ServiceCard = v.InferOutput<typeof Card>;

const kept = keptScreenful(REMEMBERED_MAP, Card, MAP_CARDS);

export const rememberMap = kept.keep;
/** What was kept for this neighbourhood, if it was shown in `language`. */
export const rememberedMap = kept.kept;
