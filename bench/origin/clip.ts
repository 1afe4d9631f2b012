/**
 * What the benchmarks share to feed a server: the test clip (encoded once with ffmpeg into
 * `$TMPDIR/tally-bench/`, then published from Node by `publisher.ts`, so no encoder competes
 * with the servers) and the wait for a message from a forked child.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A clip: 30 fps testsrc2 with a 440 Hz tone, H.264 (no B-frames, a keyframe every `gopFrames`) + AAC 128 kbps, 10 s. */
export interface ClipSpec {
  width: number;
  height: number;
  videoKbps: number;
  gopFrames: number;
}

/** The clip's FLV file, encoded on first use. */
export function ensureClip({ width, height, videoKbps, gopFrames }: ClipSpec): string {
  const dir = join(tmpdir(), 'tally-bench');
  mkdirSync(dir, { recursive: true });
  const clip = join(dir, `clip-${width}x${height}p30-${videoKbps}k-g${gopFrames}-v1.flv`);
  if (existsSync(clip)) return clip;
  console.log(`encoding the benchmark clip once: ${clip}`);
  const rate = `${videoKbps}k`;
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', '10', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', rate, '-maxrate', rate, '-bufsize', rate],
    ...['-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '128k', '-f', 'flv', clip],
  ]);
  return clip;
}

/** The next message of `type` from a forked child; rejects after `timeoutMs` or when the child exits. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" from ${child.spawnfile} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`)));
  });
}
