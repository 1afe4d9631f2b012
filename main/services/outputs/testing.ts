/**
 * Helpers for the outputs' tests: a real program (x264 + AAC from ffmpeg, read back from
 * FLV into program packets as the feed would hand them out), and ffprobe.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MediaFlags, MediaKind, pcmS16FromFloat, type MediaFrame } from '../../../common/host/media-frame.ts';
import { parseAacConfig } from '../../../common/media/aac.ts';
import { avcCodecString, parseAvcDecoderConfig, parseAvcSps } from '../../../common/media/avc.ts';
import { FlvReader, FlvTagType, parseAudioTagHeader, parseVideoTagHeader } from '../../../common/media/flv.ts';
import type { MediaPeer } from '../media-hub.ts';
import type { OutputsServiceOptions } from './outputs-service.ts';
import { audioFlvBody, videoFlvBody, type ProgramConfig, type ProgramOutput, type ProgramPacket } from './program.ts';
import { fileKeyCipher } from './secret-box.ts';

/**
 * An outputs service's options for a test on the data directory `dataDir` (recordings in
 * `Recordings` inside it, keys under its key file, program scene "Main / Stage"); `parts`
 * gives the store, hub, log and ffmpeg, and replaces any of the rest.
 */
export function testOutputsOptions(
  dataDir: string,
  parts: Pick<OutputsServiceOptions, 'store' | 'media' | 'log' | 'ffmpeg'> & Partial<OutputsServiceOptions>,
): OutputsServiceOptions {
  return {
    cipher: fileKeyCipher(dataDir),
    dataDir,
    defaultRecordingsDir: join(dataDir, 'Recordings'),
    scenes: { activeCollectionId: () => 'collection-1', programSceneName: () => 'Main / Stage' },
    files: { fileFinished: () => {} },
    onStateChange: () => {},
    ...parts,
  };
}

/** An encoded program: its configuration and packets in time order. */
export interface TestProgram {
  config: ProgramConfig;
  packets: ProgramPacket[];
}

const cache = new Map<string, TestProgram>();

/**
 * `seconds` of testsrc2 (keyframe every `gop` frames) and a 1 kHz tone, H.264 + AAC-LC 48 kHz
 * stereo, as packets on a clock starting at `startUs`.
 */
export function encodeTestProgram(
  options: { seconds?: number; size?: string; fps?: number; gop?: number; bitrateKbps?: number } = {},
): TestProgram {
  const { seconds = 4, size = '320x180', fps = 30, gop = 30, bitrateKbps = 600 } = options;
  const key = JSON.stringify([seconds, size, fps, gop, bitrateKbps]);
  const cached = cache.get(key);
  if (cached) return cached;
  const flv = execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`, '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000'],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', String(gop), '-pix_fmt', 'yuv420p'],
      ...['-b:v', `${bitrateKbps}k`, '-c:a', 'aac', '-ac', '2', '-b:a', '128k', '-f', 'flv', 'pipe:1'],
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const config: ProgramConfig = { video: null, audio: null };
  const packets: ProgramPacket[] = [];
  new FlvReader((tag) => {
    const us = tag.timestamp * 1000;
    if (tag.type === FlvTagType.video) {
      const header = parseVideoTagHeader(tag.payload);
      const body = tag.payload.subarray(header.dataOffset);
      if (header.packet === 'sequenceStart') {
        const record = parseAvcDecoderConfig(body);
        const sps = parseAvcSps(record.sps[0]!);
        config.video = { avcC: body.slice(), codec: avcCodecString(record), width: sps.width, height: sps.height, fps };
      } else if (header.packet === 'codedFrames') {
        const data = body.slice();
        packets.push({
          kind: 'video',
          timestampUs: us,
          durationUs: 1e6 / fps,
          keyframe: header.keyframe,
          data,
          flvBody: videoFlvBody(data, header.keyframe),
        });
      }
    } else if (tag.type === FlvTagType.audio) {
      const header = parseAudioTagHeader(tag.payload);
      const body = tag.payload.subarray(header.dataOffset);
      if (header.packet === 'sequenceStart') {
        const parsed = parseAacConfig(body);
        config.audio = { asc: body.slice(), sampleRateHz: parsed.sampleRateHz, channels: parsed.channels };
      } else {
        const data = body.slice();
        packets.push({
          kind: 'audio',
          timestampUs: us,
          durationUs: (1024 * 1e6) / 48_000,
          keyframe: true,
          data,
          flvBody: audioFlvBody(data),
        });
      }
    }
  }).feed(new Uint8Array(flv));
  const program = { config, packets };
  cache.set(key, program);
  return program;
}

/** The same packets shifted to start at `offsetUs` (a later loop of the program). */
export function shiftProgram(packets: readonly ProgramPacket[], offsetUs: number): ProgramPacket[] {
  return packets.map((packet) => ({ ...packet, timestampUs: packet.timestampUs + offsetUs }));
}

/** Hands packets to an output; with `realTime`, paced against the clock as an encoder produces them. */
export async function playProgram(
  output: ProgramOutput,
  packets: readonly ProgramPacket[],
  options: { realTime?: boolean; speed?: number } = {},
): Promise<void> {
  const started = performance.now();
  const firstUs = packets[0]?.timestampUs ?? 0;
  for (const packet of packets) {
    if (options.realTime) {
      const dueMs = (packet.timestampUs - firstUs) / 1000 / (options.speed ?? 1);
      const waitMs = dueMs - (performance.now() - started);
      if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    output.onPacket(packet);
  }
}

/** What ffprobe reads from a file or URL. */
export interface ProbeResult {
  durationSec: number;
  /** Per stream; `duration` in seconds, as ffprobe's text (absent where the container has none, as in FLV). */
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; duration?: string }[];
}

/** ffprobe's format duration and streams. */
export function probe(input: string): ProbeResult {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type,codec_name,width,height,sample_rate,duration',
      '-of',
      'json',
      input,
    ],
    { timeout: 30_000 },
  );
  const json = JSON.parse(out.toString()) as { format: { duration?: string }; streams: ProbeResult['streams'] };
  return { durationSec: Number(json.format.duration ?? NaN), streams: json.streams };
}

/** Decodes the whole file with ffmpeg (errors fail): the number of video frames a player would show. */
export function decodedVideoFrames(input: string): number {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', input],
    {
      timeout: 60_000,
    },
  );
  return Number(out.toString().trim());
}

/** Sends a program to the media hub as the studio renderer does: the avcC, video chunks and 20 ms PCM blocks (a 440 Hz tone), in real time. */
export async function playAsStudio(
  hub: { receive(frame: MediaFrame, from: MediaPeer): void },
  program: TestProgram,
  options: { track?: number; loops?: number; stop?: () => boolean; peer?: MediaPeer } = {},
): Promise<void> {
  const peer = options.peer ?? { send() {} };
  const track = options.track ?? 1;
  const span = program.packets.at(-1)!.timestampUs + 33_333;
  hub.receive(
    { kind: MediaKind.video, flags: MediaFlags.config, track, timestampUs: 0, payload: program.config.video!.avcC.slice().buffer },
    peer,
  );
  const started = performance.now();
  let pcmUs = 0;
  for (let loop = 0; loop < (options.loops ?? 1) && !options.stop?.(); loop++) {
    for (const packet of program.packets) {
      if (packet.kind !== 'video') continue;
      const atUs = packet.timestampUs + loop * span;
      const waitMs = atUs / 1000 - (performance.now() - started);
      if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
      if (options.stop?.()) return;
      for (; pcmUs <= atUs; pcmUs += 20_000) {
        const block = new Float32Array(960 * 2);
        for (let i = 0; i < 960; i++) block[2 * i] = block[2 * i + 1] = 0.3 * Math.sin(2 * Math.PI * 440 * (pcmUs / 1e6 + i / 48_000));
        hub.receive({ kind: MediaKind.audioPcm, flags: 0, track, timestampUs: pcmUs, payload: pcmS16FromFloat(block).buffer }, peer);
      }
      hub.receive(
        {
          kind: MediaKind.video,
          flags: packet.keyframe ? MediaFlags.keyframe : 0,
          track,
          timestampUs: atUs,
          payload: packet.data.slice().buffer,
        },
        peer,
      );
    }
  }
}

/** A 2x1 PNG, as the renderer sends a screenshot over the media channel. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwyBNABNyAX7cHq5YwAAAABJRU5ErkJggg==',
  'base64',
);

/** Answers screenshot request `requestId` with `png` as the renderer does (an image frame on that track). */
export function answerScreenshot(hub: { receive(frame: MediaFrame, from: MediaPeer): void }, requestId: number, png = TINY_PNG): void {
  hub.receive(
    {
      kind: MediaKind.image,
      flags: 0,
      track: requestId,
      timestampUs: 0,
      payload: png.buffer.slice(png.byteOffset, png.byteOffset + png.length),
    },
    { send() {} },
  );
}

/** ffprobe on a live URL (HTTP-FLV, RTMP): the codecs and sizes a viewer gets, as sorted `codec[,width,height]` lines. */
export async function probeLive(url: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'ffprobe',
    [
      '-v',
      'error',
      '-rw_timeout',
      '10000000',
      '-analyzeduration',
      '2000000',
      '-show_entries',
      'stream=codec_name,width,height',
      '-of',
      'csv=p=0',
      url,
    ],
    { timeout: 30_000 },
  );
  return stdout.trim().split('\n').sort();
}
