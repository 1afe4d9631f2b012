import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../server/log.ts';
import { CLOSE_QUESTION, studioCloseGuard, type CloseQuestion } from './close-guard.ts';

/** A stand-in for the studio's WebContents (no Electron binary here): emits the event as Electron does, with a preventable event. */
function fakeContents() {
  const contents = new EventEmitter();
  /** What Electron does next: true when the page unloads (the handler called preventDefault). */
  const closeAttempt = () => {
    let unloads = false;
    contents.emit('will-prevent-unload', { preventDefault: () => (unloads = true) });
    return unloads;
  };
  return { contents, closeAttempt };
}

function guardWith(state: { active: boolean; answer: boolean }) {
  const log = captureLogger();
  const asked: CloseQuestion[] = [];
  const guard = studioCloseGuard({
    log,
    active: () => state.active,
    confirm: (question) => (asked.push(question), state.answer),
  });
  return { guard, asked, log };
}

describe('closing the studio window or quitting while live or recording (fake WebContents)', () => {
  it('asks; "Keep Going" keeps the window open, "End and Close" lets it unload', () => {
    const state = { active: true, answer: false };
    const { guard, asked, log } = guardWith(state);
    const { contents, closeAttempt } = fakeContents();
    guard.watch(contents);
    expect(closeAttempt()).toBe(false);
    expect(asked.map((question) => [question.message, ...question.buttons])).toEqual([
      [CLOSE_QUESTION.message, 'End and Close', 'Keep Going'],
    ]);
    expect(log.lines.at(-1)?.msg).toMatch(/stays open/);
    state.answer = true;
    expect(closeAttempt()).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('once agreed, the quit that follows is not asked about again', () => {
    const state = { active: true, answer: true };
    const { guard, asked } = guardWith(state);
    const { contents, closeAttempt } = fakeContents();
    guard.watch(contents);
    expect(closeAttempt()).toBe(true);
    expect(guard.mayClose()).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('quitting asks too, and "Keep Going" refuses the quit', () => {
    const { guard, asked } = guardWith({ active: true, answer: false });
    expect(guard.mayClose()).toBe(false);
    expect(asked).toHaveLength(1);
  });

  it('with nothing running in the host, closes without a question (whatever the page believed)', () => {
    const { guard, asked } = guardWith({ active: false, answer: false });
    const { contents, closeAttempt } = fakeContents();
    guard.watch(contents);
    expect(closeAttempt()).toBe(true);
    expect(guard.mayClose()).toBe(true);
    expect(asked).toHaveLength(0);
  });
});
