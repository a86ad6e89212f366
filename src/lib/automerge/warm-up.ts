// The browser compiles each of Automerge's wasm functions the first time it is called. On the
// cheap phone (bench/member-device.ts) the first document a page opened after joining took about
// 200 ms for that alone, in one task, while the resident was already tapping around. Run while the
// resident reads the invitation and types a name, a tiny document goes once through every path the
// page takes with the neighbourhood's documents: each step a task of its own, when the page is idle.
import * as A from '@automerge/automerge/slim';
import { whenIdle, type Idle } from '../device/idle.ts';

type Tiny = { docs: Record<string, string>; count: number; about?: A.ImmutableString };

/**
 * Long enough that storing and syncing it compresses (Automerge deflates a column of 256 bytes or
 * more): a neighbourhood's root is, and compressing for the first time was 30 to 50 ms of the task
 * that first stored it (bench/member-device.ts).
 */
const ABOUT = 'Noaber: buren helpen elkaar. '.repeat(40);

/** The tiny document the warm-up takes through each path. */
export function tinyDocument(): A.Doc<Tiny> {
	return A.change(A.from<Tiny>({ docs: {}, count: 0 }), (d) => {
		d.docs.members = 'automerge:warm';
		d.count += 1;
		d.about = new A.ImmutableString(ABOUT);
	});
}


/** The paths, in the order a joined page takes them: a document made, stored, loaded, synced. */
function steps(): (() => void)[] {
	let doc: Tiny | undefined;
	let bytes: Uint8Array | undefined;
	return [
		() => {
			doc = tinyDocument();
		},
		() => {
			bytes = A.save(doc!);
			A.saveIncremental(doc!);
			A.load<Tiny>(bytes, { allowMissingChanges: true });
			A.loadIncremental(A.init<Tiny>(), bytes);
		},
		() => {
			// Another device's copy catches up, as the page's copy of the root does from the relay.
			let theirs = doc!;
			let ours = A.init<Tiny>();
			let theirState = A.initSyncState();
			let ourState = A.initSyncState();
			for (let round = 0; round < 4; round++) {
				const [nextTheirs, toUs] = A.generateSyncMessage(theirs, theirState);
				theirState = nextTheirs;
				if (toUs) [ours, ourState] = A.receiveSyncMessage(ours, ourState, toUs);
				const [nextOurs, toThem] = A.generateSyncMessage(ours, ourState);
				ourState = nextOurs;
				if (toThem) [theirs, theirState] = A.receiveSyncMessage(theirs, theirState, toThem);
				if (!toUs && !toThem) break;
			}
			A.diff(ours, [], A.getHeads(ours));
			A.stats(ours);
		}
	];
}

/**
 * Compiles what the page will need of Automerge, then runs the page's own first-time work (`also`),
 * a step at a time when the page is idle. True when every step ran; a warm-up that fails stands in
 * nobody's way (the document opens as it would have). Once `stop` is aborted no further step runs:
 * work meant for the moments a resident types should not fall in the busy seconds after joining,
 * when the real documents do it anyway.
 */
export async function warmUp(also: (() => void)[] = [], idle: Idle = whenIdle, stop?: AbortSignal): Promise<boolean> {
	try {
		for (const step of [...steps(), ...also]) {
			await idle();
			if (stop?.aborted) return false;
			step();
		}
		return true;
	} catch {
		return false;
	}
}
