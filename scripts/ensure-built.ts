/** `node scripts/ensure-built.ts STEP...`: rebuilds the named build steps whose outputs are older than their sources (`npm run origin` runs it first). */
import { ensureBuilt, type BuildStep } from './build-steps.ts';

const steps = process.argv.slice(2) as BuildStep[];
const known: BuildStep[] = ['renderer', 'electron', 'origin'];
const unknown = steps.filter((step) => !known.includes(step));
if (unknown.length) throw new Error(`unknown build step ${unknown.join(', ')} (known: ${known.join(', ')})`);
await ensureBuilt(steps);
