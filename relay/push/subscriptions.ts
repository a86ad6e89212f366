// Which devices want pushes, and what about: per device its neighbourhood, member, the browser's
// PushSubscription and the member's choice for that device. One file per neighbourhood in
// <data>/push/devices, written whole on every change (they change only when someone switches
// notifications on or off, or loses a device), read once at start.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { PushChoice, PushSubscriptionSchema, type PushSubscriptionInput } from '../../src/lib/notify/api.ts';
import type { Logger } from '../log.ts';
import { ensureFolder, pushFolder, writeWhole } from './files.ts';

const DeviceRecord = v.object({ member: v.string(), subscription: PushSubscriptionSchema, choice: PushChoice });
const DevicesFile = v.object({ devices: v.record(v.string(), DeviceRecord) });

export interface Subscribed {
	neighbourhood: string;
	member: string;
	device: string;
	subscription: PushSubscriptionInput;
	choice: PushChoice;
}

export class Subscriptions {
	readonly #folder: string;
	readonly #log: Logger | undefined;
	readonly #devices = new Map<string, Subscribed>();
	/** `<neighbourhood>\n<member>` → device ids: every happening looks its members' devices up. */
	readonly #byMember = new Map<string, Set<string>>();

	constructor(data: string, log?: Logger) {
		this.#folder = join(pushFolder(data), 'devices');
		this.#log = log;
		ensureFolder(this.#folder);
		for (const file of readdirSync(this.#folder)) {
			if (!file.endsWith('.json')) continue;
			const neighbourhood = file.slice(0, -'.json'.length);
			const parsed = v.safeParse(DevicesFile, readJson(join(this.#folder, file)));
			// A damaged file costs those devices their pushes until they subscribe again, never the relay.
			if (!parsed.success) {
				log?.error({ neighbourhood }, 'push subscriptions file unreadable; its devices get no pushes until they switch them on again');
				continue;
			}
			for (const [device, record] of Object.entries(parsed.output.devices)) {
				this.#put({ neighbourhood, device, member: record.member, subscription: record.subscription, choice: record.choice });
			}
		}
	}

	get size(): number {
		return this.#devices.size;
	}

	get(device: string): Subscribed | undefined {
		return this.#devices.get(device);
	}

	/** Replaces what this device had. */
	set(entry: Subscribed): void {
		// A browser that reuses its endpoint for a new device id (reinstalled app) must not get each push twice.
		for (const other of this.#devices.values()) {
			if (other.device !== entry.device && other.subscription.endpoint === entry.subscription.endpoint) this.#drop(other);
		}
		const before = this.#devices.get(entry.device);
		if (before) this.#drop(before);
		this.#put(entry);
		this.#save(entry.neighbourhood);
		if (before && before.neighbourhood !== entry.neighbourhood) this.#save(before.neighbourhood);
	}

	/** Forgets the device's subscription at once; true when there was one. */
	remove(device: string): boolean {
		const entry = this.#devices.get(device);
		if (!entry) return false;
		this.#drop(entry);
		this.#save(entry.neighbourhood);
		this.#log?.info({ neighbourhood: entry.neighbourhood, device }, 'push subscription removed');
		return true;
	}

	/** The subscribed devices of these members. */
	/** Every device that wants pushes, for rounds that concern everyone (the weekly requests). */
	all(): Subscribed[] {
		return [...this.#devices.values()];
	}

	devicesOf(neighbourhood: string, members: ReadonlySet<string>): Subscribed[] {
		const found: Subscribed[] = [];
		for (const member of members) for (const device of this.#byMember.get(`${neighbourhood}\n${member}`) ?? []) found.push(this.#devices.get(device)!);
		return found;
	}

	/** Removes every subscription whose device may no longer be used (removed device or member). */
	keepOnly(isLive: (neighbourhood: string, device: string, member: string) => boolean): number {
		const gone = [...this.#devices.values()].filter((e) => !isLive(e.neighbourhood, e.device, e.member));
		for (const entry of gone) this.#drop(entry);
		for (const neighbourhood of new Set(gone.map((e) => e.neighbourhood))) this.#save(neighbourhood);
		if (gone.length > 0) this.#log?.info({ removed: gone.length }, 'push subscriptions of removed devices deleted');
		return gone.length;
	}

	#put(entry: Subscribed): void {
		this.#devices.set(entry.device, entry);
		const key = `${entry.neighbourhood}\n${entry.member}`;
		const devices = this.#byMember.get(key) ?? new Set();
		devices.add(entry.device);
		this.#byMember.set(key, devices);
	}

	#drop(entry: Subscribed): void {
		this.#devices.delete(entry.device);
		const key = `${entry.neighbourhood}\n${entry.member}`;
		const devices = this.#byMember.get(key);
		devices?.delete(entry.device);
		if (devices?.size === 0) this.#byMember.delete(key);
	}

	#save(neighbourhood: string): void {
		const devices: Record<string, v.InferOutput<typeof DeviceRecord>> = {};
		for (const e of this.#devices.values()) {
			if (e.neighbourhood === neighbourhood) devices[e.device] = { member: e.member, subscription: e.subscription, choice: e.choice };
		}
		const path = join(this.#folder, `${neighbourhood}.json`);
		if (Object.keys(devices).length === 0) {
			if (existsSync(path)) rmSync(path);
			return;
		}
		writeWhole(path, { devices });
	}
}

function readJson(path: string): unknown {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return undefined;
	}
}
