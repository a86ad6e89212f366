import '@automerge/automerge';
import { generate } from './generate-help.ts';
const t = performance.now();
const g = generate(1);
console.log('gen', Math.round(performance.now() - t), g.counts);
