/**
 * When the studio page's process dies (a GPU driver crash, out of memory, a killed process),
 * Electron emits `render-process-gone` on its WebContents and leaves a blank window
 * (docs/api/web-contents.md, RenderProcessGoneDetails.reason: clean-exit, abnormal-exit,
 * killed, crashed, oom, launch-failed, integrity-failure, memory-eviction). Tally logs it,
 * reloads the studio, and tells the user. Outputs live in the main process and keep
 * running: the reloaded page asks for a new media port and its frames flow to them again.
 * A page that keeps dying is not reloaded forever.
 */
import type { RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../services/logger.ts';

/** The WebContents events used here. */
export interface GoneEmitter {
  on(event: 'render-process-gone', listener: (event: unknown, details: RenderProcessGoneDetails) => void): unknown;
}

export interface RendererRecoveryOptions {
  log: Logger;
  /** Loads the studio page again. */
  reload(): void;
  /** Tells the user what happened (a message box over the window). */
  notify(message: { title: string; detail: string }): void;
  /** Reloads allowed within `windowMs` before Tally gives up. Default 3. */
  maxReloads?: number;
  /** Default 60 000 ms. */
  windowMs?: number;
  now?: () => number;
}

/** Watches one studio WebContents; returns how many reloads it has done (for tests). */
export function recoverStudioRenderer(contents: GoneEmitter, options: RendererRecoveryOptions): { reloads(): number } {
  const { log } = options;
  const maxReloads = options.maxReloads ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const recent: number[] = [];
  let reloads = 0;
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return; // the window is closing
    log.error({ reason: details.reason, exitCode: details.exitCode }, 'the studio page process is gone');
    const at = now();
    while (recent.length > 0 && at - recent[0]! > windowMs) recent.shift();
    if (recent.length >= maxReloads) {
      options.notify({
        title: 'The studio page keeps stopping',
        detail: `It stopped ${recent.length + 1} times within a minute (last reason: ${details.reason}), so Tally did not reload it again. Restart Tally; the logs folder (Help > Show Logs Folder) has the details.`,
      });
      return;
    }
    recent.push(at);
    reloads += 1;
    options.reload();
    options.notify({
      title: 'The studio page stopped and was reloaded',
      detail: `Reason: ${details.reason}. Streams and recordings kept running in the background and pick up the reloaded page's video and audio again.`,
    });
  });
  return { reloads: () => reloads };
}
