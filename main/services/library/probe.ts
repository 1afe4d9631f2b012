/**
 * Media facts of a file from ffprobe (`-show_format -show_streams`, JSON): what kind it is
 * (video, image or sound), duration, codecs, picture size, frame rate, channels. ffprobe
 * reads every container ffmpeg can, including an FLV or a half-finished MKV, which is why the
 * library uses it rather than mediabunny (MP4/WebM/MP3/WAV/Ogg/ADTS only, no FLV).
 */
import { z } from 'zod';
import { MediaToolError, runTool } from './ffmpeg-process.ts';
import type { MediaFacts } from './library-index.ts';

/** The file could not be read as media; `message` says why in words a user understands. */
export class CorruptMediaError extends Error {
  override readonly name = 'CorruptMediaError';
}

const ProbeStream = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  channels: z.number().optional(),
  sample_rate: z.string().optional(),
  nb_frames: z.string().optional(),
  duration: z.string().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
});
const ProbeOutput = z.object({
  streams: z.array(ProbeStream).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).partial().default({}),
});
export type ProbeOutput = z.infer<typeof ProbeOutput>;

/** What a probe found: the kind by content, and the facts. */
export interface ProbedMedia {
  kind: 'video' | 'image' | 'audio';
  facts: MediaFacts;
}

const IMAGE_CODECS = new Set(['png', 'mjpeg', 'jpegls', 'webp', 'gif', 'bmp', 'tiff', 'apng', 'jpeg2000', 'qoi', 'pam', 'ppm']);

/** Interprets ffprobe's JSON. Throws `CorruptMediaError` when it holds no picture and no sound. */
export function parseProbe(json: unknown): ProbedMedia {
  const parsed = ProbeOutput.safeParse(json);
  if (!parsed.success) throw new CorruptMediaError('ffprobe gave an answer Tally cannot read');
  const { streams, format } = parsed.data;
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  if (!video && !audio) throw new CorruptMediaError('the file holds no picture and no sound');
  const formatName = format.format_name ?? null;
  const still =
    video !== undefined &&
    !audio &&
    (IMAGE_CODECS.has(video.codec_name ?? '') || /(^|,)image2|_pipe($|,)/.test(formatName ?? '')) &&
    (video.codec_name === 'gif' || video.codec_name === 'apng' || Number(video.nb_frames ?? '1') <= 1 || formatName?.includes('pipe') === true);
  const kind = !video ? 'audio' : still ? 'image' : 'video';
  const seconds = Number(format.duration ?? video?.duration ?? audio?.duration ?? NaN);
  return {
    kind,
    facts: {
      container: formatName,
      durationMs: kind !== 'image' && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null,
      videoCodec: video?.codec_name ?? null,
      audioCodec: audio?.codec_name ?? null,
      width: positive(video?.width),
      height: positive(video?.height),
      fps: kind === 'video' ? (rate(video?.avg_frame_rate) ?? rate(video?.r_frame_rate)) : null,
      audioChannels: positive(audio?.channels),
      audioSampleRate: positive(Number(audio?.sample_rate)),
    },
  };
}

/** Runs ffprobe on a file. Throws `CorruptMediaError` for a file that is not readable media. */
export async function probeFile(ffprobe: string, path: string, signal?: AbortSignal): Promise<ProbedMedia> {
  let stdout: string;
  try {
    stdout = await runTool(ffprobe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { signal, timeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof MediaToolError) throw new CorruptMediaError(`ffprobe cannot read it: ${stripPath(error.message, path)}`);
    throw error;
  }
  return parseProbe(JSON.parse(stdout));
}

/** ffprobe's last words without the path (the item shows it) and without its `[demuxer @ 0x...]` prefixes. */
function stripPath(message: string, path: string): string {
  const text = message.replace(/^ffprobe failed \([^)]*\): /, '').replaceAll(`${path}: `, '');
  return text
    .split(' / ')
    .map((line) => line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\] /, ''))
    .join('; ');
}

function positive(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function rate(fraction: string | undefined): number | null {
  const match = /^(\d+)\/(\d+)$/.exec(fraction ?? '');
  if (!match || Number(match[2]) === 0) return null;
  const value = Number(match[1]) / Number(match[2]);
  return value > 0 && value <= 1000 ? Math.round(value * 1000) / 1000 : null;
}
