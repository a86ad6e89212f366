// Which rules the referee benchmark judges with: the modules' own (src/lib/rules/documents.ts,
// `rulesFor`), or the stand-in of referee-fixture.ts. The real table is imported by file name at
// run time, so the benchmark also runs on a checkout that does not have it yet.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kind } from '../relay/referee.ts';
import type { Rule } from '../src/lib/rules/judge.ts';
import { fixtureRules } from './referee-fixture.ts';

export type RulesChoice = 'real' | 'fixture';
export type Rules = (kind: Kind) => Rule;

export const REAL_RULES = fileURLToPath(new URL('../src/lib/rules/documents.ts', import.meta.url));

export async function loadRules(choice: RulesChoice): Promise<{ rules: Rules; name: string }> {
	if (choice === 'fixture') return { rules: fixtureRules, name: 'fixture (bench/referee-fixture.ts)' };
	if (!existsSync(REAL_RULES)) {
		throw new Error(`${REAL_RULES} is not in this checkout yet: run with --rules fixture, or merge the branch that has it`);
	}
	const table = (await import(pathToFileURL(REAL_RULES).href)) as { rulesFor?: unknown };
	if (typeof table.rulesFor !== 'function') throw new Error(`${REAL_RULES} does not export rulesFor(kind)`);
	return { rules: table.rulesFor as Rules, name: 'real (src/lib/rules/documents.ts)' };
}

export function rulesChoice(value: string | undefined): RulesChoice {
	if (value === undefined || value === 'real') return 'real';
	if (value === 'fixture') return 'fixture';
	throw new Error(`--rules is "real" or "fixture", not "${value}"`);
}
