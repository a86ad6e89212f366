#!/usr/bin/env node
// The operator command. The relay shares its TypeScript domain modules with the app, so it runs
// through tsx's loader instead of a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../relay/cli.ts');
process.exitCode = await main(process.argv.slice(2));
// Everything is flushed and closed by now. A library timer or socket that lingers (seen once in
// CI after "Noaber gestopt") must not keep a stopped relay alive for a service manager to kill.
setTimeout(() => process.exit(), 1000).unref();
