import { describe, expect, it } from 'vitest';
import { LayoutSettings } from '../../../common/settings/studio-settings.ts';
import { clampPanes, defaultLayout, resizeSlots, setDockVisible, visibleSlots, withAllDocks } from './layout-model.ts';

const known = new Set(['scenes', 'sources', 'mixer', 'transitions', 'controls', 'stats']);

describe('the main window layout', () => {
  it('starts OBS-like: scenes, sources, mixer, transitions and controls under the preview, stats and the library beside it', () => {
    const layout = defaultLayout();
    expect(visibleSlots(layout, 'bottom', known).map((slot) => slot.dock)).toEqual([
      'scenes',
      'sources',
      'mixer',
      'transitions',
      'controls',
    ]);
    expect(visibleSlots(layout, 'side', new Set([...known, 'library'])).map((slot) => slot.dock)).toEqual(['stats', 'library']);
    expect(layout.sideWidthPx).toBe(320);
  });

  it('hides and shows docks, and ignores docks this build does not know', () => {
    let layout = setDockVisible(defaultLayout(), 'mixer', false);
    expect(visibleSlots(layout, 'bottom', known).map((slot) => slot.dock)).not.toContain('mixer');
    layout = setDockVisible(layout, 'mixer', true);
    expect(visibleSlots(layout, 'bottom', known).map((slot) => slot.dock)).toContain('mixer');
    const withUnknown = { ...layout, side: [...layout.side, { dock: 'fromTheFuture', weight: 1 }] };
    expect(visibleSlots(withUnknown, 'side', known).map((slot) => slot.dock)).toEqual(['stats']);
  });

  it('places a dock new in this build in its starting area', () => {
    const saved = LayoutSettings.parse({ side: [{ dock: 'stats' }] });
    const layout = withAllDocks(saved, [{ id: 'library', area: 'side' }]);
    expect(layout.side.map((slot) => slot.dock)).toEqual(['stats', 'library']);
    expect(withAllDocks(layout, [{ id: 'library', area: 'side' }])).toBe(layout);
  });

  it('a splitter drag trades length between neighbours only, never below the minimum, and stays valid', () => {
    const slots = [
      { dock: 'a', weight: 1 },
      { dock: 'b', weight: 1 },
      { dock: 'c', weight: 2 },
    ];
    const moved = resizeSlots(slots, 0, 30, 400, 60);
    // 100 + 100 + 200 px; a grows by 30, b shrinks by 30, c untouched.
    const movedTotal = moved.reduce((sum, slot) => sum + slot.weight, 0);
    expect(moved.map((slot) => Math.round((slot.weight / movedTotal) * 400))).toEqual([130, 70, 200]);
    const clamped = resizeSlots(slots, 0, 500, 400, 60);
    const total = clamped.reduce((sum, slot) => sum + slot.weight, 0);
    expect((clamped[1]!.weight / total) * 400).toBeCloseTo(60);
    expect(LayoutSettings.safeParse({ ...defaultLayout(), bottom: clamped }).success).toBe(true);
  });

  it('keeps room for the preview in a 1280x720 window', () => {
    expect(clampPanes({ bottomHeightPx: 900, sideWidthPx: 2000 }, { width: 1280, height: 720 }, 80)).toEqual({
      bottomHeightPx: 440,
      sideWidthPx: 920,
    });
    expect(clampPanes({ bottomHeightPx: 250, sideWidthPx: 250 }, { width: 1280, height: 720 }, 80)).toEqual({
      bottomHeightPx: 250,
      sideWidthPx: 250,
    });
  });
});
