import { EventEmitter } from 'node:events';
import type { RenderProcessGoneDetails } from 'electron';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../server/log.ts';
import { recoverStudioRenderer } from './renderer-recovery.ts';

/** A stand-in for the studio's WebContents (no Electron binary here). */
function fakeContents() {
  const contents = new EventEmitter();
  const gone = (reason: RenderProcessGoneDetails['reason'], exitCode = 139) =>
    contents.emit('render-process-gone', {}, { reason, exitCode } satisfies RenderProcessGoneDetails);
  return { contents, gone };
}

describe('when the studio page process dies (fake WebContents)', () => {
  it('logs it, reloads the studio and tells the user that outputs kept running', () => {
    const { contents, gone } = fakeContents();
    const log = captureLogger();
    const notices: Array<{ title: string; detail: string }> = [];
    let reloads = 0;
    recoverStudioRenderer(contents, { log, reload: () => reloads++, notify: (notice) => notices.push(notice) });
    gone('crashed');
    expect(reloads).toBe(1);
    expect(log.lines.find((line) => line.level === 'error')?.fields).toMatchObject({ reason: 'crashed', exitCode: 139 });
    expect(notices[0]!.title).toBe('The studio page stopped and was reloaded');
    expect(notices[0]!.detail).toMatch(/Reason: crashed.*kept running/);
  });

  it('a clean exit (the window closing) is not a crash', () => {
    const { contents, gone } = fakeContents();
    let reloads = 0;
    recoverStudioRenderer(contents, { log: captureLogger(), reload: () => reloads++, notify: () => {} });
    gone('clean-exit', 0);
    expect(reloads).toBe(0);
  });

  it('stops reloading a page that keeps dying, and says to restart; a crash later is reloaded again', () => {
    const { contents, gone } = fakeContents();
    const notices: string[] = [];
    let now = 0;
    let reloads = 0;
    recoverStudioRenderer(contents, {
      log: captureLogger(),
      reload: () => reloads++,
      notify: (notice) => notices.push(notice.title),
      maxReloads: 3,
      windowMs: 60_000,
      now: () => now,
    });
    for (const reason of ['oom', 'oom', 'oom', 'oom'] as const) {
      gone(reason);
      now += 5_000;
    }
    expect(reloads).toBe(3);
    expect(notices.at(-1)).toBe('The studio page keeps stopping');
    now += 120_000;
    gone('killed');
    expect(reloads).toBe(4);
  });
});
