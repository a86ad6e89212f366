// POST /api/setup: the community manager's first neighbourhood, created through the one-time link.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './json-request.ts';
import type { Repo } from '@automerge/automerge-repo/slim';
import { checkProfile } from '../src/lib/members/schema.ts';
import { checkDetails } from '../src/lib/neighbourhood/mutations.ts';
import { createHosted, type Hosted } from './create.ts';
import type { Logger } from './log.ts';
import { HostNotAllowed } from './origin.ts';
import type { Registry } from './registry.ts';
import type { AccessBook } from './access-book.ts';
import { consumeSetupToken, restoreSetupToken, retireUsedSetupToken, setupTokenMatches } from './setup-token.ts';

const MAX_BODY = 64 * 1024;
const MEMBER_ID = /^[A-Za-z0-9_-]{8,64}$/;

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

export interface SetupContext {
	repo: Repo;
	registry: Registry;
	book: AccessBook;
	data: string;
	log: Logger;
	origin: (req: IncomingMessage) => string;
}

export async function handleSetup(req: IncomingMessage, res: ServerResponse, context: SetupContext): Promise<void> {
	if (req.method !== 'POST') return json(res, 405, { error: 'method' });
	const raw = await readBody(req, MAX_BODY);
	if (raw === undefined) return json(res, 413, { error: 'too_large' });
	let body: Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(raw);
		if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
		body = parsed as Record<string, unknown>;
	} catch {
		return json(res, 400, { error: 'invalid', errors: { form: 'invalid' } });
	}
	context.registry.reloadIfChanged();
	if (retireUsedSetupToken(context.data, context.registry.list().map((r) => r.createdAt))) {
		context.log.info('setup link refused: a neighbourhood was created after it was issued');
	}
	if (!setupTokenMatches(context.data, body.token)) return json(res, 403, { error: 'setup_used' });

	const manager = (body.manager ?? {}) as Record<string, unknown>;
	const details = checkDetails(body.details);
	const profile = checkProfile(manager.profile);
	const errors: Record<string, string> = {};
	if (!details.ok) Object.assign(errors, details.errors);
	if (!profile.ok) for (const [field, key] of Object.entries(profile.errors)) errors[`manager.${field}`] = key;
	if (typeof manager.id !== 'string' || !MEMBER_ID.test(manager.id)) errors['manager.id'] = 'invalid';
	if (!details.ok || !profile.ok || errors['manager.id']) return json(res, 400, { error: 'invalid', errors });

	let origin: string;
	try {
		// A made-up Host header must fail here, while the token is still unused.
		origin = context.origin(req);
	} catch (error) {
		if (!(error instanceof HostNotAllowed)) throw error;
		// The operator reads the log; the manager's page tells them to ask the operator.
		context.log.warn({ host: error.host.slice(0, 100) }, `setup refused: ${error.message}`);
		return json(res, 400, { error: 'host', message: error.message });
	}
	// Used up before the (async) creation, so two simultaneous requests cannot both succeed; given
	// back if creating fails, so the manager can simply try again.
	const token = body.token as string;
	consumeSetupToken(context.data);
	let hosted: Hosted;
	try {
		hosted = await createHosted(context.repo, context.registry, context.book, details.value, {
			origin,
			manager: { id: manager.id as string, profile: profile.value, label: typeof body.label === 'string' ? body.label.slice(0, 60) : '' }
		});
	} catch (error) {
		restoreSetupToken(context.data, token);
		throw error;
	}
	context.log.info({ neighbourhood: hosted.id }, 'neighbourhood created through the setup link');
	// The manager's device keeps its own credential; it never appears in an address.
	json(res, 201, { id: hosted.id, relay: hosted.relay, root: hosted.root, credential: hosted.credential });
}
