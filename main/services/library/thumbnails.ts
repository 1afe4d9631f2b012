/**
 * Posters and hover strips, made by ffmpeg on first request and cached in the data dir under
 * the file's content hash (so a moved or relinked file keeps them, and duplicates share them).
 * A cached file that went missing is simply made again. Files are written under a temporary
 * name and renamed, so a half-written JPEG is never served.
 */
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './ffmpeg-process.ts';
import { isStill, SPRITE_FRAMES, type ItemRow } from './library-index.ts';
import { statOrNull } from './media-files.ts';

export type ThumbKind = 'poster' | 'sprite';

/** Poster width and sprite tile size, px. */
export const POSTER_WIDTH = 320;
export const SPRITE_TILE = { width: 160, height: 90 };

/** At most this many ffmpeg children make thumbnails at once (a grid asks for a page at a time). */
const CONCURRENCY = 2;

export class ThumbnailCache {
  readonly dir: string;
  private readonly ffmpeg: () => string;
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param ffmpeg the ffmpeg binary, asked for only when a thumbnail must be made. */
  constructor(dir: string, ffmpeg: () => string) {
    this.dir = dir;
    this.ffmpeg = ffmpeg;
    mkdirSync(dir, { recursive: true });
  }

  /** Where a thumbnail of these bytes lives in the cache. */
  pathOf(contentHash: string, which: ThumbKind): string {
    return join(this.dir, `${contentHash}-${which}.jpg`);
  }

  /** The cached thumbnail, made now when missing; null when this item has none (a still has no sprite). */
  async get(row: ItemRow, which: ThumbKind): Promise<string | null> {
    if (row.status === 'corrupt') return null;
    if (which === 'sprite' && (isStill(row) || row.video_codec === null || !row.duration_ms)) return null;
    const target = this.pathOf(row.content_hash, which);
    if (await statOrNull(target)) return target;
    const key = `${row.content_hash}-${which}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.limited(() => this.make(row, which, target)).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Drops a hash's thumbnails (no item holds these bytes any more). */
  async forget(contentHash: string): Promise<void> {
    await Promise.all((['poster', 'sprite'] as const).map((which) => rm(this.pathOf(contentHash, which), { force: true })));
  }

  private async make(row: ItemRow, which: ThumbKind, target: string): Promise<string | null> {
    if (!(await statOrNull(row.path))) return null;
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp.jpg`;
    try {
      await runTool(this.ffmpeg(), [...thumbnailArgs(row, which), '-y', temporary], { timeoutMs: 60_000 });
      await rename(temporary, target);
      return target;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** ffmpeg's input and filter arguments for a poster or a sprite of an item (without the output). */
export function thumbnailArgs(row: Pick<ItemRow, 'path' | 'kind' | 'duration_ms' | 'video_codec'>, which: ThumbKind): string[] {
  const base = ['-hide_banner', '-v', 'error', '-nostdin'];
  const seconds = (row.duration_ms ?? 0) / 1000;
  if (which === 'poster') {
    if (row.video_codec === null) {
      // Sound only: a picture of its waveform.
      return [...base, '-i', row.path, '-filter_complex', `showwavespic=s=${POSTER_WIDTH}x180:colors=#4cc38a`, '-frames:v', '1'];
    }
    const at = isStill(row) ? [] : ['-ss', Math.min(seconds * 0.1, 5).toFixed(3)];
    return [...base, ...at, '-i', row.path, '-map', '0:v:0', '-frames:v', '1', '-vf', `scale='min(${POSTER_WIDTH},iw)':-2`, '-q:v', '4'];
  }
  // Sprite: one fast keyframe seek per tile, each tile letterboxed to 160x90, then side by side.
  const inputs: string[] = [];
  const chains: string[] = [];
  const { width, height } = SPRITE_TILE;
  for (let index = 0; index < SPRITE_FRAMES; index++) {
    const at = (seconds * (index + 0.5)) / SPRITE_FRAMES;
    inputs.push('-ss', at.toFixed(3), '-i', row.path);
    chains.push(
      `[${index}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,trim=end_frame=1[t${index}]`,
    );
  }
  const stack = `${chains.map((_chain, index) => `[t${index}]`).join('')}hstack=inputs=${SPRITE_FRAMES}`;
  return [...base, ...inputs, '-filter_complex', `${chains.join(';')};${stack}`, '-frames:v', '1', '-q:v', '5'];
}
