// A stand-in for the modules' rules (src/lib/rules/documents.ts) while they are being written, for
// `npm run bench:referee -- --rules fixture`. It is not a rule book: it exists so the benchmark has
// something that costs what a real rule costs. Like the real help and agenda rules it reads, for
// every edit, who owns the thing edited (a post's author, a response's responder, an event's
// organiser, a sign-up's member) through the scope, and parses each history entry; it refuses
// what no honest device does (deleting or replacing a whole board), so the benchmark notices when
// its own "honest" changes are not.
import type { Kind } from '../relay/referee.ts';
import type { Edit, Path } from '../src/lib/rules/edits.ts';
import { isManager, mayActAs, type Rule, type Scope, type Who } from '../src/lib/rules/judge.ts';

const isMap = (edit: Edit): boolean => edit.kind === 'put' && typeof edit.value === 'object' && edit.value !== null;

/** A thing one may change if one may act as its owner; a thing made by this change is new. */
function owned(scope: Scope, who: Who, holder: Path, ownerKey: string): boolean {
	return scope.isNew(holder) ? mayActAs(who, scope.after([...holder, ownerKey])) : mayActAs(who, scope.before([...holder, ownerKey]));
}

function historyBy(edit: Edit, who: Who): boolean {
	if (edit.kind !== 'put' || typeof edit.value !== 'string') return false;
	try {
		const entry = JSON.parse(edit.value) as { by?: unknown };
		return mayActAs(who, entry.by) || isManager(who);
	} catch {
		return false;
	}
}

const help: Rule = (edit, who, scope) => {
	const [top, postId, field, responseId, responseField] = edit.path;
	if (top !== 'posts' || postId === undefined) return 'fixture.help-board';
	const post = ['posts', postId];
	if (field === undefined) return isMap(edit) && scope.before(post) === undefined && owned(scope, who, post, 'author') ? undefined : 'fixture.help-post';
	if (field === 'hidden') return isManager(who) ? undefined : 'fixture.help-hide';
	if (field === 'history') return responseId !== undefined && scope.before(edit.path) === undefined && historyBy(edit, who) ? undefined : 'fixture.help-history';
	if (field === 'responses' && responseId !== undefined) {
		const response = [...post, 'responses', responseId];
		// Accepting a helper is the poster's; everything else of a response is its responder's.
		if (responseField === 'acceptedAt') return owned(scope, who, post, 'author') ? undefined : 'fixture.help-accept';
		return owned(scope, who, response, 'by') ? undefined : 'fixture.help-response';
	}
	if (edit.kind === 'delete' && field !== 'doneAt' && field !== 'withdrawnAt') return 'fixture.help-delete';
	return owned(scope, who, post, 'author') ? undefined : 'fixture.help-author';
};

const agenda: Rule = (edit, who, scope) => {
	const [top, eventId, field, signupId] = edit.path;
	if (top !== 'events' || eventId === undefined) return 'fixture.agenda-board';
	const event = ['events', eventId];
	if (field === 'signups' && signupId !== undefined) return owned(scope, who, [...event, 'signups', signupId], 'member') ? undefined : 'fixture.agenda-signup';
	if (edit.kind === 'delete' && field === undefined) return 'fixture.agenda-delete';
	const editor = who.roles.includes('agenda') || isManager(who);
	return editor || owned(scope, who, event, 'author') ? undefined : 'fixture.agenda-organiser';
};

/** The root's details and lists are the managers'; the other documents are not exercised here. */
const root: Rule = (edit, who) => (edit.kind === 'delete' || !isManager(who) ? 'fixture.root-manager' : undefined);
const anything: Rule = () => undefined;

export function fixtureRules(kind: Kind): Rule {
	if (kind === 'help') return help;
	if (kind === 'agenda') return agenda;
	if (kind === 'root') return root;
	return anything;
}
