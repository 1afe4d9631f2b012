import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundingBox, canvasToClip, hitTest, itemGeometry, multiply, rotation, transformPoint } from './transforms.ts';

const item = { position: { x: 0, y: 0 }, scale: { x: 1, y: 1 }, rotationDeg: 0, crop: { left: 0, top: 0, right: 0, bottom: 0 } };
const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

describe('item geometry', () => {
  it('places a scaled item with its top-left at its position', () => {
    const geometry = itemGeometry({ ...item, position: { x: 100, y: 50 }, scale: { x: 2, y: 0.5 } }, { width: 40, height: 20 })!;
    expect(geometry.size).toEqual({ width: 80, height: 10 });
    const [tl, tr, br, bl] = geometry.corners;
    close(tl.x, 100);
    close(tl.y, 50);
    close(tr.x, 180);
    close(br.y, 60);
    close(bl.x, 100);
  });

  it('crops in source pixels: the shown size shrinks and the UVs cover only the kept part', () => {
    const geometry = itemGeometry({ ...item, crop: { left: 10, top: 5, right: 30, bottom: 0 } }, { width: 100, height: 50 })!;
    expect(geometry.size).toEqual({ width: 60, height: 45 });
    expect(geometry.uv).toEqual({ u0: 0.1, v0: 0.1, u1: 0.7, v1: 1 });
    expect(itemGeometry({ ...item, crop: { left: 60, top: 0, right: 40, bottom: 0 } }, { width: 100, height: 50 })).toBeNull();
  });

  it('rotates about the centre of the box', () => {
    const geometry = itemGeometry({ ...item, position: { x: 0, y: 0 }, rotationDeg: 90 }, { width: 20, height: 10 })!;
    // A 20x10 box centred at (10, 5) turned a quarter clockwise: the top-left corner goes to the top-right.
    const [tl] = geometry.corners;
    close(tl.x, 15);
    close(tl.y, -5);
    const box = boundingBox(geometry);
    close(box.left, 5);
    close(box.right, 15);
    close(box.top, -5);
    close(box.bottom, 15);
  });

  it('mirrors with a negative scale, keeping the box where it was', () => {
    const geometry = itemGeometry({ ...item, scale: { x: -1, y: 1 } }, { width: 20, height: 10 })!;
    const [tl, tr] = geometry.corners;
    close(tl.x, 20);
    close(tr.x, 0);
  });

  it('hit-tests every point inside a rotated box and none outside (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (deg, u, v) => {
          const geometry = itemGeometry(
            { ...item, position: { x: 30, y: 40 }, rotationDeg: deg, scale: { x: 1.5, y: 2 } },
            { width: 64, height: 32 },
          )!;
          const inside = transformPoint(geometry.matrix, { x: u, y: v });
          const outside = transformPoint(geometry.matrix, { x: u + 1.2, y: v });
          return hitTest(geometry, inside) && !hitTest(geometry, outside);
        },
      ),
    );
  });

  it('maps canvas corners to clip space, flipped for render targets', () => {
    const clip = canvasToClip({ width: 1280, height: 720 }, false);
    expect(transformPoint(clip, { x: 0, y: 0 })).toEqual({ x: -1, y: 1 });
    expect(transformPoint(clip, { x: 1280, y: 720 })).toEqual({ x: 1, y: -1 });
    const flipped = canvasToClip({ width: 1280, height: 720 }, true);
    expect(transformPoint(flipped, { x: 0, y: 0 })).toEqual({ x: -1, y: -1 });
  });

  it('composes matrices in the right order', () => {
    const turnedTwice = multiply(rotation(45), rotation(45));
    const p = transformPoint(turnedTwice, { x: 1, y: 0 });
    close(p.x, 0);
    close(p.y, 1);
  });
});
