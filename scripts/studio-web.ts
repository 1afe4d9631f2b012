/** `npm run studio:web`: builds the renderer if it is stale, then serves the web studio. */
import { mainWebStudio } from '../main/web/cli.ts';
import { ensureBuilt } from './build-steps.ts';

await ensureBuilt(['renderer']);
await mainWebStudio(process.argv.slice(2));
