import { describe, expect, it } from 'vitest';
import { slideOffsets, transitionProgress, type ActiveTransition } from './transitions.ts';

const fade: ActiveTransition = { kind: 'fade', fromSceneId: 'a', toSceneId: 'b', startMs: 1000, durationMs: 500 };

describe('transitions', () => {
  it('run from 0 to 1 over their duration, eased, and cut at once', () => {
    expect(transitionProgress(fade, 900)).toBe(0);
    expect(transitionProgress(fade, 1250)).toBeCloseTo(0.5, 6);
    expect(transitionProgress(fade, 1100)).toBeLessThan(0.2);
    expect(transitionProgress(fade, 1500)).toBe(1);
    expect(transitionProgress({ ...fade, kind: 'cut' }, 1000)).toBe(1);
    expect(transitionProgress({ ...fade, durationMs: 0 }, 1000)).toBe(1);
  });

  it('slide the old scene out left as the new one comes in from the right', () => {
    expect(slideOffsets(0, 1280)).toEqual({ from: -0, to: 1280 });
    expect(slideOffsets(0.25, 1280)).toEqual({ from: -320, to: 960 });
    expect(slideOffsets(1, 1280)).toEqual({ from: -1280, to: 0 });
  });
});
