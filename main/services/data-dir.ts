/**
 * Where Tally keeps its data: `TALLY_DATA_DIR` when set, otherwise the same per-user folder
 * Electron uses for `userData`, so the desktop app and the web studio share one library.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PRODUCT_NAME = 'Tally';

/** Resolves the data directory from the environment and platform conventions. */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.TALLY_DATA_DIR) return resolve(env.TALLY_DATA_DIR);
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
  }
}
