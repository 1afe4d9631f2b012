/**
 * `npm start`: the Electron studio, or, where Electron's binary is missing, one line that
 * says so and the web studio instead. Arguments after `--` go to the web studio.
 */
import { spawn } from 'node:child_process';
import { mainWebStudio } from '../main/web/cli.ts';
import { ensureBuilt, root } from './build-steps.ts';
import { findElectronBinary } from './electron-binary.ts';

const electron = findElectronBinary();
if (electron.found) {
  await ensureBuilt(['renderer', 'electron']);
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  process.stdout.write(`${electron.reason}; starting the web studio instead.\n`);
  await ensureBuilt(['renderer']);
  await mainWebStudio(process.argv.slice(2));
}
