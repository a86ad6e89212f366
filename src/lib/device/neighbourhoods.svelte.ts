// The app's one piece of device state: which neighbourhoods this device belongs to and the open
// connection to the current one. Pages read it; only this module opens and closes connections.
// It also keeps what the relay says about this device current: a device with the old shared key
// gets its own credential on its first connection after the update, roles follow the relay, and a
// member waiting for approval gets in by itself once let in.
import { browser } from '$app/environment';
import type { Connection, Target } from '../neighbourhood/connection.svelte.ts';
import { callAccess } from '../access/client.ts';
import { afterFirstView } from './first-view.ts';
import { nextTurn } from './turn.ts';
import { newKeyPair } from '../crypto/keys.ts';
import { currentState, forView, type CurrentReader, type CurrentState, type CurrentView } from './current.ts';
import { rememberedHome, rememberHome, type RememberedHome } from './remembered-home.ts';
import {
	currentMembership,
	deviceIdOf,
	doorKey,
	loadMemberships,
	remove,
	saveMemberships,
	upsert,
	type Membership,
	type Memberships
} from './memberships.ts';

/**
 * What is needed only once a neighbourhood is open, in one chunk fetched then: automerge-repo,
 * Automerge and the domain modules are most of the app's JavaScript, and the first page paints
 * without them (bench/first-load.ts).
 */
const whenOpen = () => import('./opened.ts');

/** How often a waiting device asks whether it has been let in. */
const WAITING_POLL_MS = 15_000;

export const targetOf = (m: Membership): Target => ({ root: m.root, relay: m.relay, key: doorKey(m), deviceId: deviceIdOf(m) });

class Neighbourhoods {
	state = $state<Memberships>({ current: null, list: [] });
	connection = $state<Connection>();
	/** Loaded with the first connection. */
	#read = $state.raw<CurrentReader>();
	#opening: { target: Target; promise: Promise<Connection> } | undefined;

	constructor() {
		if (browser) this.state = loadMemberships(localStorage);
	}

	get current(): Membership | undefined {
		return currentMembership(this.state);
	}

	/**
	 * The neighbourhood whose views kept on this device (remembered-home.ts, remembered-week.ts)
	 * may show while its documents open. Not for a device a manager removed: its first words must
	 * be that it was removed.
	 */
	get kept(): string | undefined {
		const membership = this.current;
		return membership && membership.status !== 'removed' ? membership.root : undefined;
	}

	/**
	 * The home screen kept on this device for `kept`, read once per neighbourhood: the home page and
	 * the layout's header both show it while the documents open.
	 */
	#keptHome = $derived.by(() => {
		const root = this.kept;
		return root && browser ? rememberedHome(localStorage, root) : undefined;
	});
	get keptHome(): RememberedHome | undefined {
		return this.#keptHome;
	}

	get list(): Membership[] {
		return this.state.list;
	}

	// Read once per change for every page part that shows it (the layout, the page, its frame): each
	// read makes a new view, and all that derives from it works again.
	#currentState = $derived.by(() => currentState(this.#forView, this.connection, this.#read, () => this.current));
	/** The current membership, the same record while it makes the same view (`sameForView`). */
	#forView: Membership | undefined = $derived.by(() => this.#sameRecord(this.current));
	#sameRecord = forView();

	/** What pages show for the current neighbourhood: nothing yet, loading, waiting, refused or ready. */
	get currentState(): CurrentState {
		return this.#currentState;
	}

	/** The current neighbourhood's view, once its documents are open. */
	get view(): CurrentView | undefined {
		const state = this.#currentState;
		return state.kind === 'ready' ? state.view : undefined;
	}

	/**
	 * A neighbourhood this device has shown before (its home screen is kept) is opening: the header
	 * and the module pages show what they will show, saying they are opening, instead of "De buurt
	 * wordt geladen…" and then everything at once.
	 */
	get knownOpening(): boolean {
		return this.#currentState.kind === 'loading' && this.keptHome !== undefined;
	}

	/** Opens (or reuses) the connection to a neighbourhood, closing any other one. */
	async connect(target: Target): Promise<Connection> {
		const same = (t: Target | undefined) => t?.root === target.root && t.key === target.key;
		if (this.connection && same(this.connection.target)) return this.connection;
		// Callers asking at once (the layout and a page) share one opening: two Repos on one
		// IndexedDB would do all the loading twice.
		if (this.#opening && same(this.#opening.target)) return this.#opening.promise;
		const before = this.#opening?.promise;
		const previous = this.connection;
		this.connection = undefined;
		const promise = (async () => {
			await before?.catch(() => undefined);
			await previous?.close();
			// The page shows what the device already knows (the home screen as it was last shown)
			// first: asking for this chunk adds a link per file it needs, 46 of them, a long task on
			// the cheap phone that held the first paint of an offline start, and compiling them held
			// the home screen's own chunk (bench/member-device.ts).
			await afterFirstView();
			const { Connection, readCurrent } = await whenOpen();
			this.#read = readCurrent;
			return Connection.open(target, location.pathname);
		})();
		const opening = { target, promise };
		this.#opening = opening;
		const opened = await promise;
		if (this.#opening !== opening) {
			// Another neighbourhood was asked for meanwhile: that one wins.
			await opened.close();
			return this.#opening ? this.#opening.promise : opened;
		}
		this.#opening = undefined;
		this.connection = opened;
		return opened;
	}

	#polling: ReturnType<typeof setTimeout> | undefined;
	#listening = new WeakSet<Connection>();

	#resuming: { membership: Membership; promise: Promise<Connection | undefined> } | undefined;

	/**
	 * Opens the current neighbourhood, if any. The layout and the page both ask at start: callers
	 * asking for the same membership while it opens share one opening. Twice, the old key would be
	 * swapped twice (the relay swaps once per member, so the second would go on with the old key,
	 * which the manager may close at any moment), and the relay asked twice who this device is.
	 */
	resume(): Promise<Connection | undefined> {
		const current = this.current;
		if (!current) return Promise.resolve(undefined);
		if (this.#resuming?.membership === current) return this.#resuming.promise;
		const promise = this.#resume(current).finally(() => {
			if (this.#resuming?.promise === promise) this.#resuming = undefined;
		});
		this.#resuming = { membership: current, promise };
		return promise;
	}

	async #resume(membership: Membership): Promise<Connection> {
		let current = membership;
		const root = current.root;
		if (!current.credential) current = (await this.#upgrade(current)) ?? current;
		const connection = await this.connect(targetOf(current));
		if (!this.#listening.has(connection)) {
			this.#listening.add(connection);
			connection.onAccessChange(() => {
				void this.refresh(root);
				void this.#keys(root, connection);
			});
			// Moving house: the neighbourhood's new home is this device's relay from now on.
			connection.onMove((relay) => {
				const latest = this.state.list.find((m) => m.root === root);
				if (latest && latest.relay !== relay) this.#store({ ...latest, relay });
			});
		}
		void this.refresh(root);
		if (current.pendingProfile !== undefined && current.status !== 'waiting') void this.#writePending(root, connection)
				// Not written now (the list not found yet): the profile stays pending and is written on the next start.
				.catch(() => undefined)
				.then(() => this.#keys(root, connection));
		else if (current.status !== 'waiting') void this.#keys(root, connection);
		return connection;
	}

	/**
	 * The profile given when joining goes into the members list once that list is on this device:
	 * not before showing home, so a neighbourhood whose list cannot be found yet still opens and
	 * says whom to call.
	 */
	async #writePending(root: string, connection: Connection) {
		const membership = this.state.list.find((m) => m.root === root);
		if (membership?.pendingProfile === undefined) return;
		const { joinedProfile, ringForDevice, sealContact } = await whenOpen();
		// The ring comes first: a phone number for fewer than everyone is sealed before it is written.
		const ring = membership.ring ?? (await ringForDevice(membership.memberId, undefined, undefined));
		if (!membership.ring) this.#store({ ...membership, ring });
		await joinedProfile(connection, membership.memberId, membership.pendingProfile, (profile) =>
			sealContact(profile, { id: membership.memberId }, { members: connection.everyone?.items ?? [], managers: [], posts: [], ring })
		);
		// Forgotten only once it is on this device (the action answers once stored): a page left
		// right after joining (another link tapped) would otherwise lose the profile for good.
		const latest = this.state.list.find((m) => m.root === root);
		if (latest) this.#store({ ...latest, pendingProfile: undefined });
	}

	/**
	 * This device holds its member's key ring, the profile publishes its newest key, and the
	 * member's other devices get the ring (sealed to each) when it changed: after a device of theirs
	 * was removed, one device makes a new key, so what is sealed afterwards is out of its reach.
	 */
	#keysRunning = new Map<string, Promise<void>>();

	/** One round at a time per neighbourhood: two at once could each make a new key. */
	#keys(root: string, connection: Connection): Promise<void> {
		const before = this.#keysRunning.get(root) ?? Promise.resolve();
		const next = before.then(() => this.#keysRound(root, connection)).catch(() => undefined);
		this.#keysRunning.set(root, next);
		return next;
	}

	async #keysRound(root: string, connection: Connection) {
		const { keyringStep, newestToPublish, ringForDevice } = await whenOpen();
		const first = this.state.list.find((m) => m.root === root);
		if (!first || first.status === 'waiting') return;
		// A linked device may open before its member's profile arrived from the relay: wait a while.
		const profile = await connection.memberArriving(first.memberId, 60_000);
		if (!profile) return;
		const deviceKey = first.deviceKey ?? (await newKeyPair(1));
		const answer = first.credential ? await callAccess(first.relay, 'keyring', { boxKey: deviceKey.pub }, first.credential) : undefined;
		// Each step in a task of its own: right after joining, the relay's answer, the ring, storing it
		// and publishing the key were one task of 110 ms in a trace of the cheap phone while the agenda
		// came in (bench/member-device.ts --trace), and a tap in it waited.
		await nextTurn();
		const held = this.state.list.find((m) => m.root === root);
		if (!held) return;
		// Offline, the ring is kept or started now, and the relay is asked again on the next start.
		const step = answer?.ok
			? await keyringStep(held.memberId, held.ring, profile.publicKey, deviceKey, answer.value)
			: { ring: await ringForDevice(held.memberId, held.ring, profile.publicKey), rings: {}, rotated: false };
		const latest = this.state.list.find((m) => m.root === root);
		if (!latest) return;
		this.#store({ ...latest, ring: step.ring, deviceKey });
		await nextTurn();
		const key = newestToPublish(profile, step.ring);
		if (key) await connection.membersAct('publishKey', latest.memberId, key);
		if (Object.keys(step.rings).length > 0 || step.rotated) {
			await callAccess(latest.relay, 'putKeyring', { rings: step.rings, rotated: step.rotated }, latest.credential);
		}
	}

	/** A device with the old shared key swaps it for its own credential; offline, it tries next time. */
	async #upgrade(membership: Membership): Promise<Membership | undefined> {
		const answer = await callAccess(
			membership.relay,
			'upgrade',
			{ root: membership.root, memberId: membership.memberId, name: this.connection?.everyone?.items.find((m) => m.id === membership.memberId)?.name },
			membership.key
		);
		if (!answer.ok) return undefined;
		const upgraded: Membership = { ...membership, credential: answer.value.credential, key: undefined, status: answer.value.status };
		this.#store(upgraded);
		return upgraded;
	}

	/** Asks the relay who this device is now: roles, and whether it waits or was removed. */
	async refresh(root: string): Promise<void> {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership?.credential) return;
		// A device with no home screen kept (one just let in) asks for it, so home paints at once.
		const kept = rememberedHome(localStorage, root) !== undefined;
		const answer = await callAccess(membership.relay, 'me', kept ? {} : { home: true }, membership.credential);
		const latest = this.state.list.find((m) => m.root === root);
		if (!latest) return;
		if (!answer.ok) {
			if (answer.reason === 'removed') this.#store({ ...latest, status: 'removed' });
			if (answer.reason === 'removed' || answer.reason === 'credential') return;
		} else {
			// Kept before the status changes: the page that then shows home reads it.
			if (answer.value.home && rememberedHome(localStorage, root) === undefined) rememberHome(localStorage, root, answer.value.home);
			const wasWaiting = latest.status === 'waiting';
			this.#store({ ...latest, status: answer.value.status, roles: answer.value.roles });
			if (wasWaiting && answer.value.status === 'active') await this.#letIn(root);
		}
		clearTimeout(this.#polling);
		if (this.state.list.find((m) => m.root === root)?.status === 'waiting' && this.state.current === root) {
			this.#polling = setTimeout(() => void this.refresh(root), WAITING_POLL_MS);
		}
	}

	/** Approved: connect again (the relay refused this device until now) and write the profile. */
	async #letIn(root: string) {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership) return;
		const previous = this.connection;
		this.connection = undefined;
		await previous?.close();
		await this.resume();
	}

	/** Replaces a membership's record without making it current. */
	#store(membership: Membership) {
		this.state = { ...this.state, list: this.state.list.map((m) => (m.root === membership.root ? membership : m)) };
		saveMemberships(localStorage, this.state);
	}

	remember(membership: Membership): void {
		this.state = upsert(this.state, membership);
		saveMemberships(localStorage, this.state);
	}

	async switchTo(root: string): Promise<void> {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership) return;
		this.remember(membership);
		await this.resume();
	}

	async forget(root: string): Promise<void> {
		// Forget first, so nothing reopens it while its connection closes.
		this.state = remove(this.state, root);
		saveMemberships(localStorage, this.state);
		if (this.connection?.target.root === root) {
			const closing = this.connection;
			this.connection = undefined;
			await closing.close();
		}
	}

	/** Keeps the cached neighbourhood name fresh for the switcher. */
	rename(root: string, name: string): void {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership || membership.name === name) return;
		this.state = {
			...this.state,
			list: this.state.list.map((m) => (m.root === root ? { ...m, name } : m))
		};
		saveMemberships(localStorage, this.state);
	}
}

export const neighbourhoods = new Neighbourhoods();
