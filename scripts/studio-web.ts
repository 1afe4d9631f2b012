/** `npm run studio:web`: builds the renderer if it is stale, then serves the web studio. */
import { closeOnSignals, runWebStudioCli } from '../main/web/cli.ts';
import { ensureBuilt } from './build-steps.ts';

await ensureBuilt(['renderer']);
closeOnSignals(await runWebStudioCli(process.argv.slice(2)));
