/**
 * Editing items on the canvas, pure: what a click hits, and how a drag moves, resizes,
 * crops or rotates an item, with snapping to the canvas and to other items. The preview
 * editor feeds it pointer positions in canvas pixels; every result is a patch of the item
 * that `applySceneCommand({ type: 'updateItem' })` takes as it is.
 *
 * Frames used here: a canvas point is in canvas pixels (y down). An item's *box* is its
 * cropped, scaled, unrotated rectangle; box-local coordinates have their origin at the box's
 * centre and turn with the item, so a handle is always at (±w/2, ±h/2) whatever the rotation
 * or flip. `position` is the box's top-left before rotation, so the centre is
 * `position + size / 2` at any rotation.
 */
import type { Canvas, Crop, Scene, SceneItem } from './schema.ts';
import { boundingBox, croppedSize, hitTest, itemGeometry, type ItemGeometry, type Point, type Size } from './transforms.ts';

/** The parts of an item that editing changes. */
export type ItemTransform = Pick<SceneItem, 'position' | 'scale' | 'rotationDeg' | 'crop'>;

/** The size of a source's picture, or null while it has none (not started, failed, audio only). */
export type SizeOf = (sourceId: string) => Size | null;

/** A resize or crop handle: the corners and edge midpoints of the box, named by compass point. */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';

/** Where each handle sits on the box, in box units (-0.5 = left/top, 0.5 = right/bottom). */
export const HANDLE_OFFSETS: Readonly<Record<Handle, { readonly x: -0.5 | 0 | 0.5; readonly y: -0.5 | 0 | 0.5 }>> = {
  nw: { x: -0.5, y: -0.5 },
  n: { x: 0, y: -0.5 },
  ne: { x: 0.5, y: -0.5 },
  e: { x: 0.5, y: 0 },
  se: { x: 0.5, y: 0.5 },
  s: { x: 0, y: 0.5 },
  sw: { x: -0.5, y: 0.5 },
  w: { x: -0.5, y: 0 },
};
/** Every handle, corners first (a corner wins over an edge where they overlap on a tiny item). */
export const HANDLES: readonly Handle[] = ['nw', 'ne', 'se', 'sw', 'n', 'e', 's', 'w'];

/** An item's box: its centre on the canvas, its turn and its displayed size. */
interface BoxFrame {
  centre: Point;
  rotationDeg: number;
  width: number;
  height: number;
}

function frameOf(item: ItemTransform, displayed: Size): BoxFrame {
  return {
    centre: { x: item.position.x + displayed.width / 2, y: item.position.y + displayed.height / 2 },
    rotationDeg: item.rotationDeg,
    width: displayed.width,
    height: displayed.height,
  };
}

function turn(point: Point, degrees: number): Point {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  return { x: point.x * cos - point.y * sin, y: point.x * sin + point.y * cos };
}

/** A canvas point in the box's local coordinates. */
function toLocal(frame: BoxFrame, point: Point): Point {
  return turn({ x: point.x - frame.centre.x, y: point.y - frame.centre.y }, -frame.rotationDeg);
}

/** A box-local point on the canvas. */
function toCanvas(frame: BoxFrame, local: Point): Point {
  const turned = turn(local, frame.rotationDeg);
  return { x: frame.centre.x + turned.x, y: frame.centre.y + turned.y };
}

/** The displayed (cropped, scaled) size of an item, or null when nothing of it shows. */
export function displayedSize(item: ItemTransform, sourceSize: Size): Size | null {
  const cropped = croppedSize(sourceSize, item.crop);
  if (!cropped) return null;
  return { width: cropped.width * Math.abs(item.scale.x), height: cropped.height * Math.abs(item.scale.y) };
}

/**
 * The box-local anchor `anchor` (box units) of `frame` stays where it is on the canvas while
 * the box becomes `width`x`height`: the new top-left `position`.
 */
function placeKeeping(frame: BoxFrame, anchor: { x: number; y: number }, width: number, height: number): Point {
  const anchorLocal = { x: anchor.x * frame.width, y: anchor.y * frame.height };
  const centre = toCanvas(frame, { x: anchorLocal.x - anchor.x * width, y: anchorLocal.y - anchor.y * height });
  return { x: centre.x - width / 2, y: centre.y - height / 2 };
}

// ---- hit testing ----------------------------------------------------------------------

/** The geometry of an item whose source has a size, or null. */
export function geometryOf(item: SceneItem, sizeOf: SizeOf): ItemGeometry | null {
  const size = sizeOf(item.sourceId);
  return size ? itemGeometry(item, size) : null;
}

/** The topmost visible item under `point`, or null. Locked items are hit too (they can be selected, not moved). */
export function itemAt(scene: Scene, sizeOf: SizeOf, point: Point): SceneItem | null {
  for (let index = scene.items.length - 1; index >= 0; index--) {
    const item = scene.items[index]!;
    if (!item.visible) continue;
    const geometry = geometryOf(item, sizeOf);
    if (geometry && hitTest(geometry, point)) return item;
  }
  return null;
}

/** Every handle's point on the canvas, or null when nothing of the item shows. */
export function handlePoints(item: ItemTransform, sourceSize: Size): Record<Handle, Point> | null {
  const displayed = displayedSize(item, sourceSize);
  if (!displayed) return null;
  const frame = frameOf(item, displayed);
  const points = {} as Record<Handle, Point>;
  for (const handle of HANDLES) {
    const offset = HANDLE_OFFSETS[handle];
    points[handle] = toCanvas(frame, { x: offset.x * displayed.width, y: offset.y * displayed.height });
  }
  return points;
}

/** Where the rotation handle sits: `distance` canvas pixels above the box's top edge, turning with it. */
export function rotationHandlePoint(item: ItemTransform, sourceSize: Size, distance: number): Point | null {
  const displayed = displayedSize(item, sourceSize);
  if (!displayed) return null;
  return toCanvas(frameOf(item, displayed), { x: 0, y: -displayed.height / 2 - distance });
}

/** The handle within `radius` canvas pixels of `point` (the rotation handle first), or null. */
export function handleAt(
  item: ItemTransform,
  sourceSize: Size,
  point: Point,
  radius: number,
  rotationDistance: number,
): Handle | 'rotate' | null {
  const near = (target: Point | null) => target !== null && Math.hypot(target.x - point.x, target.y - point.y) <= radius;
  if (near(rotationHandlePoint(item, sourceSize, rotationDistance))) return 'rotate';
  const points = handlePoints(item, sourceSize);
  if (!points) return null;
  return HANDLES.find((handle) => near(points[handle])) ?? null;
}

// ---- dragging ---------------------------------------------------------------------------

/** Moves an item by `delta` canvas pixels. */
export function moveItem(start: ItemTransform, delta: Point): Pick<ItemTransform, 'position'> {
  return { position: { x: start.position.x + delta.x, y: start.position.y + delta.y } };
}

/** Options of a resize. */
export interface ResizeOptions {
  /** Keep the box's aspect ratio (the shift key). */
  keepRatio?: boolean;
  /** The smallest displayed width or height, canvas pixels. Default 1. */
  minSize?: number;
}

/**
 * Resizes by dragging `handle` to `pointer` (canvas pixels): the opposite handle stays where
 * it is, at any rotation; flips are kept. Changes `scale` and `position`.
 */
export function resizeItem(
  start: ItemTransform,
  sourceSize: Size,
  handle: Handle,
  pointer: Point,
  options: ResizeOptions = {},
): Pick<ItemTransform, 'position' | 'scale'> {
  const displayed = displayedSize(start, sourceSize);
  const cropped = croppedSize(sourceSize, start.crop);
  if (!displayed || !cropped) return { position: start.position, scale: start.scale };
  const minSize = options.minSize ?? 1;
  const frame = frameOf(start, displayed);
  const offset = HANDLE_OFFSETS[handle];
  const anchor = { x: -offset.x, y: -offset.y };
  const local = toLocal(frame, pointer);
  // The distance from the anchor to the pointer along each axis the handle moves.
  let width = offset.x === 0 ? displayed.width : Math.max(minSize, (local.x - anchor.x * displayed.width) * Math.sign(offset.x));
  let height = offset.y === 0 ? displayed.height : Math.max(minSize, (local.y - anchor.y * displayed.height) * Math.sign(offset.y));
  if (options.keepRatio) {
    const factor =
      offset.x === 0
        ? height / displayed.height
        : offset.y === 0
          ? width / displayed.width
          : Math.max(width / displayed.width, height / displayed.height);
    const smallest = minSize / Math.min(displayed.width, displayed.height);
    const kept = Math.max(factor, smallest);
    width = displayed.width * kept;
    height = displayed.height * kept;
  }
  return {
    position: placeKeeping(frame, anchor, width, height),
    scale: { x: (Math.sign(start.scale.x) || 1) * (width / cropped.width), y: (Math.sign(start.scale.y) || 1) * (height / cropped.height) },
  };
}

/**
 * Crops by dragging `handle` to `pointer` (the alt key): the dragged edges cut into the
 * source (or give back what an earlier crop took), the picture left stays where it was on
 * the canvas, and the scale does not change. On a flipped item the box's left edge is the
 * source's right edge, and so on.
 */
export function cropItem(start: ItemTransform, sourceSize: Size, handle: Handle, pointer: Point): Pick<ItemTransform, 'position' | 'crop'> {
  const displayed = displayedSize(start, sourceSize);
  if (!displayed) return { position: start.position, crop: start.crop };
  const frame = frameOf(start, displayed);
  const offset = HANDLE_OFFSETS[handle];
  const local = toLocal(frame, pointer);
  const crop: Crop = { ...start.crop };
  // Per axis: which source edge the box's edge shows (flips swap them), and how far it may move:
  // back to no crop at all, or in to 1 source pixel left.
  const cut = (axis: 'x' | 'y', shown: number): number => {
    const along = offset[axis];
    const [low, high, full] =
      axis === 'x' ? (['left', 'right', sourceSize.width] as const) : (['top', 'bottom', sourceSize.height] as const);
    const scale = Math.abs(start.scale[axis]);
    if (along === 0) return shown;
    const edge = along < 0 === start.scale[axis] >= 0 ? low : high;
    const inward = (along * shown - local[axis]) * Math.sign(along);
    crop[edge] += clamp(inward / scale, -crop[edge], full - crop[low] - crop[high] - 1);
    return (full - crop[low] - crop[high]) * scale;
  };
  const width = cut('x', displayed.width);
  const height = cut('y', displayed.height);
  return { position: placeKeeping(frame, { x: -offset.x, y: -offset.y }, width, height), crop };
}

/**
 * Rotates about the box's centre by the angle the pointer swept from `startPointer`;
 * `snapDeg` (the shift key) rounds the result to its multiples. Result in (-180, 180].
 */
export function rotateItem(
  start: ItemTransform,
  sourceSize: Size,
  startPointer: Point,
  pointer: Point,
  snapDeg = 0,
): Pick<ItemTransform, 'rotationDeg'> {
  const displayed = displayedSize(start, sourceSize);
  if (!displayed) return { rotationDeg: start.rotationDeg };
  const { centre } = frameOf(start, displayed);
  const angle = (p: Point) => (Math.atan2(p.y - centre.y, p.x - centre.x) * 180) / Math.PI;
  let degrees = start.rotationDeg + angle(pointer) - angle(startPointer);
  if (snapDeg > 0) degrees = Math.round(degrees / snapDeg) * snapDeg;
  return { rotationDeg: normaliseDegrees(degrees) };
}

/** An angle in (-180, 180]. */
export function normaliseDegrees(degrees: number): number {
  const wrapped = ((((degrees + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 ? 180 : Object.is(wrapped, -0) ? 0 : wrapped;
}

// ---- snapping ---------------------------------------------------------------------------

/** A guide line to draw while snapped: vertical at x = `at`, or horizontal at y = `at`. */
export interface Guide {
  axis: 'x' | 'y';
  at: number;
}

/** Lines an edge or centre may snap to. */
export interface SnapTargets {
  x: number[];
  y: number[];
}

/** The canvas's edges and centre lines, and the edges and centres of the scene's other visible items. */
export function snapTargets(scene: Scene, sizeOf: SizeOf, canvas: Canvas, excludeItemId: string): SnapTargets {
  const targets: SnapTargets = { x: [0, canvas.width / 2, canvas.width], y: [0, canvas.height / 2, canvas.height] };
  for (const item of scene.items) {
    if (item.id === excludeItemId || !item.visible) continue;
    const geometry = geometryOf(item, sizeOf);
    if (!geometry) continue;
    const box = boundingBox(geometry);
    targets.x.push(box.left, (box.left + box.right) / 2, box.right);
    targets.y.push(box.top, (box.top + box.bottom) / 2, box.bottom);
  }
  return targets;
}

/** The nearest target within `threshold` of any of `values`: how far to shift, and where. */
function nearest(values: readonly number[], targets: readonly number[], threshold: number): { shift: number; at: number } | null {
  let best: { shift: number; at: number } | null = null;
  for (const value of values) {
    for (const target of targets) {
      const shift = target - value;
      if (Math.abs(shift) <= threshold && (!best || Math.abs(shift) < Math.abs(best.shift))) best = { shift, at: target };
    }
  }
  return best;
}

/**
 * Snaps a moved item: its bounding box's left, centre or right (and top, middle or bottom)
 * moves onto the nearest target within `threshold` canvas pixels. Returns the snapped
 * position and the guides to draw.
 */
export function snapMove(
  moved: ItemTransform,
  sourceSize: Size,
  targets: SnapTargets,
  threshold: number,
): { position: Point; guides: Guide[] } {
  const geometry = itemGeometry(moved, sourceSize);
  if (!geometry) return { position: moved.position, guides: [] };
  const box = boundingBox(geometry);
  const x = nearest([box.left, (box.left + box.right) / 2, box.right], targets.x, threshold);
  const y = nearest([box.top, (box.top + box.bottom) / 2, box.bottom], targets.y, threshold);
  const guides: Guide[] = [];
  if (x) guides.push({ axis: 'x', at: x.at });
  if (y) guides.push({ axis: 'y', at: y.at });
  return { position: { x: moved.position.x + (x?.shift ?? 0), y: moved.position.y + (y?.shift ?? 0) }, guides };
}

/** Snaps a dragged point (a resize or crop handle) onto the nearest targets within `threshold`. */
export function snapPoint(point: Point, targets: SnapTargets, threshold: number): { point: Point; guides: Guide[] } {
  const x = nearest([point.x], targets.x, threshold);
  const y = nearest([point.y], targets.y, threshold);
  const guides: Guide[] = [];
  if (x) guides.push({ axis: 'x', at: x.at });
  if (y) guides.push({ axis: 'y', at: y.at });
  return { point: { x: x?.at ?? point.x, y: y?.at ?? point.y }, guides };
}

// ---- transform commands (the context menu) -----------------------------------------------

/** No move, no scale, no turn, no crop. */
export function resetTransform(): ItemTransform {
  return { position: { x: 0, y: 0 }, scale: { x: 1, y: 1 }, rotationDeg: 0, crop: { left: 0, top: 0, right: 0, bottom: 0 } };
}

/** As large as fits the canvas with the aspect kept, centred, unturned; flips are kept. */
export function fitToCanvas(
  item: ItemTransform,
  sourceSize: Size,
  canvas: Canvas,
): Pick<ItemTransform, 'position' | 'scale' | 'rotationDeg'> {
  const cropped = croppedSize(sourceSize, item.crop);
  if (!cropped) return { position: item.position, scale: item.scale, rotationDeg: item.rotationDeg };
  const factor = Math.min(canvas.width / cropped.width, canvas.height / cropped.height);
  const width = cropped.width * factor;
  const height = cropped.height * factor;
  return {
    position: { x: (canvas.width - width) / 2, y: (canvas.height - height) / 2 },
    scale: { x: (Math.sign(item.scale.x) || 1) * factor, y: (Math.sign(item.scale.y) || 1) * factor },
    rotationDeg: 0,
  };
}

/** Exactly the canvas, whatever the aspect; unturned; flips are kept. */
export function stretchToCanvas(
  item: ItemTransform,
  sourceSize: Size,
  canvas: Canvas,
): Pick<ItemTransform, 'position' | 'scale' | 'rotationDeg'> {
  const cropped = croppedSize(sourceSize, item.crop);
  if (!cropped) return { position: item.position, scale: item.scale, rotationDeg: item.rotationDeg };
  return {
    position: { x: 0, y: 0 },
    scale: {
      x: (Math.sign(item.scale.x) || 1) * (canvas.width / cropped.width),
      y: (Math.sign(item.scale.y) || 1) * (canvas.height / cropped.height),
    },
    rotationDeg: 0,
  };
}

/** The box's centre on the canvas's centre (at any rotation, since items turn about their centre). */
export function centreOnCanvas(item: ItemTransform, sourceSize: Size, canvas: Canvas): Pick<ItemTransform, 'position'> {
  const displayed = displayedSize(item, sourceSize);
  if (!displayed) return { position: item.position };
  return { position: { x: (canvas.width - displayed.width) / 2, y: (canvas.height - displayed.height) / 2 } };
}

/** Mirrors the item left-right or top-bottom in place. */
export function flipItem(item: ItemTransform, axis: 'x' | 'y'): Pick<ItemTransform, 'scale'> {
  return { scale: axis === 'x' ? { x: -item.scale.x, y: item.scale.y } : { x: item.scale.x, y: -item.scale.y } };
}

/** Turns the item by `degrees` about its centre. */
export function rotateBy(item: ItemTransform, degrees: number): Pick<ItemTransform, 'rotationDeg'> {
  return { rotationDeg: normaliseDegrees(item.rotationDeg + degrees) };
}

/**
 * Where a new item of `sourceSize` goes: fitted when it is larger than the canvas, else
 * centred at its own size.
 */
export function placeNewItem(sourceSize: Size, canvas: Canvas): Pick<ItemTransform, 'position' | 'scale'> {
  const item = resetTransform();
  if (sourceSize.width > canvas.width || sourceSize.height > canvas.height) {
    const { position, scale } = fitToCanvas(item, sourceSize, canvas);
    return { position, scale };
  }
  return { position: centreOnCanvas(item, sourceSize, canvas).position, scale: item.scale };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}
