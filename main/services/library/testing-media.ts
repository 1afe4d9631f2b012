/**
 * For tests: small real media files made by ffmpeg from its lavfi test sources, and ffprobe to
 * read them back (the library's tests and the e2e tests). Sizes and lengths are kept tiny so a
 * 2-core machine makes them in a blink.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VideoSpec {
  seconds?: number;
  /** `WxH`, default 160x90. */
  size?: string;
  fps?: number;
  /** Keyframe interval in frames (x264 -g), default fps (one a second). */
  gop?: number;
  /** A solid colour instead of testsrc2's pattern (e.g. `red`). */
  color?: string;
  audio?: boolean;
  /** Container by extension of `path`; codecs default to H.264 + AAC. */
  videoCodec?: string;
  audioCodec?: string;
}

/** Writes a video (testsrc2 or a colour, and a 440 Hz tone) with H.264 + AAC by default. */
export async function makeVideo(path: string, spec: VideoSpec = {}): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  const seconds = spec.seconds ?? 2;
  const fps = spec.fps ?? 30;
  const size = spec.size ?? '160x90';
  const picture = spec.color ? `color=c=${spec.color}:s=${size}:r=${fps}:d=${seconds}` : `testsrc2=s=${size}:r=${fps}:d=${seconds}`;
  const args = ['-v', 'error', '-f', 'lavfi', '-i', picture];
  if (spec.audio !== false) args.push('-f', 'lavfi', '-i', `sine=f=440:sample_rate=48000:d=${seconds}`);
  args.push(
    '-c:v',
    spec.videoCodec ?? 'libx264',
    '-g',
    String(spec.gop ?? fps),
    '-keyint_min',
    String(spec.gop ?? fps),
    '-sc_threshold',
    '0',
  );
  if ((spec.videoCodec ?? 'libx264') === 'libx264') args.push('-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (spec.audio !== false) args.push('-c:a', spec.audioCodec ?? 'aac', '-ac', '2', '-shortest');
  await run('ffmpeg', [...args, '-y', path]);
  return path;
}

/** Writes a still image (PNG, JPEG, ... by extension). */
export async function makeImage(path: string, size = '64x36', color = 'blue'): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=${size}`, '-frames:v', '1', '-y', path]);
  return path;
}

/**
 * Writes `count` small grey PNGs, each different from every other (frame n's pixels encode n),
 * as `<dir>/<stem>0001.png`... in one ffmpeg run.
 */
export async function makeImages(dir: string, count: number, stem = 'frame'): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const picture = "nullsrc=s=32x18:r=10,format=gray,geq=lum='if(eq(X,0),trunc(N/256),mod(N+Y,256))'";
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', picture, '-frames:v', String(count), '-y', `${dir}/${stem}%04d.png`]);
}

/** Writes `count` short WAVs of noise, each different, as `<dir>/<stem>0000.wav`... in one ffmpeg run. */
export async function makeSounds(dir: string, count: number, stem = 'take'): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const seconds = (count * 0.05).toFixed(2);
  await run('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', `anoisesrc=d=${seconds}:c=white:seed=7:sample_rate=8000:nb_samples=400`,
    '-f', 'segment', '-segment_time', '0.05', '-y', `${dir}/${stem}%04d.wav`,
  ]); // prettier-ignore
}

/** Writes a sound file (a tone) by extension. */
export async function makeAudio(path: string, seconds = 1): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=f=330:sample_rate=44100:d=${seconds}`, '-ac', '1', '-y', path]);
  return path;
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  nb_frames?: string;
  duration?: string;
  avg_frame_rate?: string;
}

/** ffprobe's format duration (s) and streams of a file. */
export async function probe(path: string): Promise<{ durationSec: number; streams: ProbedStream[]; formatName: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  const parsed = JSON.parse(stdout) as { format: { duration?: string; format_name: string }; streams: ProbedStream[] };
  return { durationSec: Number(parsed.format.duration ?? NaN), streams: parsed.streams, formatName: parsed.format.format_name };
}

/** Frames of the first video stream, counted by decoding (exact, whatever the container says). */
export async function countVideoFrames(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path,
  ]); // prettier-ignore
  return Number(stdout.trim());
}
