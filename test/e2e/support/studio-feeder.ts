/**
 * Stands in for the studio's renderer (the page) where a test needs an encoder that hits an
 * exact bitrate: `node studio-feeder.ts STUDIO_URL RENDITIONS_DIR SECONDS SERVER_URL KEY`.
 * It speaks the host's real protocol (the control socket for `outputs.*`, the media socket
 * for video, PCM and acks), adds a destination with adaptive bitrate, and streams H.264
 * renditions pre-encoded at fixed bitrates (`video-KBPS.flv`), switching at keyframes to
 * the highest one at or under the bitrate the host asks for, as the real encoder's
 * `setBitrate` would. PCM is a tone. Prints one JSON line: the host's figures each second.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { encodeMediaFrame, MediaFlags, MediaKind, type MediaFrame } from '../../../common/host/media-frame.ts';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { FlvReader, FlvTagType, parseVideoTagHeader } from '../../../common/media/flv.ts';

const [studioUrl, renditionsDir, secondsText, serverUrl, streamKey] = process.argv.slice(2);
if (!studioUrl || !renditionsDir || !secondsText || !serverUrl || !streamKey)
  throw new Error('usage: studio-feeder.ts URL DIR SECONDS SERVER_URL KEY');
const seconds = Number(secondsText);
const origin = new URL(studioUrl).origin;

interface Rendition {
  kbps: number;
  avcC: Uint8Array;
  frames: { timestampMs: number; keyframe: boolean; data: Uint8Array }[];
}

function readRendition(path: string, kbps: number): Rendition {
  const rendition: Rendition = { kbps, avcC: new Uint8Array(0), frames: [] };
  new FlvReader((tag) => {
    if (tag.type !== FlvTagType.video) return;
    const header = parseVideoTagHeader(tag.payload);
    const body = tag.payload.slice(header.dataOffset);
    if (header.packet === 'sequenceStart') rendition.avcC = body;
    else if (header.packet === 'codedFrames') rendition.frames.push({ timestampMs: tag.timestamp, keyframe: header.keyframe, data: body });
  }).feed(new Uint8Array(readFileSync(path)));
  return rendition;
}

const renditions = readdirSync(renditionsDir)
  .map((file) => /^video-(\d+)\.flv$/.exec(file))
  .filter((match) => match !== null)
  .map((match) => readRendition(join(renditionsDir, match[0]), Number(match[1])))
  .sort((a, b) => b.kbps - a.kbps);

// ---- control socket -----------------------------------------------------------------------
const control = new WebSocket(`${origin.replace('http', 'ws')}/host/control`, { headers: { origin } });
await new Promise((resolve, reject) => control.once('open', resolve).once('error', reject));
let nextId = 1;
const pending = new Map<number, (outcome: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
const latest: { state: OutputsState | null } = { state: null };
control.on('message', (data: Buffer) => {
  const message = JSON.parse(data.toString()) as { type: string; id?: number; outcome?: never; channel?: string; payload?: unknown };
  if (message.type === 'outcome') pending.get(message.id!)?.(message.outcome!);
  else if (message.channel === 'tally:outputs.onDidChangeState') latest.state = message.payload as OutputsState;
});
async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const id = nextId++;
  const outcome = await new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => {
    pending.set(id, resolve);
    control.send(JSON.stringify({ type: 'call', id, channel: `tally:${channel}`, args }));
  });
  if (!outcome.ok) throw new Error(`${channel}: ${outcome.error?.message}`);
  return outcome.value as T;
}
control.send(JSON.stringify({ type: 'subscribe', channel: 'tally:outputs.onDidChangeState' }));

// ---- media socket -------------------------------------------------------------------------
const media = new WebSocket(`${origin.replace('http', 'ws')}/host/media`, { headers: { origin } });
await new Promise((resolve, reject) => media.once('open', resolve).once('error', reject));
media.on('message', () => {}); // acks
const send = (frame: MediaFrame) => media.send(encodeMediaFrame(frame));

const top = renditions[0]!;
await call('outputs.setEncoderSettings', { videoBitrateKbps: top.kbps, keyframeIntervalSec: 2, audioBitrateKbps: 128 });
const destination = await call<{ id: string }>('outputs.saveDestination', {
  name: 'Weak link',
  service: 'custom',
  serverUrl,
  streamKey,
  enabled: true,
  adaptiveBitrate: true,
});
await call('outputs.startDestination', destination.id);

const TRACK = 1;
const history: {
  t: number;
  targetKbps: number;
  renditionKbps: number;
  state: string;
  sentKbps: number;
  queueMs: number;
  dropped: number;
}[] = [];
const started = performance.now();
let current = top;
let configSent: Rendition | null = null;
let frameIndex = 0;
let loopOffsetMs = 0;
let pcmUs = 0;
let nextSampleAt = 1000;

while (performance.now() - started < seconds * 1000) {
  const frame = current.frames[frameIndex]!;
  const atUs = (loopOffsetMs + frame.timestampMs) * 1000;
  const waitMs = atUs / 1000 - (performance.now() - started);
  if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
  // Switch renditions at keyframes only, as an encoder's new bitrate starts a new GOP here.
  const state = latest.state;
  if (frame.keyframe && state) {
    const target = state.encoder.targetVideoBitrateKbps;
    const wanted = renditions.find((rendition) => rendition.kbps <= target) ?? renditions[renditions.length - 1]!;
    if (wanted !== current) {
      current = wanted;
      continue; // same index in the new rendition (they share one GOP structure)
    }
  }
  if (configSent !== current) {
    send({ kind: MediaKind.video, flags: MediaFlags.config, track: TRACK, timestampUs: 0, payload: current.avcC.slice().buffer });
    configSent = current;
  }
  for (; pcmUs <= atUs; pcmUs += 20_000) {
    const block = new Float32Array(960 * 2);
    for (let i = 0; i < 960; i++) block[2 * i] = block[2 * i + 1] = 0.2 * Math.sin(2 * Math.PI * 440 * (pcmUs / 1e6 + i / 48_000));
    send({ kind: MediaKind.audioPcm, flags: 0, track: TRACK, timestampUs: pcmUs, payload: block.buffer });
  }
  send({
    kind: MediaKind.video,
    flags: frame.keyframe ? MediaFlags.keyframe : 0,
    track: TRACK,
    timestampUs: atUs,
    payload: frame.data.slice().buffer,
  });
  if (++frameIndex >= current.frames.length) {
    frameIndex = 0;
    loopOffsetMs += current.frames[current.frames.length - 1]!.timestampMs + 1000 / 30;
  }
  const elapsed = performance.now() - started;
  if (elapsed >= nextSampleAt && state) {
    nextSampleAt += 1000;
    const status = state.destinations.find((d) => d.id === destination.id)?.status;
    history.push({
      t: Math.round(elapsed / 1000),
      targetKbps: state.encoder.targetVideoBitrateKbps,
      renditionKbps: current.kbps,
      state: status?.state ?? 'unknown',
      sentKbps: Math.round(status?.bitrateKbps ?? 0),
      queueMs: Math.round(status?.queueMs ?? 0),
      dropped: status?.framesDropped ?? 0,
    });
  }
}
const final = latest.state?.destinations.find((d) => d.id === destination.id)?.status ?? null;
process.stdout.write(`${JSON.stringify({ history, final })}\n`);
await call('outputs.stopDestination', destination.id);
control.close();
media.close();
process.exit(0);
