// The relay of the referee benchmark as a process of its own (so the readers' work does not share
// its event loop): started with the modules' rules or without any, as relay/main.ts allows.
//   node --import tsx bench/referee-relay.ts <data folder> <off|real|fixture>
// Tells its parent its port over IPC, and stops on "stop".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../relay/main.ts';
import { loadRules, rulesChoice } from './referee-rules.ts';
import { answerMemoryRequests } from './relay-memory.ts';

const [data, checking] = process.argv.slice(2);
if (!data || !checking || !process.send) throw new Error('Run by bench/referee-fanout.ts: referee-relay.ts <data> <off|real|fixture>');
const rules = checking === 'off' ? undefined : (await loadRules(rulesChoice(checking))).rules;
const app = mkdtempSync(join(tmpdir(), 'noaber-referee-app-'));
writeFileSync(join(app, 'index.html'), '<!doctype html><title>Noaber</title>');
// `judge` too: off must stay off should the relay one day take its rules from the checkout by itself.
const relay = await startRelay({ data, app, port: 0, host: '127.0.0.1', logLevel: 'warn', judge: rules !== undefined, rules });
answerMemoryRequests();
process.send({ port: relay.port });
const stop = async () => {
	await relay.close().catch(() => undefined);
	process.exit(0);
};
process.on('message', (message) => void (message === 'stop' && stop()));
process.on('disconnect', () => void stop());
