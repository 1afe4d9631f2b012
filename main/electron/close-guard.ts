/**
 * Closing the studio window or quitting Tally while live or recording asks first, as OBS does
 * on exit. Two ways in, one question:
 * - Closing the window: the page asks by cancelling `beforeunload`
 *   (`renderer/ui/controls/leave-warning.ts`). Electron shows no prompt of its own for that; it
 *   keeps the window open and emits `will-prevent-unload` on its WebContents, where
 *   `event.preventDefault()` ignores the page's handler and lets it unload
 *   (docs/api/web-contents.md, "Event: 'will-prevent-unload'").
 * - Quitting (the menu, Cmd+Q, an update's restart): `before-quit`, before the host's shutdown
 *   ends the outputs.
 * The host's own state decides whether anything runs, not the page's; once the user agreed, the
 * windows closing during the quit that follows are not asked about again.
 */
import type { Logger } from '../services/logger.ts';

/** The WebContents event used here. */
export interface UnloadEmitter {
  on(event: 'will-prevent-unload', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface CloseQuestion {
  message: string;
  detail: string;
  /** The answer that closes first, the one that stays second. */
  buttons: [close: string, stay: string];
}

export interface CloseGuardOptions {
  log: Logger;
  /** Whether a stream or a recording runs in the host. */
  active(): boolean;
  /** Shows the question (a synchronous message box over the window); true to close anyway. */
  confirm(question: CloseQuestion): boolean;
}

export const CLOSE_QUESTION: Readonly<CloseQuestion> = {
  message: 'Tally is live or recording',
  detail: 'Closing Tally ends the stream on every destination and stops the recording (what was recorded is saved).',
  buttons: ['End and Close', 'Keep Going'],
};

export interface CloseGuard {
  /** Asks when a studio WebContents' page wants to stay open. */
  watch(contents: UnloadEmitter): void;
  /** For `before-quit`: true when the app may quit (nothing runs, or the user agreed). */
  mayClose(): boolean;
}

export function studioCloseGuard(options: CloseGuardOptions): CloseGuard {
  let agreed = false;
  const mayClose = () => {
    if (agreed || !options.active()) return true;
    agreed = options.confirm({ ...CLOSE_QUESTION, buttons: [...CLOSE_QUESTION.buttons] });
    if (!agreed) options.log.info({}, 'Tally stays open: live or recording, and the user chose to keep going');
    return agreed;
  };
  return {
    watch(contents) {
      contents.on('will-prevent-unload', (event) => {
        if (mayClose()) event.preventDefault();
      });
    },
    mayClose,
  };
}
