/**
 * Paints every mixer strip's meter once per animation frame from the engine's latest
 * levels: RMS as the solid bar, peak as a lighter tip, and the held peak as a tick, per
 * channel, coloured green, yellow and red by level. Outside React: components only
 * register their canvas.
 */
import type { StudioEngine } from '../../engine/index.ts';
import { toDb } from '../../engine/index.ts';
import { holdDb, meterFraction, METER_FLOOR_DB, updateHold, type PeakHold } from './meter-model.ts';

const ZONES = [
  { untilDb: -20, on: '#3fbf6f', off: '#1d3a28' },
  { untilDb: -9, on: '#e6c84a', off: '#3b3520' },
  { untilDb: 0, on: '#e5484d', off: '#3d2224' },
];

/** One painter per engine; meters register and unregister their canvases. */
export class MeterPainter {
  private readonly engine: StudioEngine;
  private readonly canvases = new Map<HTMLCanvasElement, string>();
  private readonly holds = new Map<string, PeakHold[]>();
  private frame = 0;

  constructor(engine: StudioEngine) {
    this.engine = engine;
  }

  /** Paints `canvas` with `sourceId`'s levels until the returned function is called. */
  register(canvas: HTMLCanvasElement, sourceId: string): () => void {
    this.canvases.set(canvas, sourceId);
    this.frame ||= requestAnimationFrame(this.paint);
    return () => {
      this.canvases.delete(canvas);
      if (this.canvases.size === 0 && this.frame) {
        cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
    };
  }

  private readonly paint = () => {
    const meters = this.engine.meters();
    const now = performance.now();
    for (const [canvas, sourceId] of this.canvases) {
      const reading = meters?.sources[sourceId];
      const holds = this.holds.get(sourceId) ?? [];
      const peaks = reading?.peak ?? [0, 0];
      peaks.forEach((peak, channel) => (holds[channel] = updateHold(holds[channel], toDb(peak), now)));
      this.holds.set(sourceId, holds);
      drawMeter(
        canvas,
        peaks,
        reading?.rms ?? [0, 0],
        holds.map((hold) => holdDb(hold, now)),
      );
    }
    this.frame = this.canvases.size ? requestAnimationFrame(this.paint) : 0;
  };
}

function drawMeter(canvas: HTMLCanvasElement, peaks: number[], rms: number[], holds: number[]): void {
  const ratio = devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0) return;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const channels = Math.max(1, peaks.length);
  const barHeight = (height - (channels - 1) * 2) / channels;
  for (let channel = 0; channel < channels; channel++) {
    const y = channel * (barHeight + 2);
    let from = 0;
    for (const zone of ZONES) {
      const to = (zone.untilDb - METER_FLOOR_DB) / -METER_FLOOR_DB;
      context.fillStyle = zone.off;
      context.fillRect(from * width, y, (to - from) * width, barHeight);
      const lit = Math.min(meterFraction(rms[channel] ?? 0), to);
      if (lit > from) {
        context.fillStyle = zone.on;
        context.fillRect(from * width, y, (lit - from) * width, barHeight);
      }
      const peak = Math.min(meterFraction(peaks[channel] ?? 0), to);
      if (peak > Math.max(from, lit)) {
        context.globalAlpha = 0.55;
        context.fillStyle = zone.on;
        context.fillRect(Math.max(from, lit) * width, y, (peak - Math.max(from, lit)) * width, barHeight);
        context.globalAlpha = 1;
      }
      from = to;
    }
    const hold = holds[channel];
    if (hold !== undefined && hold > METER_FLOOR_DB) {
      const x = ((hold - METER_FLOOR_DB) / -METER_FLOOR_DB) * width;
      context.fillStyle = hold > -9 ? '#ff8a8d' : '#f1f2f6';
      context.fillRect(Math.min(width - 2, x), y, 2, barHeight);
    }
  }
}

const painters = new WeakMap<StudioEngine, MeterPainter>();

/** The painter of an engine. */
export function meterPainterOf(engine: StudioEngine): MeterPainter {
  let painter = painters.get(engine);
  if (!painter) painters.set(engine, (painter = new MeterPainter(engine)));
  return painter;
}
