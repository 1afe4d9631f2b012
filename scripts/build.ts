/** `npm run build`: the renderer, the Electron bundles and the origin. */
import { build } from './build-steps.ts';

await build(['renderer', 'electron', 'origin']);
