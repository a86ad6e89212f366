// Which rules judge which document: the one list a new module adds itself to. The root lists each
// module document under its kind (neighbourhood/documents.ts); the relay asks this for the rule.
import { agendaRules } from '../agenda/rules.ts';
import { archiveRules, helpRules, sealedRules } from '../help/rules.ts';
import { mapRules } from '../map/rules.ts';
import { membersRules } from '../members/rules.ts';
import type { DocumentKind } from '../neighbourhood/documents.ts';
import { rootRules } from '../neighbourhood/rules.ts';
import type { Rule } from './judge.ts';

export type Kind = DocumentKind | 'root';

const RULES: Record<Kind, Rule> = {
	root: rootRules,
	members: membersRules,
	help: helpRules,
	helpArchive: archiveRules,
	helpSealed: sealedRules,
	agenda: agendaRules,
	map: mapRules
};

export const rulesFor = (kind: Kind): Rule => RULES[kind];
