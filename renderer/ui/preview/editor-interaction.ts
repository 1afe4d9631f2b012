/**
 * What a drag in the preview does, pure: which gesture a press starts (move, resize,
 * alt-crop, rotate), and the item patch and snapping guides for each pointer position.
 * The SceneEditor feeds it canvas coordinates and dispatches the patches.
 */
import {
  cropItem,
  handleAt,
  itemAt,
  moveItem,
  resizeItem,
  rotateItem,
  snapMove,
  snapPoint,
  type Guide,
  type Handle,
  type ItemTransform,
  type SizeOf,
  type SnapTargets,
} from '../../../common/scene/editing.ts';
import type { Scene, SceneItem } from '../../../common/scene/schema.ts';
import type { Point, Size } from '../../../common/scene/transforms.ts';

/** A gesture under way. */
export type Drag =
  | { kind: 'move'; itemId: string; start: ItemTransform; size: Size; startPointer: Point }
  | { kind: 'resize' | 'crop'; itemId: string; start: ItemTransform; size: Size; handle: Handle }
  | { kind: 'rotate'; itemId: string; start: ItemTransform; size: Size; startPointer: Point };

/** Modifier keys during a drag. */
export interface DragKeys {
  /** Keep the ratio (resize), snap to 15° (rotate). */
  shift: boolean;
  /** Crop instead of resize (at the press). */
  alt: boolean;
  /** No snapping. */
  ctrl: boolean;
}

/** Screen-space sizes, converted to canvas pixels by the caller. */
export interface HitSizes {
  /** How close to a handle counts as on it. */
  handleRadius: number;
  /** How far above the box the rotation handle sits. */
  rotationDistance: number;
}

function transformOf(item: SceneItem): ItemTransform {
  return { position: item.position, scale: item.scale, rotationDeg: item.rotationDeg, crop: item.crop };
}

/**
 * What a press at `point` starts: a gesture on the selected item's handles, else a move of
 * the item under the pointer (which becomes the selection), else nothing (clears it).
 * Locked items are selected but not moved.
 */
export function startDrag(
  scene: Scene,
  sizeOf: SizeOf,
  selectedId: string | null,
  point: Point,
  keys: DragKeys,
  hit: HitSizes,
): { select: string | null; drag: Drag | null } {
  const selected = scene.items.find((item) => item.id === selectedId && item.visible);
  const selectedSize = selected ? sizeOf(selected.sourceId) : null;
  if (selected && selectedSize && !selected.locked) {
    const handle = handleAt(selected, selectedSize, point, hit.handleRadius, hit.rotationDistance);
    const base = { itemId: selected.id, start: transformOf(selected), size: selectedSize };
    if (handle === 'rotate') return { select: selected.id, drag: { kind: 'rotate', ...base, startPointer: point } };
    if (handle) return { select: selected.id, drag: { kind: keys.alt ? 'crop' : 'resize', ...base, handle } };
  }
  const hitItem = itemAt(scene, sizeOf, point);
  if (!hitItem) return { select: null, drag: null };
  const size = sizeOf(hitItem.sourceId);
  if (hitItem.locked || !size) return { select: hitItem.id, drag: null };
  return { select: hitItem.id, drag: { kind: 'move', itemId: hitItem.id, start: transformOf(hitItem), size, startPointer: point } };
}

/** The item patch and guides for the pointer at `point`. `threshold` is the snap distance in canvas pixels. */
export function dragTo(
  drag: Drag,
  point: Point,
  keys: DragKeys,
  targets: SnapTargets,
  threshold: number,
): { patch: Partial<ItemTransform>; guides: Guide[] } {
  const snapping = !keys.ctrl;
  switch (drag.kind) {
    case 'move': {
      const moved = { ...drag.start, ...moveItem(drag.start, { x: point.x - drag.startPointer.x, y: point.y - drag.startPointer.y }) };
      if (!snapping) return { patch: { position: moved.position }, guides: [] };
      const snapped = snapMove(moved, drag.size, targets, threshold);
      return { patch: { position: snapped.position }, guides: snapped.guides };
    }
    case 'resize':
    case 'crop': {
      // Handles snap to lines only on an unturned item, where a line and an edge can meet.
      const snapped = snapping && drag.start.rotationDeg === 0 ? snapPoint(point, targets, threshold) : { point, guides: [] };
      const patch =
        drag.kind === 'resize'
          ? resizeItem(drag.start, drag.size, drag.handle, snapped.point, { keepRatio: keys.shift })
          : cropItem(drag.start, drag.size, drag.handle, snapped.point);
      return { patch, guides: snapped.guides };
    }
    case 'rotate':
      return { patch: rotateItem(drag.start, drag.size, drag.startPointer, point, keys.shift ? 15 : 0), guides: [] };
  }
}

/** The CSS cursor for a handle of an item turned `rotationDeg`. */
export function cursorFor(handle: Handle | 'rotate' | 'move' | null, rotationDeg: number): string {
  if (handle === null) return 'default';
  if (handle === 'move') return 'move';
  if (handle === 'rotate') return 'grab';
  const angles: Record<Handle, number> = { e: 0, se: 45, s: 90, sw: 135, w: 180, nw: 225, n: 270, ne: 315 };
  const angle = (((angles[handle] + rotationDeg) % 180) + 180) % 180;
  return ['ew-resize', 'nwse-resize', 'ns-resize', 'nesw-resize'][Math.round(angle / 45) % 4]!;
}
