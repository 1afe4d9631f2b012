/** Real media peers for end-to-end tests: an ffmpeg publisher and ffprobe. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A running ffmpeg publisher. */
export interface Publisher {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Kills it (SIGKILL is an abrupt drop; SIGINT lets ffmpeg unpublish). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Publishes testsrc2 and a sine tone as H.264 (libx264, keyframe every `gopFrames` (60) frames, cheap
 * settings for a 2-core machine) + AAC at real-time pace, for `seconds` or until stopped.
 */
export function publishTestPattern(
  url: string,
  options: { seconds?: number; size?: string; fps?: number; gopFrames?: number } = {},
): Publisher {
  const args = ['-hide_banner', '-loglevel', 'error', '-re'];
  args.push('-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '1280x720'}:rate=${options.fps ?? 30}`);
  args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  if (options.seconds) args.push('-t', String(options.seconds));
  args.push(
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-g',
    String(options.gopFrames ?? 60),
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    '1500k',
  );
  args.push('-c:a', 'aac', '-b:a', '96k', '-f', 'flv', url);
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** ffprobe's view of streams and (optionally) the first packets. */
export interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string }[];
  packets?: { codec_type: string; flags: string; pts_time?: string }[];
}

/** Runs ffprobe on a URL or file, reading `packets` packets when asked. */
export async function ffprobe(
  input: string,
  options: { packets?: number; timeoutMs?: number; analyzeDurationUs?: number; extraArgs?: string[] } = {},
): Promise<Probe> {
  const args = ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,sample_rate', '-of', 'json'];
  // A live stream's sequence headers come first: a short analysis finds both tracks without waiting for 5 s of media.
  if (options.analyzeDurationUs) args.push('-analyzeduration', String(options.analyzeDurationUs));
  if (options.packets) args.push('-show_entries', 'packet=codec_type,flags,pts_time', '-read_intervals', `%+#${options.packets}`);
  args.push('-rw_timeout', '10000000', ...(options.extraArgs ?? []), input);
  const { stdout } = await execFileAsync('ffprobe', args, { timeout: options.timeoutMs ?? 20_000 });
  return JSON.parse(stdout) as Probe;
}

/** The audio and video codecs and the picture size, as a compact summary. */
export function summary(probe: Probe): { video: string; audio: string } {
  const video = probe.streams.find((stream) => stream.codec_type === 'video');
  const audio = probe.streams.find((stream) => stream.codec_type === 'audio');
  return { video: video ? `${video.codec_name} ${video.width}x${video.height}` : 'none', audio: audio?.codec_name ?? 'none' };
}

/** Polls `check` until it returns true (usable in hooks, where expect.poll is not). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const passes = async () => {
    try {
      return await check();
    } catch {
      return false;
    }
  };
  while (!(await passes())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
