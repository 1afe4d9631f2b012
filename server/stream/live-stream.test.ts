import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeAmf0 } from '../../common/media/amf0.ts';
import { MediaFormatError } from '../../common/media/errors.ts';
import { FlvTagType, parseVideoTagHeader } from '../../common/media/flv.ts';
import { RtmpClient } from '../protocols/rtmp/client.ts';
import { fixtureTags, publishFixture, startTestOrigin, until, TEST_KEY, type TestOrigin } from '../testing.ts';
import { LiveStream, type Publisher, type StreamReader } from './live-stream.ts';
import { GatedReader } from './gated-reader.ts';
import type { MediaPacket } from './media-packet.ts';

const publisher = (id: string): Publisher => ({
  sessionId: id,
  protocol: 'rtmp',
  remoteAddress: '127.0.0.1',
  startedAtMs: 0,
  disconnect() {},
});

class RecordingReader implements StreamReader {
  readonly protocol = 'rtmp';
  joined: MediaPacket[] = [];
  packets: MediaPacket[] = [];
  events: string[] = [];
  join(burst: readonly MediaPacket[], startsOnKeyframe: boolean) {
    this.joined = [...burst];
    this.events.push(`join:${startsOnKeyframe}`);
  }
  push(packet: MediaPacket) {
    this.packets.push(packet);
  }
  publishStarted() {
    this.events.push('started');
  }
  publishStopped() {
    this.events.push('stopped');
  }
  streamClosed(reason: string) {
    this.events.push(`closed:${reason}`);
  }
}

function feedFixture(stream: LiveStream, offsetMs = 0, until = Infinity): void {
  for (const tag of fixtureTags()) {
    if (tag.timestamp > until) break;
    stream.ingest(
      tag.type === FlvTagType.audio ? 'audio' : tag.type === FlvTagType.video ? 'video' : 'data',
      tag.timestamp + offsetMs,
      tag.payload,
    );
  }
}

describe('LiveStream', () => {
  it('learns its tracks from the decoder configuration and metadata', () => {
    const stream = new LiveStream('main');
    stream.claim(publisher('a'));
    feedFixture(stream);
    expect(stream.video).toMatchObject({ codec: 'avc', codecString: 'avc1.4d400b', width: 160, height: 90, fps: 30 });
    expect(stream.audio).toMatchObject({ codec: 'aac', codecString: 'mp4a.40.2', sampleRateHz: 44100, channels: 1 });
    expect(stream.metadata?.width).toBe(160);
    expect(stream.stats.videoFrames).toBe(15);
  });

  it('gives a reader who joins mid-stream the metadata, configuration and the GOP from its keyframe', () => {
    const stream = new LiveStream('main');
    stream.claim(publisher('a'));
    feedFixture(stream, 0, 400); // past the second keyframe (frame 10, at 333 ms)
    const reader = new RecordingReader();
    stream.addReader(reader);
    expect(reader.events).toEqual(['join:true']);
    const [metadata, videoConfig, audioConfig, first] = reader.joined;
    expect([metadata!.kind, metadata!.timestampMs]).toEqual(['data', 0]);
    expect(videoConfig!.config && audioConfig!.config).toBe(true);
    expect(videoConfig!.timestampMs).toBe(first!.timestampMs); // restamped, no jump back
    expect(first!.keyframe).toBe(true);
    expect(first!.timestampMs).toBe(334); // frame 10 at 30 fps, in whole ms
    expect(reader.joined.slice(3).every((packet) => packet.timestampMs >= 334 - 30)).toBe(true);
  });

  it('keeps one timeline across publishers, so time moves forward after a reconnect', () => {
    const stream = new LiveStream('main');
    const reader = new RecordingReader();
    stream.addReader(reader);
    const first = publisher('a');
    stream.claim(first);
    feedFixture(stream, 5000); // a publisher whose clock starts at 5 s
    expect(reader.packets[0]!.timestampMs).toBe(0);
    const end = stream.lastTimestampMs;
    stream.release(first);
    expect(stream.claim(publisher('b'))).toBe(true);
    feedFixture(stream);
    const second = reader.packets.filter((packet) => packet.timestampMs > end);
    expect(second.length).toBeGreaterThan(20);
    expect(Math.min(...second.map((packet) => packet.timestampMs))).toBe(end + 1000);
    expect(reader.events).toEqual(['join:false', 'started', 'stopped', 'started']);
  });

  it('unwraps 32-bit RTMP time', () => {
    const stream = new LiveStream('main');
    stream.claim(publisher('a'));
    const frame = fixtureTags().find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 1)!.payload;
    stream.ingest('audio', 0xffffff00, frame);
    stream.ingest('audio', 0x00000010, frame);
    expect(stream.lastTimestampMs).toBe(0x110);
  });

  it('refuses a second publisher while one holds the stream', () => {
    const stream = new LiveStream('main');
    expect(stream.claim(publisher('a'))).toBe(true);
    expect(stream.claim(publisher('b'))).toBe(false);
  });

  it('throws MediaFormatError for malformed media and keeps @setDataFrame metadata as onMetaData', () => {
    const stream = new LiveStream('main');
    stream.claim(publisher('a'));
    expect(() => stream.ingest('video', 0, Uint8Array.of(0x17, 0x00))).toThrow(MediaFormatError);
    expect(() => stream.ingest('data', 0, encodeAmf0(['@setDataFrame', 'onMetaData', 5]))).toThrow(/onMetaData without an object/);
    const reader = new RecordingReader();
    stream.addReader(reader);
    stream.ingest('data', 0, encodeAmf0(['onCuePoint', 'x']));
    expect(reader.packets[0]!.config).toBe(false);
  });
});

describe('batched writes', () => {
  class BatchingReader extends RecordingReader {
    collected: MediaPacket[] = [];
    writes: string[][] = [];
    private stream: LiveStream;
    constructor(stream: LiveStream) {
      super();
      this.stream = stream;
    }
    override push(packet: MediaPacket) {
      if (this.collected.length === 0) this.stream.markPending(this);
      this.collected.push(packet);
    }
    flush() {
      this.writes.push(this.collected.map((packet) => packet.kind));
      this.collected = [];
    }
  }

  /** A stream with `framesPerWrite`, primed with configuration and a first frame of each track, and a batching reader. */
  function primed(framesPerWrite: number) {
    const stream = new LiveStream('main', { framesPerWrite });
    stream.claim(publisher('a'));
    const tags = fixtureTags();
    const kinds = { [FlvTagType.audio]: 'audio', [FlvTagType.video]: 'video', [FlvTagType.script]: 'data' } as const;
    const audio = tags.filter((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 1);
    const video = tags.filter((tag) => tag.type === FlvTagType.video && tag.payload[1] === 1);
    // Configuration and a first frame of each track first, so the stream knows it has video and has lined its tracks up.
    for (const tag of tags.slice(0, 4)) stream.ingest(kinds[tag.type as 8 | 9 | 18], tag.timestamp, tag.payload);
    stream.ingest('audio', audio[0]!.timestamp, audio[0]!.payload);
    stream.endOfRead();
    const reader = new BatchingReader(stream);
    stream.addReader(reader);
    reader.writes = [];
    return { stream, reader, audio, video };
  }

  it('writes video at the end of each read, and lets audio ride with the next video frame (40 ms at most)', () => {
    vi.useFakeTimers();
    try {
      const { stream, reader, audio, video } = primed(1);
      stream.ingest('video', video[0]!.timestamp, video[0]!.payload);
      stream.endOfRead();
      expect(reader.writes).toEqual([['video']]);
      stream.ingest('audio', audio[0]!.timestamp, audio[0]!.payload);
      stream.endOfRead();
      stream.ingest('audio', audio[1]!.timestamp, audio[1]!.payload);
      stream.endOfRead();
      expect(reader.writes).toHaveLength(1); // held
      stream.ingest('video', video[1]!.timestamp, video[1]!.payload);
      stream.endOfRead();
      expect(reader.writes).toEqual([['video'], ['audio', 'audio', 'video']]);
      stream.ingest('audio', audio[2]!.timestamp, audio[2]!.payload);
      stream.endOfRead();
      vi.advanceTimersByTime(40);
      expect(reader.writes.at(-1)).toEqual(['audio']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with two frames per write, gathers two video frames and the audio between them into one write (80 ms at most)', () => {
    vi.useFakeTimers();
    try {
      const { stream, reader, audio, video } = primed(2);
      for (const [kind, tag] of [
        ['video', video[1]],
        ['audio', audio[1]],
        ['video', video[2]],
      ] as const) {
        stream.ingest(kind, tag!.timestamp, tag!.payload);
        stream.endOfRead();
      }
      expect(reader.writes).toEqual([['video', 'audio', 'video']]);
      stream.ingest('video', video[3]!.timestamp, video[3]!.payload);
      stream.endOfRead();
      expect(reader.writes).toHaveLength(1);
      vi.advanceTimersByTime(80);
      expect(reader.writes.at(-1)).toEqual(['video']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('shared batches', () => {
  /** A gated reader over a fake socket that records what each write carried. */
  function viewer(stream: LiveStream, queued = () => 0) {
    const writes: Uint8Array[][] = [];
    const reader = new GatedReader(
      stream,
      {
        protocol: 'flv',
        bytesOf: (packet) => packet.flv(),
        sharedForm: () => 'flv',
        write: (bytes) => writes.push([bytes]),
        writeMany: (chunks) => writes.push([...chunks]),
        queuedBytes: queued,
        publishStarted() {},
        publishStopped() {},
        close() {},
      },
      { maxQueuedBytes: 1000, maxLagMs: 60_000 },
    );
    stream.addReader(reader);
    return writes;
  }

  it('joins a batch once for every viewer that took all of it, and lets a viewer that skipped write its own packets', () => {
    const stream = new LiveStream('main');
    stream.claim(publisher('a'));
    const tags = fixtureTags();
    const kinds = { [FlvTagType.audio]: 'audio', [FlvTagType.video]: 'video', [FlvTagType.script]: 'data' } as const;
    for (const tag of tags.slice(0, 6)) stream.ingest(kinds[tag.type as 8 | 9 | 18], tag.timestamp, tag.payload);
    stream.endOfRead();
    let behind = 0;
    const first = viewer(stream);
    const second = viewer(stream);
    const slow = viewer(stream, () => behind);
    for (const writes of [first, second, slow]) writes.length = 0;
    // One publisher read with audio, video and audio; the slow viewer's socket is full, so it skips until the next keyframe.
    behind = 5000;
    const read = tags.filter((tag) => tag.payload[1] === 1).slice(4, 7);
    for (const tag of read) stream.ingest(kinds[tag.type as 8 | 9], tag.timestamp, tag.payload);
    stream.endOfRead();
    expect(first).toHaveLength(1);
    expect(first[0]).toHaveLength(1);
    expect(second[0]![0]).toBe(first[0]![0]); // the same joined buffer, not a copy per viewer
    expect(first[0]![0]!.length).toBe(read.reduce((sum, tag) => sum + tag.payload.length + 15, 0));
    expect(slow.flat().length).toBeLessThan(3);
  });
});

describe('RTMP play through the origin', () => {
  let origin: TestOrigin | undefined;
  afterEach(async () => {
    await origin?.close();
    origin = undefined;
  });

  it('a viewer who joins mid-stream gets a keyframe first', async () => {
    origin = await startTestOrigin();
    const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY, { loops: 2 });
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    const video: Uint8Array[] = [];
    viewer.onMedia = (message) => {
      if (message.typeId === 9) video.push(message.payload.slice());
    };
    await viewer.play('main');
    await until(() => video.length >= 3, 5000, 'video');
    const headers = video.map((payload) => parseVideoTagHeader(payload));
    expect(headers[0]!.packet).toBe('sequenceStart');
    expect(headers[1]).toMatchObject({ packet: 'codedFrames', keyframe: true });
    viewer.destroy();
    publisher.destroy();
  });

  it('skips a viewer who stops reading to the next keyframe, then disconnects it; others are unaffected and memory stays bounded', async () => {
    origin = await startTestOrigin({ limits: { backpressure: { maxQueuedBytes: 64 * 1024, maxLagMs: 300 } } });
    const slow = await RtmpClient.connect(origin.urls.rtmp);
    await slow.play('main');
    slow.pauseReading();
    const fast = await RtmpClient.connect(origin.urls.rtmp);
    let fastVideo = 0;
    fast.onMedia = (message) => {
      if (message.typeId === 9) fastVideo++;
    };
    await fast.play('main');
    // ~10 MB through the stream: far more than the slow viewer's socket buffers hold.
    const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY, { loops: 200 });
    const dropped = () =>
      origin!.lines.find((line) => line.msg === 'rtmp connection closed' && /reader too slow/.test(String(line.fields.reason)));
    for (let loop = 200; !dropped() && loop < 2000; loop += 50) {
      const tags = fixtureTags().filter((tag) => tag.type !== FlvTagType.script && tag.payload[1] !== 0);
      for (let i = 0; i < 50; i++)
        for (const tag of tags) publisher.sendMedia(tag.type === 8 ? 'audio' : 'video', tag.timestamp + (loop + i) * 500, tag.payload);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const line = dropped();
    expect(line?.level).toBe('warn');
    const api = (await (
      await fetch(`${origin.urls.http}api/v1/streams/main`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } })
    ).json()) as {
      droppedFrames: number;
    };
    expect(api.droppedFrames).toBeGreaterThan(0);
    await until(() => fastVideo > 1000, 10_000, 'the fast viewer to receive frames');
    expect(fastVideo).toBeGreaterThan(1000);
    fast.destroy();
    publisher.destroy();
    slow.destroy();
  });
});
