/**
 * Where an item lands: the pure geometry of position, scale, rotation and crop. The
 * compositor draws a unit square through `itemMatrix`; the editor hit-tests with the same
 * numbers, so what is drawn and what is clicked cannot disagree.
 */
import type { Canvas, Crop, SceneItem } from './schema.ts';

/** A point in canvas pixels. */
export interface Point {
  x: number;
  y: number;
}

/** A width and height in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** A 3x3 affine matrix, column-major (as WebGL's uniformMatrix3fv takes it). */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

/** Texture coordinates of the visible part of the source; v grows downwards, 0 is the top row. */
export interface UvRect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

/** Everything the compositor and the editor need to know about one item's placement. */
export interface ItemGeometry {
  /** Maps the unit square (0..1, y down) to canvas pixels. */
  matrix: Mat3;
  /** The part of the source shown. */
  uv: UvRect;
  /** Displayed size before rotation, canvas pixels (negative scale flips, size stays positive). */
  size: Size;
  /** Corners in canvas pixels: top-left, top-right, bottom-right, bottom-left of the source's box. */
  corners: readonly [Point, Point, Point, Point];
}

/** The identity matrix. */
export const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** `a × b` (apply b first, then a). */
export function multiply(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9);
  for (let column = 0; column < 3; column++) {
    for (let row = 0; row < 3; row++) {
      out[column * 3 + row] = a[row]! * b[column * 3]! + a[3 + row]! * b[column * 3 + 1]! + a[6 + row]! * b[column * 3 + 2]!;
    }
  }
  return out as unknown as Mat3;
}

/** Applies a matrix to a point. */
export function transformPoint(m: Mat3, p: Point): Point {
  return { x: m[0] * p.x + m[3] * p.y + m[6], y: m[1] * p.x + m[4] * p.y + m[7] };
}

/** A translation. */
export function translation(x: number, y: number): Mat3 {
  return [1, 0, 0, 0, 1, 0, x, y, 1];
}

/** A scale about the origin. */
export function scaling(x: number, y: number): Mat3 {
  return [x, 0, 0, 0, y, 0, 0, 0, 1];
}

/** A rotation by `degrees`, clockwise on screen (y points down). */
export function rotation(degrees: number): Mat3 {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  return [cos, sin, 0, -sin, cos, 0, 0, 0, 1];
}

/** The size left after cropping, or null when the crop leaves nothing. */
export function croppedSize(source: Size, crop: Crop): Size | null {
  const width = source.width - crop.left - crop.right;
  const height = source.height - crop.top - crop.bottom;
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * The geometry of an item showing a source of `sourceSize`, or null when nothing of it is
 * visible (an empty crop or a zero scale).
 */
export function itemGeometry(item: Pick<SceneItem, 'position' | 'scale' | 'rotationDeg' | 'crop'>, sourceSize: Size): ItemGeometry | null {
  const cropped = croppedSize(sourceSize, item.crop);
  if (!cropped || item.scale.x === 0 || item.scale.y === 0) return null;
  const width = cropped.width * Math.abs(item.scale.x);
  const height = cropped.height * Math.abs(item.scale.y);
  // Unit square → flipped box centred on the origin → rotated → moved to the box's centre.
  const flip = scaling(Math.sign(item.scale.x), Math.sign(item.scale.y));
  const local = multiply(flip, multiply(translation(-0.5, -0.5), IDENTITY));
  const sized = multiply(scaling(width, height), local);
  const turned = multiply(rotation(item.rotationDeg), sized);
  const matrix = multiply(translation(item.position.x + width / 2, item.position.y + height / 2), turned);
  const uv: UvRect = {
    u0: item.crop.left / sourceSize.width,
    v0: item.crop.top / sourceSize.height,
    u1: (sourceSize.width - item.crop.right) / sourceSize.width,
    v1: (sourceSize.height - item.crop.bottom) / sourceSize.height,
  };
  const corner = (x: number, y: number) => transformPoint(matrix, { x, y });
  return { matrix, uv, size: { width, height }, corners: [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)] };
}

/**
 * Canvas pixels → WebGL clip space for a target of the canvas's aspect. `flipY` renders
 * upside down, which is what a texture render target needs so that its row 0 is the top,
 * like every uploaded image.
 */
export function canvasToClip(canvas: Canvas | Size, flipY: boolean): Mat3 {
  const sy = flipY ? 2 / canvas.height : -2 / canvas.height;
  return [2 / canvas.width, 0, 0, 0, sy, 0, -1, flipY ? -1 : 1, 1];
}

/** Whether a canvas point falls on the item (rotation included). */
export function hitTest(geometry: ItemGeometry, point: Point): boolean {
  const [a, b, , d] = geometry.corners;
  const ab = { x: b.x - a.x, y: b.y - a.y };
  const ad = { x: d.x - a.x, y: d.y - a.y };
  const ap = { x: point.x - a.x, y: point.y - a.y };
  const along = (ap.x * ab.x + ap.y * ab.y) / (ab.x * ab.x + ab.y * ab.y);
  const down = (ap.x * ad.x + ap.y * ad.y) / (ad.x * ad.x + ad.y * ad.y);
  return along >= 0 && along <= 1 && down >= 0 && down <= 1;
}

/** The axis-aligned box around the item, for selection outlines and culling. */
export function boundingBox(geometry: ItemGeometry): { left: number; top: number; right: number; bottom: number } {
  const xs = geometry.corners.map((corner) => corner.x);
  const ys = geometry.corners.map((corner) => corner.y);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}
