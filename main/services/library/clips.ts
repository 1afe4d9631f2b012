/**
 * Clips and remuxes with ffmpeg. A trim whose in point falls on a keyframe is a stream copy
 * (no quality loss, as fast as the disk); any other in point is re-encoded (H.264 + AAC) so the
 * clip starts exactly there. A remux rewrites an FLV or MKV as MP4 without touching the frames.
 * Progress comes from ffmpeg's `-progress` output.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { TrimPlan, TrimRequest } from '../../../common/host/library-contract.ts';
import { runTool } from './ffmpeg-process.ts';
import type { ItemRow } from './library-index.ts';
import { freePath } from './media-files.ts';

/** Codecs an MP4 can hold (as ffmpeg writes them); anything else goes into Matroska. */
const MP4_VIDEO = new Set(['h264', 'hevc', 'av1', 'vp9', 'mpeg4']);
const MP4_AUDIO = new Set(['aac', 'mp3', 'opus', 'flac', 'alac', 'ac3', 'eac3']);

/** Keyframe times of the first video stream, ms from the start of the file, ascending. */
export async function readKeyframesMs(ffprobe: string, path: string, signal?: AbortSignal): Promise<number[]> {
  // Packets only (no decoding): the K flag marks keyframes. Times are made relative to the
  // file's start time, which is what ffmpeg's input -ss counts from.
  const stdout = await runTool(
    ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags:format=start_time', '-of', 'json', path],
    { signal, timeoutMs: 300_000 },
  );
  const parsed = JSON.parse(stdout) as { packets?: { pts_time?: string; flags?: string }[]; format?: { start_time?: string } };
  const start = Number(parsed.format?.start_time ?? 0) || 0;
  return (parsed.packets ?? [])
    .filter((packet) => packet.flags?.includes('K') && packet.pts_time !== undefined)
    .map((packet) => Math.max(0, Math.round((Number(packet.pts_time) - start) * 1000)))
    .sort((a, b) => a - b);
}

/** Decides how to cut: stream copy when the in point is on a keyframe (within half a frame), else re-encode. */
export function planTrim(keyframesMs: readonly number[], request: TrimRequest, source: Pick<ItemRow, 'video_codec' | 'fps'>): TrimPlan {
  if (source.video_codec === null) {
    return { mode: 'copy', keyframeBeforeMs: null, keyframeAfterMs: null, reason: 'sound only: every audio frame is a cut point' };
  }
  const toleranceMs = source.fps ? 500 / source.fps : 1;
  let before: number | null = null;
  let after: number | null = null;
  for (const keyframe of keyframesMs) {
    if (keyframe <= request.inMs + toleranceMs) before = keyframe;
    else {
      after = keyframe;
      break;
    }
  }
  if (before !== null && Math.abs(request.inMs - before) <= toleranceMs) {
    return { mode: 'copy', keyframeBeforeMs: before, keyframeAfterMs: after, reason: 'the in point is on a keyframe: stream copy' };
  }
  return {
    mode: 'reencode',
    keyframeBeforeMs: before,
    keyframeAfterMs: after,
    reason:
      before === null
        ? 'no keyframe before the in point: the clip is re-encoded'
        : `the in point is ${request.inMs - before} ms after a keyframe: the clip is re-encoded to start exactly there`,
  };
}

/** The container extension for a clip or remux of these codecs. */
export function clipExtension(source: Pick<ItemRow, 'video_codec' | 'audio_codec' | 'path'>, mode: TrimPlan['mode']): string {
  if (mode === 'reencode') return source.video_codec === null ? '.m4a' : '.mp4';
  if (source.video_codec === null) return extname(source.path).toLowerCase() || '.m4a';
  const fits = MP4_VIDEO.has(source.video_codec) && (source.audio_codec === null || MP4_AUDIO.has(source.audio_codec));
  return fits ? '.mp4' : '.mkv';
}

/** "0:05.250" */
export function formatClipTime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(ms % 1000 === 0 ? 0 : 3).padStart(ms % 1000 === 0 ? 2 : 6, '0');
  return `${minutes}:${seconds}`;
}

/**
 * A new file for a clip or remux of `source`: beside it when that folder is writable, else in
 * `fallbackDir` (a read-only card, a network share).
 */
export async function outputPathFor(source: string, suffix: string, extension: string, fallbackDir: string): Promise<string> {
  const stem = basename(source, extname(source));
  const name = `${stem}${suffix}${extension}`;
  try {
    return await freePath(dirname(source), name);
  } catch (error) {
    if (!['EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return freePath(fallbackDir, name);
  }
}

/** ffmpeg arguments of a trim (without progress flags). */
export function trimArgs(source: Pick<ItemRow, 'path' | 'video_codec'>, request: TrimRequest, plan: TrimPlan, output: string): string[] {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const args = ['-hide_banner', '-v', 'error', '-nostdin', '-ss', seconds(request.inMs), '-i', source.path];
  args.push('-t', seconds(request.outMs - request.inMs), '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn');
  if (plan.mode === 'copy') args.push('-c', 'copy', '-avoid_negative_ts', 'make_zero');
  else {
    if (source.video_codec !== null) args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p');
    args.push('-c:a', 'aac', '-b:a', '192k');
  }
  if (/\.(mp4|m4a|mov)$/i.test(output)) args.push('-movflags', '+faststart');
  args.push('-y', output);
  return args;
}

/** ffmpeg arguments of a remux to MP4. */
export function remuxArgs(sourcePath: string, output: string): string[] {
  return [
    '-hide_banner',
    '-v',
    'error',
    '-nostdin',
    '-i',
    sourcePath,
    '-map',
    '0:v?',
    '-map',
    '0:a?',
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    '-y',
    output,
  ];
}

/** True when the item is an FLV or Matroska file that a remux turns into MP4. */
export function canRemux(row: Pick<ItemRow, 'container' | 'status' | 'kind'>): boolean {
  return row.status === 'ok' && (row.container === 'flv' || (row.container ?? '').startsWith('matroska'));
}

/** Runs ffmpeg with `-progress`, reporting 0..1 of `durationMs`. */
export async function runWithProgress(
  ffmpeg: string,
  args: readonly string[],
  durationMs: number,
  onFraction: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const output = args.at(-1)!;
  await runTool(ffmpeg, [...args.slice(0, -1), '-progress', 'pipe:1', '-nostats', output], {
    signal,
    timeoutMs: Math.max(600_000, durationMs * 4),
    onProgressUs: (us) => onFraction(durationMs > 0 ? Math.min(1, us / 1000 / durationMs) : 0),
  });
}

/** A path inside a folder (for the fallback clips folder). */
export function clipsDirOf(dataDir: string): string {
  return join(dataDir, 'library', 'clips');
}
