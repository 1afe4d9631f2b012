/**
 * Paints the editing overlay over the preview: the selection with its handles, the hovered
 * item, snapping guides, and, for a source that failed or is still starting, a box with
 * its error where its picture would be. A plain function, called once per animation frame
 * with what the engine and the pointer say now; nothing here goes through React.
 */
import { HANDLES, handlePoints, rotationHandlePoint, type Guide, type SizeOf } from '../../../common/scene/editing.ts';
import type { Canvas, Scene } from '../../../common/scene/schema.ts';
import { itemGeometry, type Point, type Size } from '../../../common/scene/transforms.ts';

/** Handle size and rotation-handle distance, CSS pixels. */
export const HANDLE_CSS_PX = 8;
export const ROTATION_HANDLE_CSS_PX = 26;

/** One source's state, as far as the overlay cares. */
export interface OverlaySourceState {
  name: string;
  state: 'starting' | 'ready' | 'error' | 'stopped';
  message?: string;
  /** A size to draw the error box with when the source has none (a camera that never started). */
  nominalSize: Size;
}

export interface EditorPaintInput {
  scene: Scene;
  canvas: Canvas;
  sizeOf: SizeOf;
  sourceOf: (sourceId: string) => OverlaySourceState | undefined;
  selectedId: string | null;
  hoverId: string | null;
  guides: readonly Guide[];
}

const ACCENT = '#4f8cff';
const ERROR = '#e5484d';
const GUIDE = '#ff4fd8';

/**
 * Paints one frame of the overlay for a picture `widthCss` x `heightCss` CSS pixels; the
 * context's transform puts the picture's top-left at its origin (and scales for the device).
 * The caller clears.
 */
export function paintEditor(context: CanvasRenderingContext2D, widthCss: number, heightCss: number, input: EditorPaintInput): void {
  const scale = widthCss / input.canvas.width;
  const toCss = (point: Point): Point => ({ x: point.x * scale, y: point.y * scale });
  const outline = (corners: readonly Point[]) => {
    context.beginPath();
    corners.forEach((corner, index) => {
      const p = toCss(corner);
      if (index === 0) context.moveTo(p.x, p.y);
      else context.lineTo(p.x, p.y);
    });
    context.closePath();
  };

  for (const item of input.scene.items) {
    if (!item.visible) continue;
    const source = input.sourceOf(item.sourceId);
    if (!source || source.state === 'ready') continue;
    const geometry = itemGeometry(item, input.sizeOf(item.sourceId) ?? source.nominalSize);
    if (!geometry) continue;
    outline(geometry.corners);
    const failed = source.state === 'error';
    context.fillStyle = failed ? 'rgba(229, 72, 77, 0.22)' : 'rgba(255, 255, 255, 0.06)';
    context.fill();
    context.setLineDash(failed ? [] : [6, 4]);
    context.lineWidth = 2;
    context.strokeStyle = failed ? ERROR : 'rgba(255, 255, 255, 0.45)';
    context.stroke();
    context.setLineDash([]);
    const topLeft = toCss(geometry.corners[0]);
    const width = Math.max(120, geometry.size.width * scale - 16);
    const lines = failed ? [`⚠ ${source.name}`, source.message ?? 'failed'] : [`${source.name}: starting…`];
    context.font = '600 12px system-ui, sans-serif';
    context.textBaseline = 'top';
    let y = topLeft.y + 8;
    for (const [index, line] of lines.entries()) {
      for (const wrapped of wrap(context, line, width)) {
        context.fillStyle = failed && index === 0 ? '#ffb4b6' : '#f1f2f6';
        context.fillText(wrapped, topLeft.x + 8, y, width);
        y += 16;
      }
      context.font = '12px system-ui, sans-serif';
    }
  }

  const hovered = input.scene.items.find((item) => item.id === input.hoverId && item.id !== input.selectedId);
  const hoveredSize = hovered && input.sizeOf(hovered.sourceId);
  const hoveredGeometry = hovered && hoveredSize ? itemGeometry(hovered, hoveredSize) : null;
  if (hoveredGeometry) {
    outline(hoveredGeometry.corners);
    context.lineWidth = 1;
    context.strokeStyle = 'rgba(79, 140, 255, 0.7)';
    context.stroke();
  }

  const selected = input.scene.items.find((item) => item.id === input.selectedId);
  const selectedSize = selected && (input.sizeOf(selected.sourceId) ?? input.sourceOf(selected.sourceId)?.nominalSize);
  const geometry = selected && selectedSize ? itemGeometry(selected, selectedSize) : null;
  if (selected && selectedSize && geometry) {
    outline(geometry.corners);
    context.lineWidth = 1.5;
    context.strokeStyle = selected.locked ? '#c9ccd6' : ACCENT;
    context.setLineDash(selected.locked || !selected.visible ? [5, 4] : []);
    context.stroke();
    context.setLineDash([]);
    if (!selected.locked && selected.visible) {
      const points = handlePoints(selected, selectedSize);
      const rotation = rotationHandlePoint(selected, selectedSize, ROTATION_HANDLE_CSS_PX / scale);
      if (points && rotation) {
        const top = toCss(points.n);
        const knob = toCss(rotation);
        context.beginPath();
        context.moveTo(top.x, top.y);
        context.lineTo(knob.x, knob.y);
        context.strokeStyle = ACCENT;
        context.lineWidth = 1.5;
        context.stroke();
        context.beginPath();
        context.arc(knob.x, knob.y, HANDLE_CSS_PX / 2 + 1, 0, Math.PI * 2);
        context.fillStyle = '#ffffff';
        context.fill();
        context.stroke();
        for (const handle of HANDLES) {
          const p = toCss(points[handle]);
          const half = HANDLE_CSS_PX / 2;
          context.fillStyle = '#ffffff';
          context.fillRect(p.x - half, p.y - half, HANDLE_CSS_PX, HANDLE_CSS_PX);
          context.lineWidth = 1.5;
          context.strokeStyle = ACCENT;
          context.strokeRect(p.x - half, p.y - half, HANDLE_CSS_PX, HANDLE_CSS_PX);
        }
      }
    }
  }

  context.lineWidth = 1;
  context.strokeStyle = GUIDE;
  context.setLineDash([4, 3]);
  for (const guide of input.guides) {
    context.beginPath();
    if (guide.axis === 'x') {
      context.moveTo(guide.at * scale, 0);
      context.lineTo(guide.at * scale, heightCss);
    } else {
      context.moveTo(0, guide.at * scale);
      context.lineTo(widthCss, guide.at * scale);
    }
    context.stroke();
  }
  context.setLineDash([]);
}

function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && context.measureText(candidate).width > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
    if (lines.length >= 4) break;
  }
  if (line && lines.length < 5) lines.push(line);
  return lines;
}
