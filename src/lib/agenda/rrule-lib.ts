// rrule ships CommonJS to Node and ES modules to the browser; this reads its exports either way,
// so the app, the relay and the tests use the same library.
import * as lib from 'rrule';

type RRuleModule = typeof import('rrule');
const resolved = ((lib as unknown as { RRule?: unknown }).RRule ? lib : (lib as unknown as { default: RRuleModule }).default) as RRuleModule;

export const RRule = resolved.RRule;
export type RRule = import('rrule').RRule;
export type Options = import('rrule').Options;
export const Frequency = resolved.Frequency;
export const Weekday = resolved.Weekday;
export type Weekday = import('rrule').Weekday;
