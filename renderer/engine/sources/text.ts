/**
 * Text, clock and countdown sources: drawn with a 2D canvas at the output resolution of the
 * largest item showing them, so glyphs stay crisp however the item is scaled. The size items
 * see stays in canvas pixels; only the raster grows.
 */
import type { SourceSettings, TextStyle } from '../../../common/scene/schema.ts';
import { StatusCell, type FrameInfo, type RuntimeSource, type SourcePicture } from './source.ts';

/** Formats a clock or countdown for display. Pure, for the tests. */
export function clockText(settings: Extract<SourceSettings, { kind: 'clock' }>, epochMs: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  if (settings.mode === 'clock') {
    const date = new Date(epochMs);
    const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
    return settings.showSeconds ? `${hm}:${pad(date.getSeconds())}` : hm;
  }
  const remainingMs = (settings.targetEpochMs ?? epochMs) - epochMs;
  if (remainingMs <= 0) return settings.endText;
  // Round up: a countdown shows 00:01 until the last second has fully passed.
  const total = Math.ceil(remainingMs / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ms = settings.showSeconds ? `${pad(minutes)}:${pad(seconds)}` : pad(minutes);
  return hours > 0 ? `${hours}:${ms}` : ms;
}

/** Quantises the raster scale so that small zooms do not redraw the text every frame. */
export function quantiseScale(scale: number): number {
  return Math.min(8, Math.max(0.25, Math.ceil(scale * 8) / 8));
}

interface Layout {
  lines: string[];
  width: number;
  height: number;
  lineHeight: number;
  ascent: number;
  inset: number;
}

function fontOf(style: TextStyle): string {
  return `${style.italic ? 'italic ' : ''}${style.fontWeight} ${style.fontSizePx}px ${style.fontFamily}`;
}

/** Text, clock or countdown, drawn with a 2D canvas. */
export class TextSource implements RuntimeSource {
  readonly kind: 'text' | 'clock';
  private readonly settings: Extract<SourceSettings, { kind: 'text' | 'clock' }>;
  private readonly cell = new StatusCell();
  private readonly canvas = new OffscreenCanvas(1, 1);
  private readonly context: OffscreenCanvasRenderingContext2D;
  private text: string | null = null;
  private scale = 0;
  private layout: Layout | null = null;
  private version = 0;

  constructor(settings: Extract<SourceSettings, { kind: 'text' | 'clock' }>) {
    this.kind = settings.kind;
    this.settings = settings;
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('2D canvas is not available');
    this.context = context;
    // Web fonts named by the style may still be loading; draw once they are.
    const fonts = (globalThis as { document?: Document }).document?.fonts;
    this.cell.track(fonts ? fonts.load(fontOf(settings.style), this.contentAt(Date.now())).then(() => undefined) : Promise.resolve());
  }

  get status() {
    return this.cell.status;
  }

  get started() {
    return this.cell.started;
  }

  get size() {
    this.layout ??= this.measure(this.contentAt(Date.now()));
    return { width: this.layout.width, height: this.layout.height };
  }

  private contentAt(epochMs: number): string {
    return this.settings.kind === 'text' ? this.settings.text : clockText(this.settings, epochMs);
  }

  private measure(text: string): Layout {
    const style = this.settings.style;
    const context = this.context;
    context.font = fontOf(style);
    const lines = text.split('\n');
    const metrics = lines.map((line) => context.measureText(line));
    const ascent = Math.max(...metrics.map((m) => m.fontBoundingBoxAscent || style.fontSizePx * 0.8));
    const descent = Math.max(...metrics.map((m) => m.fontBoundingBoxDescent || style.fontSizePx * 0.2));
    const lineHeight = Math.ceil(ascent + descent);
    const inset = style.background.paddingPx + style.outline.widthPx;
    const textWidth = Math.max(1, ...metrics.map((m) => m.width));
    return {
      lines,
      lineHeight,
      ascent,
      inset,
      width: Math.ceil(textWidth + inset * 2),
      height: Math.ceil(lineHeight * lines.length + inset * 2),
    };
  }

  private draw(text: string, scale: number): void {
    const style = this.settings.style;
    const layout = this.measure(text);
    this.layout = layout;
    this.canvas.width = Math.max(1, Math.ceil(layout.width * scale));
    this.canvas.height = Math.max(1, Math.ceil(layout.height * scale));
    const context = this.context;
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, layout.width, layout.height);
    context.fillStyle = style.background.color;
    context.fillRect(0, 0, layout.width, layout.height);
    context.font = fontOf(style);
    context.textBaseline = 'alphabetic';
    context.lineJoin = 'round';
    context.textAlign = style.align;
    const x = style.align === 'left' ? layout.inset : style.align === 'right' ? layout.width - layout.inset : layout.width / 2;
    layout.lines.forEach((line, index) => {
      const y = layout.inset + layout.ascent + index * layout.lineHeight;
      if (style.outline.widthPx > 0) {
        // The stroke is centred on the glyph edge; twice the width puts `widthPx` outside it.
        context.strokeStyle = style.outline.color;
        context.lineWidth = style.outline.widthPx * 2;
        context.strokeText(line, x, y);
      }
      context.fillStyle = style.color;
      context.fillText(line, x, y);
    });
    this.version++;
  }

  picture(frame: FrameInfo): SourcePicture | null {
    const text = this.contentAt(frame.epochMs);
    const scale = quantiseScale(frame.rasterScale);
    if (text !== this.text || scale !== this.scale) {
      this.text = text;
      this.scale = scale;
      this.draw(text, scale);
    }
    return { image: this.canvas, width: this.canvas.width, height: this.canvas.height, version: this.version };
  }

  dispose(): void {
    this.canvas.width = 1;
    this.canvas.height = 1;
  }
}
