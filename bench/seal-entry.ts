// What the sealing benchmark runs inside Chromium: the app's own crypto modules, nothing else.
import { currentKey, startRing } from '../src/lib/crypto/keys.ts';
import { open, seal } from '../src/lib/crypto/sealing.ts';

(globalThis as unknown as { noaberSeal: unknown }).noaberSeal = { currentKey, startRing, open, seal };
