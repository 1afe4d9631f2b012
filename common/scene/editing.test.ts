import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centreOnCanvas,
  cropItem,
  displayedSize,
  fitToCanvas,
  flipItem,
  handleAt,
  handlePoints,
  HANDLE_OFFSETS,
  HANDLES,
  itemAt,
  moveItem,
  normaliseDegrees,
  placeNewItem,
  resizeItem,
  rotateBy,
  rotateItem,
  snapMove,
  snapPoint,
  snapTargets,
  stretchToCanvas,
  type Handle,
  type ItemTransform,
} from './editing.ts';
import { SceneItem, type Scene } from './schema.ts';
import { itemGeometry, transformPoint, type Point, type Size } from './transforms.ts';

const canvas = { width: 1280, height: 720 };
const source: Size = { width: 400, height: 200 };

function transform(patch: Partial<ItemTransform> = {}): ItemTransform {
  return { position: { x: 100, y: 50 }, scale: { x: 1, y: 1 }, rotationDeg: 0, crop: { left: 0, top: 0, right: 0, bottom: 0 }, ...patch };
}

function opposite(handle: Handle): Handle {
  const offset = HANDLE_OFFSETS[handle];
  return HANDLES.find((other) => HANDLE_OFFSETS[other].x === -offset.x && HANDLE_OFFSETS[other].y === -offset.y)!;
}

function close(a: Point, b: Point, tolerance = 1e-6): boolean {
  return Math.abs(a.x - b.x) <= tolerance && Math.abs(a.y - b.y) <= tolerance;
}

/** Where source pixel `s` lands on the canvas for an item, or null when it is cropped away. */
function sourcePixelOnCanvas(item: ItemTransform, size: Size, s: Point): Point | null {
  const geometry = itemGeometry(item, size);
  if (!geometry) return null;
  const width = size.width - item.crop.left - item.crop.right;
  const height = size.height - item.crop.top - item.crop.bottom;
  const u = (s.x - item.crop.left) / width;
  const v = (s.y - item.crop.top) / height;
  if (u < 0 || u > 1 || v < 0 || v > 1) return null;
  return transformPoint(geometry.matrix, { x: u, y: v });
}

const arbitraryTransform = fc.record({
  position: fc.record({ x: fc.double({ min: -500, max: 1500, noNaN: true }), y: fc.double({ min: -500, max: 1000, noNaN: true }) }),
  scale: fc.record({
    x: fc.oneof(fc.double({ min: 0.1, max: 4, noNaN: true }), fc.double({ min: -4, max: -0.1, noNaN: true })),
    y: fc.oneof(fc.double({ min: 0.1, max: 4, noNaN: true }), fc.double({ min: -4, max: -0.1, noNaN: true })),
  }),
  rotationDeg: fc.double({ min: -180, max: 180, noNaN: true }),
  crop: fc.record({
    left: fc.integer({ min: 0, max: 100 }),
    top: fc.integer({ min: 0, max: 50 }),
    right: fc.integer({ min: 0, max: 100 }),
    bottom: fc.integer({ min: 0, max: 50 }),
  }),
});
const arbitraryHandle = fc.constantFrom(...HANDLES);
const arbitraryPoint = fc.record({
  x: fc.double({ min: -2000, max: 3000, noNaN: true }),
  y: fc.double({ min: -2000, max: 3000, noNaN: true }),
});

describe('clicking in the preview', () => {
  const scene: Scene = {
    id: 's',
    name: 'S',
    items: [
      SceneItem.parse({ id: 'bottom', sourceId: 'a', position: { x: 0, y: 0 } }),
      SceneItem.parse({ id: 'top', sourceId: 'a', position: { x: 200, y: 100 } }),
      SceneItem.parse({ id: 'hidden', sourceId: 'a', position: { x: 250, y: 120 }, visible: false }),
      SceneItem.parse({ id: 'turned', sourceId: 'a', position: { x: 800, y: 400 }, rotationDeg: 90 }),
    ],
  };
  const sizeOf = () => source;

  it('selects the topmost visible item under the pointer, and nothing on empty canvas', () => {
    expect(itemAt(scene, sizeOf, { x: 300, y: 150 })?.id).toBe('top');
    expect(itemAt(scene, sizeOf, { x: 50, y: 50 })?.id).toBe('bottom');
    expect(itemAt(scene, sizeOf, { x: 1270, y: 10 })).toBeNull();
  });

  it('hits a turned item where it is drawn, not where its unturned box would be', () => {
    // Centre (1000, 500); turned 90°, the box is 200 wide and 400 tall.
    expect(itemAt(scene, sizeOf, { x: 1000, y: 320 })?.id).toBe('turned');
    expect(itemAt(scene, sizeOf, { x: 1180, y: 500 })).toBeNull();
  });

  it('ignores items whose source has no picture yet', () => {
    expect(itemAt(scene, () => null, { x: 300, y: 150 })).toBeNull();
  });

  it('finds the handle under the pointer, the rotation handle included', () => {
    const item = transform();
    expect(handleAt(item, source, { x: 101, y: 51 }, 6, 30)).toBe('nw');
    expect(handleAt(item, source, { x: 500, y: 150 }, 6, 30)).toBe('e');
    expect(handleAt(item, source, { x: 300, y: 20 }, 6, 30)).toBe('rotate');
    expect(handleAt(item, source, { x: 300, y: 150 }, 6, 30)).toBeNull();
  });
});

describe('dragging an item', () => {
  it('moves by the pointer delta', () => {
    expect(moveItem(transform(), { x: 15, y: -5 })).toEqual({ position: { x: 115, y: 45 } });
  });

  it('resizing keeps the opposite handle in place, at any rotation, flip and crop', () => {
    fc.assert(
      fc.property(arbitraryTransform, arbitraryHandle, arbitraryPoint, fc.boolean(), (start, handle, pointer, keepRatio) => {
        const before = handlePoints(start, source)!;
        const after = handlePoints({ ...start, ...resizeItem(start, source, handle, pointer, { keepRatio }) }, source)!;
        const anchor = opposite(handle);
        return close(before[anchor], after[anchor], 1e-6 * Math.max(1, Math.hypot(pointer.x, pointer.y)));
      }),
    );
  });

  it('a corner follows the pointer exactly when the ratio is free', () => {
    fc.assert(
      fc.property(arbitraryTransform, fc.constantFrom<Handle>('nw', 'ne', 'se', 'sw'), (start, handle) => {
        const before = handlePoints(start, source)!;
        // Drag the corner outwards along the diagonal, so no minimum size interferes.
        const anchor = before[opposite(handle)];
        const target = { x: anchor.x + (before[handle].x - anchor.x) * 1.5, y: anchor.y + (before[handle].y - anchor.y) * 1.5 };
        const after = handlePoints({ ...start, ...resizeItem(start, source, handle, target) }, source)!;
        return close(after[handle], target, 1e-6 * Math.max(1, Math.hypot(target.x, target.y)));
      }),
    );
  });

  it('shift keeps the aspect ratio and the flips', () => {
    fc.assert(
      fc.property(arbitraryTransform, arbitraryHandle, arbitraryPoint, (start, handle, pointer) => {
        const result = resizeItem(start, source, handle, pointer, { keepRatio: true });
        const ratio = (value: { x: number; y: number }) => value.x / value.y;
        return (
          Math.abs(ratio(result.scale) - ratio(start.scale)) <= 1e-9 * Math.abs(ratio(start.scale)) &&
          Math.sign(result.scale.x) === Math.sign(start.scale.x) &&
          Math.sign(result.scale.y) === Math.sign(start.scale.y)
        );
      }),
    );
  });

  it('never resizes below the minimum, however far past the anchor the pointer goes', () => {
    const result = resizeItem(transform(), source, 'se', { x: -5000, y: -5000 }, { minSize: 4 });
    expect(displayedSize({ ...transform(), ...result }, source)).toEqual({ width: 4, height: 4 });
  });

  it('alt-drag crops: what is left of the picture stays where it was, and the scale does not change', () => {
    fc.assert(
      fc.property(arbitraryTransform, arbitraryHandle, arbitraryPoint, (start, handle, pointer) => {
        const result = { ...start, ...cropItem(start, source, handle, pointer) };
        if (result.scale !== start.scale && (result.scale.x !== start.scale.x || result.scale.y !== start.scale.y)) return false;
        const crop = result.crop;
        if (crop.left < 0 || crop.top < 0 || crop.right < 0 || crop.bottom < 0) return false;
        if (source.width - crop.left - crop.right < 1 - 1e-9 || source.height - crop.top - crop.bottom < 1 - 1e-9) return false;
        // A source pixel visible before and after lands on the same canvas point.
        const inside = {
          x: (Math.max(start.crop.left, crop.left) + source.width - Math.max(start.crop.right, crop.right)) / 2,
          y: (Math.max(start.crop.top, crop.top) + source.height - Math.max(start.crop.bottom, crop.bottom)) / 2,
        };
        const before = sourcePixelOnCanvas(start, source, inside);
        const after = sourcePixelOnCanvas(result, source, inside);
        return before !== null && after !== null && close(before, after, 1e-6 * Math.max(1, Math.hypot(pointer.x, pointer.y)));
      }),
    );
  });

  it('alt-dragging the left handle of an unflipped item cuts the left of the source; of a flipped one, its right', () => {
    const plain = cropItem(transform(), source, 'w', { x: 150, y: 100 });
    expect(plain.crop).toEqual({ left: 50, top: 0, right: 0, bottom: 0 });
    expect(plain.position).toEqual({ x: 150, y: 50 });
    const flipped = cropItem(transform({ scale: { x: -1, y: 1 } }), source, 'w', { x: 150, y: 100 });
    expect(flipped.crop).toEqual({ left: 0, top: 0, right: 50, bottom: 0 });
    // Dragging outwards gives back at most what was cropped.
    const uncrop = cropItem(transform({ crop: { left: 20, top: 0, right: 0, bottom: 0 } }), source, 'w', { x: -400, y: 100 });
    expect(uncrop.crop.left).toBe(0);
  });

  it('rotates by the angle swept around the centre, snapping to 15° with shift', () => {
    const start = transform();
    // Centre (300, 150): from straight above to straight right is +90°.
    expect(rotateItem(start, source, { x: 300, y: 0 }, { x: 450, y: 150 }).rotationDeg).toBeCloseTo(90);
    expect(rotateItem(start, source, { x: 300, y: 0 }, { x: 450, y: 140 }, 15).rotationDeg).toBe(90);
    expect(rotateItem(transform({ rotationDeg: 170 }), source, { x: 300, y: 0 }, { x: 450, y: 150 }).rotationDeg).toBeCloseTo(-100);
  });

  it('normalises angles into (-180, 180]', () => {
    expect([normaliseDegrees(-180), normaliseDegrees(540), normaliseDegrees(-190), normaliseDegrees(0)]).toEqual([180, 180, 170, 0]);
  });
});

describe('snapping', () => {
  const other = SceneItem.parse({ id: 'other', sourceId: 'a', position: { x: 700, y: 400 } });
  const scene: Scene = { id: 's', name: 'S', items: [other] };
  const targets = snapTargets(scene, () => source, canvas, 'moving');

  it('offers the canvas edges and centre lines and the other items’ edges and centres', () => {
    expect(targets.x).toEqual([0, 640, 1280, 700, 900, 1100]);
    expect(targets.y).toEqual([0, 360, 720, 400, 500, 600]);
  });

  it('pulls an edge or centre within the threshold onto the nearest line, with a guide', () => {
    // Box 400x200: centre at (643, 150) snaps to x 640; top at 4 snaps to 0.
    const snapped = snapMove(transform({ position: { x: 443, y: 4 } }), source, targets, 8);
    expect(snapped.position).toEqual({ x: 440, y: 0 });
    expect(snapped.guides).toEqual([
      { axis: 'x', at: 640 },
      { axis: 'y', at: 0 },
    ]);
  });

  it('leaves an item beyond the threshold where it is', () => {
    const snapped = snapMove(transform({ position: { x: 420, y: 30 } }), source, targets, 8);
    expect(snapped).toEqual({ position: { x: 420, y: 30 }, guides: [] });
  });

  it('snaps a dragged handle to other items’ edges', () => {
    expect(snapPoint({ x: 697, y: 250 }, targets, 5)).toEqual({ point: { x: 700, y: 250 }, guides: [{ axis: 'x', at: 700 }] });
  });
});

describe('transform commands', () => {
  it('fit keeps the aspect and centres; stretch fills; centre moves only', () => {
    expect(fitToCanvas(transform({ rotationDeg: 30 }), source, canvas)).toEqual({
      position: { x: 0, y: 40 },
      scale: { x: 3.2, y: 3.2 },
      rotationDeg: 0,
    });
    expect(stretchToCanvas(transform({ scale: { x: -1, y: 1 } }), source, canvas)).toEqual({
      position: { x: 0, y: 0 },
      scale: { x: -3.2, y: 3.6 },
      rotationDeg: 0,
    });
    expect(centreOnCanvas(transform({ rotationDeg: 45 }), source, canvas)).toEqual({ position: { x: 440, y: 260 } });
  });

  it('flips and turns in place', () => {
    expect(flipItem(transform(), 'x').scale).toEqual({ x: -1, y: 1 });
    expect(rotateBy(transform({ rotationDeg: 120 }), 90).rotationDeg).toBe(-150);
  });

  it('places a new item centred at its size, or fitted when it is larger than the canvas', () => {
    expect(placeNewItem({ width: 200, height: 100 }, canvas)).toEqual({ position: { x: 540, y: 310 }, scale: { x: 1, y: 1 } });
    expect(placeNewItem({ width: 1920, height: 1080 }, canvas)).toEqual({ position: { x: 0, y: 0 }, scale: { x: 2 / 3, y: 2 / 3 } });
  });
});
