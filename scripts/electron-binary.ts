/**
 * Finds the Electron binary without triggering Electron's download (requiring the
 * `electron` package would try to fetch it). Returns the path, or why there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-steps.ts';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(packageDir, 'package.json')))
    return { found: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron';
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const path = join(dist, executable);
  if (existsSync(path)) return { found: true, path };
  return { found: false, reason: `Electron's binary is not installed (npx install-electron fetches it)` };
}
