/** `npm run build`: the renderer and the Electron bundles. */
import { build } from './build-steps.ts';

await build(['renderer', 'electron']);
