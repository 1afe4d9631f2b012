import { describe, expect, it } from 'vitest';
import { SceneItem, type Scene } from '../../../common/scene/schema.ts';
import { cursorFor, dragTo, startDrag } from './editor-interaction.ts';

const size = { width: 200, height: 100 };
const scene: Scene = {
  id: 's',
  name: 'S',
  items: [
    SceneItem.parse({ id: 'box', sourceId: 'a', position: { x: 100, y: 100 } }),
    SceneItem.parse({ id: 'locked', sourceId: 'a', position: { x: 600, y: 400 }, locked: true }),
  ],
};
const keys = { shift: false, alt: false, ctrl: false };
const hit = { handleRadius: 6, rotationDistance: 24 };
const targets = { x: [0, 640, 1280], y: [0, 360, 720] };

describe('dragging in the preview', () => {
  it('a press on an item selects it and starts a move that snaps its edge to the canvas centre', () => {
    const { select, drag } = startDrag(scene, () => size, null, { x: 150, y: 150 }, keys, hit);
    expect(select).toBe('box');
    // Right edge at 300 + 337 = 637: within 8 of 640.
    const result = dragTo(drag!, { x: 487, y: 150 }, keys, targets, 8);
    expect(result.patch.position).toEqual({ x: 440, y: 100 });
    expect(result.guides).toEqual([{ axis: 'x', at: 640 }]);
    // Ctrl moves freely.
    expect(dragTo(drag!, { x: 487, y: 150 }, { ...keys, ctrl: true }, targets, 8).patch.position).toEqual({ x: 437, y: 100 });
  });

  it('a press on a handle of the selection resizes (shift keeps the ratio) or, with alt, crops', () => {
    const resize = startDrag(scene, () => size, 'box', { x: 300, y: 200 }, keys, hit).drag!;
    expect(resize).toMatchObject({ kind: 'resize', handle: 'se' });
    expect(dragTo(resize, { x: 500, y: 250 }, { ...keys, ctrl: true }, targets, 8).patch.scale).toEqual({ x: 2, y: 1.5 });
    expect(dragTo(resize, { x: 500, y: 250 }, { ...keys, shift: true, ctrl: true }, targets, 8).patch.scale).toEqual({ x: 2, y: 2 });
    const crop = startDrag(scene, () => size, 'box', { x: 100, y: 150 }, { ...keys, alt: true }, hit).drag!;
    expect(crop).toMatchObject({ kind: 'crop', handle: 'w' });
    expect(dragTo(crop, { x: 130, y: 150 }, { ...keys, ctrl: true }, targets, 8).patch).toMatchObject({
      crop: { left: 30, top: 0, right: 0, bottom: 0 },
      position: { x: 130, y: 100 },
    });
  });

  it('the handle above the box rotates, by 15° steps with shift', () => {
    const rotate = startDrag(scene, () => size, 'box', { x: 200, y: 76 }, keys, hit).drag!;
    expect(rotate.kind).toBe('rotate');
    expect(dragTo(rotate, { x: 330, y: 140 }, { ...keys, shift: true }, targets, 8).patch.rotationDeg).toBe(90);
  });

  it('a locked item is selected but not moved, and empty canvas clears the selection', () => {
    expect(startDrag(scene, () => size, null, { x: 650, y: 450 }, keys, hit)).toEqual({ select: 'locked', drag: null });
    expect(startDrag(scene, () => size, 'box', { x: 1000, y: 50 }, keys, hit)).toEqual({ select: null, drag: null });
  });

  it('resize cursors turn with the item', () => {
    expect(cursorFor('e', 0)).toBe('ew-resize');
    expect(cursorFor('e', 90)).toBe('ns-resize');
    expect(cursorFor('nw', 0)).toBe('nwse-resize');
    expect(cursorFor('rotate', 0)).toBe('grab');
  });
});
