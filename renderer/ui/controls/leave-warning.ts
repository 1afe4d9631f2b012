/**
 * While the studio is live or recording, closing or reloading its window asks first, as OBS
 * does on exit: the page's `beforeunload` asks the browser for its "Leave site?" prompt (HTML
 * §7.4.2.2, a page with sticky user activation), and in the desktop app the main process turns
 * that request into a message box (`main/electron/close-guard.ts`). Without it a stray Ctrl+W
 * or reload would, in the web studio, leave the host's stream and recording running with no
 * picture (a reopened page feeds them again), and in the desktop app quit Tally, which ends them.
 */
import { useEffect } from 'react';

export function useLeaveWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium (and Electron's check) still read returnValue.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [active]);
}
