/**
 * What a player sees of Tally Origin, for the tests that replay inputs from the field: clips
 * encoded once by ffmpeg, a small publisher of our own for inputs ffmpeg cannot make, packet
 * timestamps read back with ffprobe (HTTP-FLV, HLS) and with an RTMP viewer, and HLS
 * playlists polled and checked against RFC 8216 (`server/hls/playlist-rules.ts`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FlvReader, FlvTagType, type FlvTag } from '../../../common/media/flv.ts';
import {
  checkMediaPlaylist,
  checkPlaylistReload,
  parseMediaPlaylist,
  type ParsedMediaPlaylist,
} from '../../../server/hls/playlist-rules.ts';
import { RtmpClient } from '../../../net/rtmp/client.ts';

const execFileAsync = promisify(execFile);

/** Where encoded clips are kept between runs (they depend only on their ffmpeg arguments). */
const CLIP_DIR = join(tmpdir(), 'tally-test-clips');

/** Encodes a clip with ffmpeg once (`args` between the inputs and the output file) and returns its path. */
export async function clip(name: string, args: string[]): Promise<string> {
  mkdirSync(CLIP_DIR, { recursive: true });
  const file = join(CLIP_DIR, `${name}.flv`);
  if (existsSync(file)) return file;
  const partial = `${file}.${process.pid}.partial`;
  await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, '-f', 'flv', partial], { timeout: 120_000 });
  const { rename } = await import('node:fs/promises');
  await rename(partial, file);
  return file;
}

/** 12 s of 640x360 H.264 (2 s GOP, no scene cuts) and AAC 48 kHz: the `in.flv` of the field reports. */
export function fieldClip(): Promise<string> {
  return clip('field-640x360-12s-gop2', [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '12'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '96k'],
  ]);
}

/** The tags of an FLV file. */
export function flvTags(file: string): FlvTag[] {
  const tags: FlvTag[] = [];
  new FlvReader((tag) => tags.push(tag)).feed(new Uint8Array(readFileSync(file)));
  return tags;
}

/** Publishes FLV tags over RTMP as fast as the socket takes them, with each tag's timestamp mapped by `stamp`. */
export async function publishTags(
  client: RtmpClient,
  tags: readonly FlvTag[],
  stamp: (tag: FlvTag) => number = (tag) => tag.timestamp,
): Promise<void> {
  for (const tag of tags) {
    const kind = tag.type === FlvTagType.audio ? 'audio' : tag.type === FlvTagType.video ? 'video' : 'data';
    client.sendMedia(kind, stamp(tag), tag.payload);
    // Let the socket drain now and then, as an encoder's pace would.
    if (client.queuedBytes > 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A packet as ffprobe reports it. */
export interface ProbedPacket {
  codec_type: 'audio' | 'video';
  dts_time?: string;
  pts_time?: string;
  duration_time?: string;
  flags: string;
}

/** Every packet ffprobe reads from `input` (a URL it reads to its end, or a file), in order. */
export async function probePackets(input: string, timeoutMs = 60_000): Promise<{ packets: ProbedPacket[]; streams: ProbedStream[] }> {
  const { stdout } = await execFileAsync(
    'ffprobe',
    [
      ...['-v', 'error', '-show_entries', 'packet=codec_type,dts_time,pts_time,duration_time,flags'],
      ...['-show_entries', 'stream=codec_type,codec_name,width,height,sample_rate', '-of', 'json', '-rw_timeout', '15000000', input],
    ],
    { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout) as { packets?: ProbedPacket[]; streams?: ProbedStream[] };
  return { packets: parsed.packets ?? [], streams: parsed.streams ?? [] };
}

/** A stream as ffprobe reports it. */
export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
}

/** Decode timestamps in ms of one track's packets. */
export function dtsMs(packets: readonly ProbedPacket[], type: 'audio' | 'video'): number[] {
  return packets.filter((packet) => packet.codec_type === type).map((packet) => Math.round(Number(packet.dts_time) * 1000));
}

/** The largest step between consecutive timestamps, and whether any went back. */
export function steps(timestamps: readonly number[]): { maxStepMs: number; backwards: number; repeats: number } {
  let maxStepMs = 0;
  let backwards = 0;
  let repeats = 0;
  for (let i = 1; i < timestamps.length; i++) {
    const step = timestamps[i]! - timestamps[i - 1]!;
    maxStepMs = Math.max(maxStepMs, step);
    if (step < 0) backwards++;
    if (step === 0) repeats++;
  }
  return { maxStepMs, backwards, repeats };
}

/** An RTMP viewer that records every audio/video/data message's timestamp and size. */
export async function rtmpViewer(
  rtmpUrl: string,
  name: string,
): Promise<{ client: RtmpClient; messages: { typeId: number; timestamp: number; bytes: number; payload: Uint8Array }[] }> {
  const client = await RtmpClient.connect(rtmpUrl);
  const messages: { typeId: number; timestamp: number; bytes: number; payload: Uint8Array }[] = [];
  client.onMedia = (message) =>
    messages.push({
      typeId: message.typeId,
      timestamp: message.timestamp,
      bytes: message.payload.length,
      payload: message.payload.slice(),
    });
  await client.play(name);
  return { client, messages };
}

/** Polls a live playlist until `done()`, checking every version against RFC 8216 and every reload against the one before. */
export async function watchPlaylist(
  url: string,
  done: () => boolean,
  intervalMs = 250,
): Promise<{ versions: ParsedMediaPlaylist[]; problems: string[] }> {
  const versions: ParsedMediaPlaylist[] = [];
  const problems: string[] = [];
  let lastText = '';
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) {
      const text = await response.text();
      if (text !== lastText) {
        lastText = text;
        const parsed = parseMediaPlaylist(text);
        problems.push(...checkMediaPlaylist(text));
        if (versions.length > 0) problems.push(...checkPlaylistReload(versions.at(-1)!, parsed));
        versions.push(parsed);
      }
    } else await response?.body?.cancel();
    if (done()) return { versions, problems: [...new Set(problems)] };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The media each listed segment holds, read back with ffprobe from its init segment and
 * itself: the video (or, without video, audio) duration in seconds, and whether it starts on
 * a keyframe.
 */
export async function segmentMedia(
  playlistUrl: string,
  playlist: ParsedMediaPlaylist,
  workDir: string,
): Promise<{ msn: number; listedS: number; mediaS: number; startsOnKeyframe: boolean }[]> {
  const results = [];
  for (const segment of playlist.segments) {
    const [init, media] = await Promise.all(
      [segment.map!, segment.uri].map(async (uri) => new Uint8Array(await (await fetch(new URL(uri, playlistUrl))).arrayBuffer())),
    );
    const file = join(workDir, `segment-${segment.msn}-${Math.random().toString(36).slice(2)}.mp4`);
    writeFileSync(file, Buffer.concat([init!, media!]));
    const { packets } = await probePackets(file);
    const video = packets.filter((packet) => packet.codec_type === 'video');
    const track = video.length > 0 ? video : packets;
    const first = Number(track[0]?.dts_time ?? 0);
    const last = track.at(-1);
    const mediaS = last ? Number(last.dts_time) + Number(last.duration_time ?? 0) - first : 0;
    results.push({ msn: segment.msn, listedS: segment.durationS, mediaS, startsOnKeyframe: (video[0]?.flags ?? 'K').startsWith('K') });
  }
  return results;
}
