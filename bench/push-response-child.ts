// The relay of bench/push-response.ts in a process of its own. It hosts 10 neighbourhoods of 100
// members, each member with one device subscribed at the parent's stand-in push service and one
// request on the help board; then, asked by the parent, makes neighbours' responses in its own
// repository — a response stored at the relay, as one arriving from a phone is — and says when
// each was made. With NOABER_NOTIFICATIONS=off the same relay works out no news and pushes nothing.
import * as A from '@automerge/automerge';
import type { AutomergeUrl, DocHandle } from '@automerge/automerge-repo/slim';
import { configFromEnv } from '../relay/config.ts';
import { createHosted } from '../relay/create.ts';
import { startRelay } from '../relay/main.ts';
import type { Clock } from '../relay/push/schedule.ts';
import { newPeriodDoc } from '../src/lib/help/periods.ts';
import { blankPost, createPost, respond } from '../src/lib/help/mutations.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { join } from '../src/lib/members/mutations.ts';
import { blankProfile } from '../src/lib/members/blank.ts';
import type { MembersDoc } from '../src/lib/members/document.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { NEWS_KINDS } from '../src/lib/news/item.ts';
import type { PushSubscriptionInput } from '../src/lib/notify/api.ts';
import { newMember } from '../tests/relay/members.ts';

// Real time moved to ten in the morning in Amsterdam: a run at night would otherwise measure quiet hours.
const now = new Date();
const shift = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9) - now.getTime();
const daytime: Clock = {
	now: () => Date.now() + shift,
	setTimer: (run, ms) => setTimeout(run, ms).unref(),
	clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout)
};

const relay = await startRelay({ ...configFromEnv(), limits: {}, push: { clock: daytime, localEndpoints: true } });
const wall = () => performance.timeOrigin + performance.now();

interface Board {
	handle: DocHandle<HelpDoc>;
	/** Each member's own request, and the members. */
	posts: Array<{ postId: string; author: string }>;
	members: string[];
}
const boards: Board[] = [];

async function setup(neighbourhoods: number, members: number, subscriptions: PushSubscriptionInput[]) {
	let next = 0;
	for (let n = 0; n < neighbourhoods; n += 1) {
		const hosted = await createHosted(relay.repo, relay.registry, relay.access, emptyDetails(`Buurt ${n}`), { origin: relay.origin });
		const root = await relay.repo.find<RootDoc>(hosted.root as AutomergeUrl);
		const membersDoc = await relay.repo.find<MembersDoc>(String(root.doc().docs.members) as AutomergeUrl);
		const board = relay.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		relay.registry.claim(board.documentId, hosted.id);
		root.change((d) => {
			d.docs.help[board.url] = new A.ImmutableString('2026Q4');
		});
		const ids: string[] = [];
		const posts: Board['posts'] = [];
		for (let i = 0; i < members; i += 1) {
			const granted = newMember(relay.access, hosted.id, { name: `Buur ${n}-${i}` });
			join(membersDoc, granted.memberId, { ...blankProfile(), name: `Buur${i} Achternaam` });
			relay.push.subscriptions.set({
				neighbourhood: hosted.id,
				member: granted.memberId,
				device: granted.deviceId,
				subscription: subscriptions[next++]!,
				choice: { kinds: [...NEWS_KINDS], weekly: false, language: 'nl' }
			});
			ids.push(granted.memberId);
			posts.push({ postId: createPost(board, { ...blankPost('request'), category: 'boodschappen', title: `Vraag ${i}` }, { memberId: granted.memberId }), author: granted.memberId });
		}
		boards.push({ handle: board, posts, members: ids });
	}
	await relay.repo.flush();
}

type Message =
	| { type: 'setup'; neighbourhoods: number; members: number; subscriptions: PushSubscriptionInput[] }
	| { type: 'respond'; responses: Array<{ board: number; post: number }> }
	| { type: 'stats' }
	| { type: 'stop' };
const made: Array<[string, number]> = [];
process.on('message', (message: Message) => {
	if (message.type === 'setup') {
		void setup(message.neighbourhoods, message.members, message.subscriptions).then(() => process.send!({ type: 'ready' }));
	} else if (message.type === 'respond') {
		for (const { board, post } of message.responses) {
			const { handle, posts, members } = boards[board]!;
			const { postId, author } = posts[post]!;
			const responder = members.find((m) => m !== author)!;
			respond(handle, postId, 'Ik kan helpen', { memberId: responder });
			made.push([postId, wall()]);
		}
	} else if (message.type === 'stats') {
		globalThis.gc?.();
		process.send!({ type: 'stats', cpu: process.cpuUsage(), memory: process.memoryUsage(), made: made.splice(0) });
	} else if (message.type === 'stop') {
		void relay.close().then(() => process.exit(0));
	}
});
process.send!({ type: 'started' });
