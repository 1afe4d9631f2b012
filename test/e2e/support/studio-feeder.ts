/**
 * Stands in for the studio's renderer (the page) where a test or benchmark needs an encoder
 * with exact figures: it speaks the host's real protocol (the control socket for the
 * contract, the media socket for video, PCM and acks) and plays H.264 renditions that were
 * pre-encoded at fixed bitrates, switching at keyframes to the highest one at or under the
 * bitrate the host asks for, as the real encoder's `setBitrate` does.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { encodeMediaFrame, MediaFlags, MediaKind, pcmS16FromFloat } from '../../../common/host/media-frame.ts';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { FlvReader, FlvTagType, parseVideoTagHeader } from '../../../common/media/flv.ts';

/** One pre-encoded H.264 stream: its avcC and access units (AVCC) with their FLV times. */
export interface Rendition {
  kbps: number;
  avcC: Uint8Array;
  frames: { timestampMs: number; keyframe: boolean; data: Uint8Array }[];
}

/** Reads the video of an FLV file written by ffmpeg. */
export function readRendition(path: string, kbps: number): Rendition {
  const rendition: Rendition = { kbps, avcC: new Uint8Array(0), frames: [] };
  new FlvReader((tag) => {
    if (tag.type !== FlvTagType.video) return;
    const header = parseVideoTagHeader(tag.payload);
    const body = tag.payload.slice(header.dataOffset);
    if (header.packet === 'sequenceStart') rendition.avcC = body;
    else if (header.packet === 'codedFrames') rendition.frames.push({ timestampMs: tag.timestamp, keyframe: header.keyframe, data: body });
  }).feed(new Uint8Array(readFileSync(path)));
  // ffmpeg starts an FLV's video late by the AAC priming (avoid_negative_ts): frame 0 is at 0 here.
  const first = rendition.frames[0]?.timestampMs ?? 0;
  for (const frame of rendition.frames) frame.timestampMs -= first;
  return rendition;
}

type Outcome = { ok: boolean; value?: unknown; error?: { message: string } };

/** The host's two sockets, as the renderer holds them. */
export class StudioConnection {
  /** The latest `outputs` state the host sent. */
  state: OutputsState | null = null;
  private readonly control: WebSocket;
  private readonly media: WebSocket;
  private readonly pending = new Map<number, (outcome: Outcome) => void>();
  private nextId = 1;

  private constructor(control: WebSocket, media: WebSocket) {
    this.control = control;
    this.media = media;
    control.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: number; outcome?: Outcome; channel?: string; payload?: unknown };
      if (message.type === 'outcome') this.pending.get(message.id!)?.(message.outcome!);
      else if (message.channel === 'tally:outputs.onDidChangeState') this.state = message.payload as OutputsState;
    });
    control.send(JSON.stringify({ type: 'subscribe', channel: 'tally:outputs.onDidChangeState' }));
    media.on('message', () => {}); // acks
  }

  static async open(studioUrl: string): Promise<StudioConnection> {
    const origin = new URL(studioUrl).origin;
    const socket = async (path: string) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}${path}`, { headers: { origin } });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    };
    return new StudioConnection(await socket('/host/control'), await socket('/host/media'));
  }

  /** Calls `service.name` of the contract; throws with the host's message when it fails. */
  async call<T>(channel: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    const outcome = await new Promise<Outcome>((resolve) => {
      this.pending.set(id, resolve);
      this.control.send(JSON.stringify({ type: 'call', id, channel: `tally:${channel}`, args }));
    });
    if (!outcome.ok) throw new Error(`${channel}: ${outcome.error?.message}`);
    return outcome.value as T;
  }

  sendVideoConfig(avcC: Uint8Array, track: number): void {
    this.media.send(
      encodeMediaFrame({ kind: MediaKind.video, flags: MediaFlags.config, track, timestampUs: 0, payload: avcC.slice().buffer }),
    );
  }

  sendVideo(data: Uint8Array, keyframe: boolean, timestampUs: number, track: number): void {
    this.media.send(
      encodeMediaFrame({
        kind: MediaKind.video,
        flags: keyframe ? MediaFlags.keyframe : 0,
        track,
        timestampUs,
        payload: data.slice().buffer,
      }),
    );
  }

  /** Sends the mixer's float samples as the renderer's sink does: s16le. */
  sendPcm(samples: Float32Array, timestampUs: number, track: number): void {
    this.media.send(encodeMediaFrame({ kind: MediaKind.audioPcm, flags: 0, track, timestampUs, payload: pcmS16FromFloat(samples).buffer }));
  }

  close(): void {
    this.control.close();
    this.media.close();
  }
}

/** How a feed plays. */
export interface FeedOptions {
  seconds: number;
  /** 20 ms of interleaved stereo PCM starting at `timestampUs` (default: a quiet 440 Hz tone). */
  pcm?: (timestampUs: number) => Float32Array;
  /** Rewrites an access unit just before it is sent (a latency marker). */
  mark?: (data: Uint8Array) => Uint8Array;
  /** Called about once a second with the host's latest state and the rendition playing. */
  onSecond?: (elapsedSeconds: number, state: OutputsState | null, renditionKbps: number) => void;
}

const tone = (timestampUs: number): Float32Array => {
  const block = new Float32Array(960 * 2);
  for (let i = 0; i < 960; i++) block[2 * i] = block[2 * i + 1] = 0.2 * Math.sin(2 * Math.PI * 440 * (timestampUs / 1e6 + i / 48_000));
  return block;
};

/**
 * Plays `renditions` (highest bitrate first; all with one GOP structure) in real time, in a
 * loop, with PCM every 20 ms, following the host's target bitrate at keyframes.
 */
export async function feedRenditions(connection: StudioConnection, renditions: readonly Rendition[], options: FeedOptions): Promise<void> {
  const TRACK = 1;
  const pcm = options.pcm ?? tone;
  const started = performance.now();
  let current = renditions[0]!;
  let configSent: Rendition | null = null;
  let frameIndex = 0;
  let loopOffsetMs = 0;
  let pcmUs = 0;
  let nextSecond = 1000;
  while (performance.now() - started < options.seconds * 1000) {
    const frame = current.frames[frameIndex]!;
    const atUs = (loopOffsetMs + frame.timestampMs) * 1000;
    const waitMs = atUs / 1000 - (performance.now() - started);
    if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
    const target = connection.state?.encoder.targetVideoBitrateKbps;
    if (frame.keyframe && target !== undefined) {
      // A new bitrate starts with a new GOP, as it does in the encoder.
      const wanted = renditions.find((rendition) => rendition.kbps <= target) ?? renditions[renditions.length - 1]!;
      if (wanted !== current) {
        current = wanted;
        continue;
      }
    }
    if (configSent !== current) {
      connection.sendVideoConfig(current.avcC, TRACK);
      configSent = current;
    }
    for (; pcmUs <= atUs; pcmUs += 20_000) connection.sendPcm(pcm(pcmUs), pcmUs, TRACK);
    connection.sendVideo(options.mark ? options.mark(frame.data) : frame.data, frame.keyframe, atUs, TRACK);
    if (++frameIndex >= current.frames.length) {
      frameIndex = 0;
      // n frames at the clip's whole frame rate (FLV's rounded milliseconds would drift each loop).
      const frames = current.frames;
      const fps = Math.round(((frames.length - 1) * 1000) / frames[frames.length - 1]!.timestampMs);
      loopOffsetMs += (frames.length * 1000) / fps;
    }
    const elapsed = performance.now() - started;
    if (elapsed >= nextSecond) {
      nextSecond += 1000;
      options.onSecond?.(Math.round(elapsed / 1000), connection.state, current.kbps);
    }
  }
}
