/**
 * The desktop app's first steps, in the order Electron needs them: the data folder becomes
 * `userData` before the single-instance lock (the lock is scoped to `userData`, so a second
 * profile set with `TALLY_DATA_DIR` runs beside a normal Tally instead of quitting), the log
 * file opens under `app.getPath('logs')`, and any failure while starting, thrown or
 * rejected, is logged, shown in `dialog.showErrorBox` and ends the process; never a
 * windowless process, never just a stderr line.
 *
 * Electron 45 (electron.d.ts, docs/api/app.md): "The single instance lock is scoped to the
 * application's user data directory ... set a different user data directory for each
 * instance using app.setPath('userData', newPath) before calling
 * app.requestSingleInstanceLock()"; `app.setAppLogsPath()` without a path puts logs "inside
 * the userData directory on Linux and Windows" and in ~/Library/Logs/<name> on macOS;
 * docs/api/dialog.md: showErrorBox "can be called safely before the ready event".
 */
import { join } from 'node:path';
import type { App, Dialog } from 'electron';
import { resolveDataDir } from '../services/data-dir.ts';
import type { Logger } from '../services/logger.ts';

/** The parts of `app` the boot uses. */
export type BootApp = Pick<App, 'setPath' | 'getPath' | 'setAppLogsPath' | 'requestSingleInstanceLock' | 'quit' | 'exit' | 'whenReady'> & {
  on(event: 'second-instance', listener: () => void): unknown;
};

export interface BootOptions {
  app: BootApp;
  dialog: Pick<Dialog, 'showErrorBox'>;
  env?: NodeJS.ProcessEnv;
  /** Opens the process logger on stderr and `file`. */
  createLog(file: string): Logger;
  /** Everything after `ready`: protocol, host services, IPC, the window. */
  start(log: Logger, logFile: string): Promise<void>;
  /** A second launch with the same data folder: show the running studio. */
  focusRunningStudio(): void;
}

export type BootOutcome = { kind: 'primary'; log: Logger; logFile: string; ready: Promise<void> } | { kind: 'second-instance' };

/** The log file's name under `app.getPath('logs')`. */
export const MAIN_LOG_FILE = 'main.log';

export function bootStudio(options: BootOptions): BootOutcome {
  const { app, dialog } = options;
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir(env);
  app.setPath('userData', dataDir);
  // A separate profile keeps its logs with its data; otherwise Electron's per-OS default.
  app.setAppLogsPath(env.TALLY_DATA_DIR ? join(dataDir, 'logs') : undefined);
  const logFile = join(app.getPath('logs'), MAIN_LOG_FILE);
  const log = options.createLog(logFile);

  if (!app.requestSingleInstanceLock()) {
    log.info({ dataDir }, 'Tally already runs with this data folder; showing that window instead');
    app.quit();
    return { kind: 'second-instance' };
  }
  app.on('second-instance', () => options.focusRunningStudio());

  const fail = (error: unknown) => {
    log.error({ err: error }, 'Tally could not start');
    const reason = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Tally could not start', `${reason}\n\nThe log has the details: ${logFile}`);
    app.exit(1);
  };
  // `.then(start).catch(fail)`, not `.then(start, fail)`: the latter misses what start throws.
  const ready = app
    .whenReady()
    .then(() => options.start(log, logFile))
    .catch(fail);
  return { kind: 'primary', log, logFile, ready };
}
