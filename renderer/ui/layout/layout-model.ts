/**
 * The main window's layout, pure: which docks show in which area (the row under the
 * preview, the column beside it), each dock's share of its area, the two pane sizes, and
 * how a drag of a splitter changes them. Stored as `LayoutSettings` in the host's settings.
 */
import { LayoutSettings, type DockId } from '../../../common/settings/studio-settings.ts';

/** The two dock areas. */
export type DockArea = 'bottom' | 'side';
/** A dock in an area, with its share of the area's length. */
export type DockSlot = LayoutSettings['bottom'][number];
type DockIdValue = (typeof DockId)['_zod']['output'];

/** A dock this build knows, and the area it starts in. */
export interface KnownDock {
  id: DockIdValue;
  area: DockArea;
}

/** The layout a fresh studio starts with. */
export function defaultLayout(): LayoutSettings {
  return LayoutSettings.parse({});
}

/** Every dock that shows, per area, in order. */
export function visibleSlots(layout: LayoutSettings, area: DockArea, known: ReadonlySet<string>): DockSlot[] {
  return layout[area].filter((slot) => known.has(slot.dock) && !layout.hidden.includes(slot.dock));
}

/** Puts every known dock that is in no area into its starting area (a dock new in this build). */
export function withAllDocks(layout: LayoutSettings, known: readonly KnownDock[]): LayoutSettings {
  const placed = new Set([...layout.bottom, ...layout.side].map((slot) => slot.dock));
  const missing = known.filter((dock) => !placed.has(dock.id));
  if (missing.length === 0) return layout;
  const next = { ...layout, bottom: [...layout.bottom], side: [...layout.side] };
  for (const dock of missing) next[dock.area].push({ dock: dock.id, weight: 1 });
  return next;
}

/** Shows or hides a dock. */
export function setDockVisible(layout: LayoutSettings, dock: string, visible: boolean): LayoutSettings {
  const hidden = layout.hidden.filter((id) => id !== dock);
  return { ...layout, hidden: visible ? hidden : [...hidden, dock] };
}

/**
 * Moves the boundary after visible slot `index` by `deltaPx` in an area whose docks share
 * `lengthPx`: the two neighbours trade length, neither below `minPx`. Weights come back
 * normalised to an average of 1.
 */
export function resizeSlots(slots: readonly DockSlot[], index: number, deltaPx: number, lengthPx: number, minPx: number): DockSlot[] {
  const total = slots.reduce((sum, slot) => sum + slot.weight, 0);
  const lengths = slots.map((slot) => (slot.weight / total) * lengthPx);
  const a = lengths[index];
  const b = lengths[index + 1];
  if (a === undefined || b === undefined || lengthPx <= 0) return [...slots];
  const pair = a + b;
  const nextA = Math.min(Math.max(a + deltaPx, Math.min(minPx, pair / 2)), pair - Math.min(minPx, pair / 2));
  lengths[index] = nextA;
  lengths[index + 1] = pair - nextA;
  const mean = lengthPx / slots.length;
  return slots.map((slot, i) => ({ ...slot, weight: Math.min(20, Math.max(0.05, lengths[i]! / mean)) }));
}

/** The smallest preview the panes leave, CSS pixels. */
export const MIN_PREVIEW = { width: 360, height: 200 };

/** The pane sizes clamped so the preview keeps its minimum in a window of `viewport`. */
export function clampPanes(
  layout: Pick<LayoutSettings, 'bottomHeightPx' | 'sideWidthPx'>,
  viewport: { width: number; height: number },
  chromeHeightPx: number,
): { bottomHeightPx: number; sideWidthPx: number } {
  const maxBottom = Math.max(120, viewport.height - chromeHeightPx - MIN_PREVIEW.height);
  const maxSide = Math.max(160, viewport.width - MIN_PREVIEW.width);
  return {
    bottomHeightPx: Math.round(Math.min(Math.max(layout.bottomHeightPx, 120), maxBottom)),
    sideWidthPx: Math.round(Math.min(Math.max(layout.sideWidthPx, 160), maxSide)),
  };
}
