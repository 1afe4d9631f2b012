import { describe, expect, it } from 'vitest';
import { MediaFlags, MediaKind } from '../../../common/host/media-frame.ts';
import { captureLogger } from '../../../server/log.ts';
import { MediaHub } from '../media-hub.ts';
import type { AacEncoder, AacEncoderOptions, AacFrame } from './aac-encoder.ts';
import { ProgramFeed } from './program-feed.ts';
import type { ProgramPacket } from './program.ts';
import { encodeTestProgram } from './testing.ts';

const program = encodeTestProgram({ seconds: 1, gop: 30 });
const FRAME_US = 1e6 / 30;
const AAC_US = (1024 * 1e6) / 48_000;

/** A fake AAC encoder: the test decides when each AAC frame comes back, and sees the PCM flushes. */
function fakeAac() {
  const fake = { onFrame: (_frame: AacFrame) => {}, flushes: 0, writtenUntilUs: 0 as number | null };
  const create = (options: AacEncoderOptions): AacEncoder => {
    fake.onFrame = (frame) => options.onFrame(frame);
    return {
      start() {},
      stop() {},
      pushPcm() {},
      fillSilenceTo() {},
      flushPcm: () => fake.flushes++,
      get writtenUntilUs() {
        return fake.writtenUntilUs;
      },
      get pid() {
        return null;
      },
    } as unknown as AacEncoder;
  };
  return { fake, create };
}

/** A feed on a media hub, with the fake AAC encoder. */
function startFeed(options: { audioStartWaitUs?: number } = {}) {
  const hub = new MediaHub(captureLogger());
  const { fake, create } = fakeAac();
  const log = captureLogger();
  const feed = new ProgramFeed({
    media: hub,
    log,
    ffmpegPath: 'ffmpeg',
    onAudioState: () => {},
    createAacEncoder: create,
    ...options,
  });
  return { hub, fake, feed, log };
}

/** What an output sees, in order: each configuration (`config:video+audio`) and packet (`video@ms`, `audio@ms`). */
function recordOutput(feed: ProgramFeed): string[] {
  const seen: string[] = [];
  feed.addOutput({
    onConfig: (config) => seen.push(`config:${[config.video && 'video', config.audio && 'audio'].filter(Boolean).join('+')}`),
    onPacket: (packet) => seen.push(`${packet.kind}@${Math.round(packet.timestampUs / 1000)}`),
  });
  return seen;
}

/** Sends the avcC and the first `frames` video frames of the test program as the studio does. */
function sendVideo(hub: MediaHub, frames: number, from = 0): void {
  const peer = { send() {} };
  if (from === 0)
    hub.receive(
      { kind: MediaKind.video, flags: MediaFlags.config, track: 1, timestampUs: 0, payload: program.config.video!.avcC.slice().buffer },
      peer,
    );
  const video = program.packets.filter((packet) => packet.kind === 'video');
  for (let index = from; index < from + frames; index++) {
    const packet = video[index % video.length]!;
    const flags = packet.keyframe && index % video.length === 0 ? MediaFlags.keyframe : 0;
    hub.receive({ kind: MediaKind.video, flags, track: 1, timestampUs: index * FRAME_US, payload: packet.data.slice().buffer }, peer);
  }
}

describe('the program feed (fake AAC encoder)', () => {
  it('sends audio out together with the video frame after it: one turn of packets per video frame, in time order', () => {
    const { hub, fake, feed } = startFeed();
    const turns: ProgramPacket[][] = [];
    let turn: ProgramPacket[] | null = null;
    feed.addOutput({ onConfig: () => {}, onPacket: (packet) => turn!.push(packet) });
    /** Runs `action` as one turn of the event loop and keeps what the outputs got in it. */
    const inTurn = (action: () => void) => {
      turn = [];
      action();
      if (turn.length) turns.push(turn);
    };
    const peer = { send() {} };
    feed.start(160);
    const avcC = program.config.video!.avcC;
    hub.receive({ kind: MediaKind.video, flags: MediaFlags.config, track: 1, timestampUs: 0, payload: avcC.slice().buffer }, peer);
    const video = program.packets.filter((packet) => packet.kind === 'video').slice(0, 10);
    const asc = program.config.audio!.asc;
    let nextAacUs = 0;
    for (const [index, packet] of video.entries()) {
      const atUs = index * FRAME_US;
      inTurn(() =>
        hub.receive(
          {
            kind: MediaKind.video,
            flags: packet.keyframe ? MediaFlags.keyframe : 0,
            track: 1,
            timestampUs: atUs,
            payload: packet.data.slice().buffer,
          },
          peer,
        ),
      );
      // AAC for this frame's time comes back later, one frame per turn, as ffmpeg writes them.
      for (; nextAacUs <= atUs + FRAME_US; nextAacUs += AAC_US) {
        const timestampUs = nextAacUs;
        inTurn(() => fake.onFrame({ data: new Uint8Array([1, 2, 3]), config: asc, timestampUs, durationUs: AAC_US }));
      }
    }
    turn = []; // what stop() flushes is not a turn of the stream
    feed.dispose();
    // Every PCM held for batching went to the child when a video frame came.
    expect(fake.flushes).toBe(video.length);
    // Each turn that sent anything ends with one video frame, with the audio of its time before it.
    expect(turns.length).toBeGreaterThanOrEqual(video.length - 1);
    for (const packets of turns) {
      expect(packets.at(-1)!.kind).toBe('video');
      expect(packets.filter((packet) => packet.kind === 'video')).toHaveLength(1);
    }
    const sent = turns.flat();
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.timestampUs).toBeGreaterThanOrEqual(sent[i - 1]!.timestampUs);
    const audioSent = sent.filter((packet) => packet.kind === 'audio').length;
    expect(audioSent).toBeGreaterThan(0);
  });

  it('with no video, audio still goes out once it has waited the interleave time', () => {
    const { fake, feed } = startFeed();
    const sent: ProgramPacket[] = [];
    feed.addOutput({ onConfig: () => {}, onPacket: (packet) => sent.push(packet) });
    feed.start(160);
    const asc = program.config.audio!.asc;
    for (let i = 0; i < 20; i++) fake.onFrame({ data: new Uint8Array([1]), config: asc, timestampUs: i * AAC_US, durationUs: AAC_US });
    // 20 frames span 405 ms: the 5 that are 300 ms older than the newest went out as they aged...
    expect(sent).toHaveLength(5);
    feed.dispose();
    // ...and the rest at stop, all in time order.
    expect(sent.map((packet) => packet.timestampUs)).toEqual(Array.from({ length: 20 }, (_, i) => i * AAC_US));
  });

  it('holds video at the start until the AAC encoder’s first frame, so outputs learn both configurations before any media', () => {
    const { hub, fake, feed } = startFeed();
    const seen = recordOutput(feed);
    feed.start(160);
    // Half a second of video before ffmpeg's first AAC frame: longer than the 300 ms interleave wait.
    sendVideo(hub, 15);
    expect(seen).toEqual(['config:video']);
    const asc = program.config.audio!.asc;
    // Then the AAC frames for that time come back in a burst, and keep pace with the video.
    let nextAacUs = 0;
    const aacUntil = (untilUs: number) => {
      for (; nextAacUs <= untilUs; nextAacUs += AAC_US)
        fake.onFrame({ data: new Uint8Array([1]), config: asc, timestampUs: nextAacUs, durationUs: AAC_US });
    };
    aacUntil(15 * FRAME_US);
    for (let index = 15; index < 30; index++) {
      sendVideo(hub, 1, index);
      aacUntil((index + 1) * FRAME_US);
    }
    feed.dispose();
    expect(seen.slice(0, 3)).toEqual(['config:video', 'config:video+audio', 'audio@0']);
    expect(seen[3]).toBe('video@0');
    const times = seen.slice(2).map((entry) => Number(entry.split('@')[1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(seen.filter((entry) => entry.startsWith('video@'))).toHaveLength(30);
  });

  it('sends video alone when no audio comes within the start wait, and says so', () => {
    const { hub, fake, feed, log } = startFeed({ audioStartWaitUs: 1_000_000 });
    const seen = recordOutput(feed);
    feed.start(160);
    sendVideo(hub, 20);
    expect(seen).toEqual(['config:video']);
    sendVideo(hub, 20, 20);
    // The first frames went out once a second of video was held, without waiting for audio.
    expect(seen.filter((entry) => entry.startsWith('video@')).length).toBeGreaterThanOrEqual(10);
    expect(seen.some((entry) => entry.startsWith('audio'))).toBe(false);
    expect(log.lines.some((line) => line.msg.includes('video goes out alone'))).toBe(true);
    // Audio that turns up later joins the stream as a new configuration.
    fake.onFrame({ data: new Uint8Array([1]), config: program.config.audio!.asc, timestampUs: 40 * FRAME_US, durationUs: AAC_US });
    expect(seen).toContain('config:video+audio');
    feed.dispose();
  });
});
