/**
 * A live stream: its publisher, tracks (with decoder configuration), metadata, GOP cache and
 * readers. The publisher side calls `ingest` with each audio/video/data message; every reader
 * gets each packet synchronously, in order, and decides for itself (with its `ReaderGate`)
 * what its socket can take. A reader that joins mid-stream starts with the metadata, the
 * decoder configuration and the GOP cache, so its first frame is a keyframe.
 *
 * Timestamps are mapped onto one timeline per stream that continues across publisher
 * reconnects (and 32-bit wrap), so readers that stay connected and HLS see time move forward.
 */
import { AmfEcmaArray, amfRecord, decodeAmf0, encodeAmf0, type AmfObject } from '../../common/media/amf0.ts';
import { MediaFormatError } from '../../common/media/errors.ts';
import { parseAudioTagHeader, parseVideoTagHeader } from '../../common/media/flv.ts';
import { MediaPacket, type PacketKind } from './media-packet.ts';
import { RateMeter } from './rate-meter.ts';
import { audioTrackFrom, videoTrackFrom, type AudioTrack, type VideoTrack } from './tracks.ts';

/** Output protocols a reader can use. */
export type ReaderProtocol = 'rtmp' | 'flv' | 'hls';

/** Something that receives a stream's packets (a player connection, the HLS muxer). */
export interface StreamReader {
  readonly protocol: ReaderProtocol;
  /** Internal readers (the HLS muxer) are not viewers. */
  readonly internal?: boolean;
  /** Called once when added: what to send first (metadata, configuration, GOP) and whether it starts on a keyframe. */
  join(burst: readonly MediaPacket[], startsOnKeyframe: boolean): void;
  /** Every packet after the join, in order. */
  push(packet: MediaPacket): void;
  /** A publisher started (after a time without one). */
  publishStarted(): void;
  /** The publisher stopped. */
  publishStopped(): void;
  /** The stream is closing (deleted, or the origin shuts down): the reader must let go. */
  streamClosed(reason: string): void;
  /** Writes what it collected since it called `markPending` (readers that batch). */
  flush?(): void;
}

/** The publisher, as the stream sees it. */
export interface Publisher {
  sessionId: string;
  protocol: 'rtmp';
  remoteAddress: string;
  startedAtMs: number;
  /** Ends the publisher's connection (stream deleted, key rotated with kick, shutdown). */
  disconnect(reason: string): void;
}

/** Limits of the stream core. */
export interface LiveStreamOptions {
  /** A GOP larger than this is not cached (readers then wait for the next keyframe). Default 32 MiB. */
  maxGopCacheBytes?: number;
  now?: () => number;
}

/** Longest audio waits for the next video frame before it is written (a 30 fps frame is 33 ms). */
const AUDIO_HOLD_MS = 40;

/** How far the timeline moves on between one publisher and the next. */
const RECONNECT_GAP_MS = 1000;

/** A stream by name, with or without a publisher. */
export class LiveStream {
  readonly name: string;
  private readonly maxGopCacheBytes: number;
  private readonly now: () => number;
  private currentPublisher: Publisher | null = null;
  private readonly readers = new Set<StreamReader>();
  /** Readers holding bytes of the current batch. */
  private pendingReaders: StreamReader[] = [];
  /** The batch holds more than audio (video, configuration, data): it goes out at the end of the read. */
  private batchUrgent = false;
  private audioHoldTimer: NodeJS.Timeout | undefined;
  /** Tracks and metadata of the current (or last) publisher. */
  video: VideoTrack | undefined;
  audio: AudioTrack | undefined;
  metadata: AmfObject | undefined;
  private metadataPacket: MediaPacket | undefined;
  private videoConfig: MediaPacket | undefined;
  private audioConfig: MediaPacket | undefined;
  private gop: MediaPacket[] = [];
  private gopBytes = 0;
  // Timeline of the current publisher: its first timestamp lands on `sessionStartMs`.
  private sessionStartMs = 0;
  private sessionOffsetMs: number | null = null;
  private lastRawTimestamp = 0;
  private wrapMs = 0;
  /** The latest timestamp on the stream's timeline. */
  lastTimestampMs = 0;

  /** Counters for the API and metrics. */
  readonly stats = {
    bytesIn: 0,
    bytesOut: { rtmp: 0, flv: 0, hls: 0 } as Record<ReaderProtocol, number>,
    droppedFrames: 0,
    videoFrames: 0,
    publishCount: 0,
  };
  private readonly bitrate = new RateMeter();
  private readonly frameRate = new RateMeter();

  constructor(name: string, options: LiveStreamOptions = {}) {
    this.name = name;
    this.maxGopCacheBytes = options.maxGopCacheBytes ?? 32 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  get publisher(): Publisher | null {
    return this.currentPublisher;
  }

  get live(): boolean {
    return this.currentPublisher !== null;
  }

  /** Readers that are viewers, by protocol. */
  viewers(): Record<ReaderProtocol, number> {
    const counts: Record<ReaderProtocol, number> = { rtmp: 0, flv: 0, hls: 0 };
    for (const reader of this.readers) if (!reader.internal) counts[reader.protocol]++;
    return counts;
  }

  /** Incoming bits per second over the last seconds. */
  bitrateBps(): number {
    return this.bitrate.perSecond(this.now()) * 8;
  }

  /** Video frames per second measured over the last seconds. */
  measuredFps(): number {
    return this.frameRate.perSecond(this.now());
  }

  /** Makes `publisher` the stream's publisher; false when another one holds it. */
  claim(publisher: Publisher): boolean {
    if (this.currentPublisher) return false;
    this.currentPublisher = publisher;
    this.stats.publishCount++;
    this.video = undefined;
    this.audio = undefined;
    this.metadata = undefined;
    this.metadataPacket = this.videoConfig = this.audioConfig = undefined;
    this.clearGop();
    this.sessionStartMs = this.stats.publishCount === 1 ? 0 : this.lastTimestampMs + RECONNECT_GAP_MS;
    this.sessionOffsetMs = null;
    this.wrapMs = 0;
    for (const reader of this.readers) reader.publishStarted();
    return true;
  }

  /** Ends `publisher`'s session (it disconnected or unpublished). */
  release(publisher: Publisher): void {
    if (this.currentPublisher !== publisher) return;
    this.flush();
    this.currentPublisher = null;
    this.clearGop();
    for (const reader of this.readers) reader.publishStopped();
  }

  /**
   * Takes one message from the publisher. Throws `MediaFormatError` when its tag header,
   * decoder configuration or metadata is malformed (the publisher is then disconnected).
   */
  ingest(kind: PacketKind, rawTimestamp: number, payload: Uint8Array): void {
    const nowMs = this.now();
    this.stats.bytesIn += payload.length;
    this.bitrate.add(payload.length, nowMs);
    const timestampMs = this.toTimeline(rawTimestamp);
    let packet: MediaPacket;
    if (kind === 'video') {
      const header = parseVideoTagHeader(payload);
      if (header.packet === 'sequenceStart') {
        this.video = videoTrackFrom(header, payload.subarray(header.dataOffset));
        packet = this.videoConfig = new MediaPacket('video', timestampMs, payload, { config: true });
      } else {
        const picture = header.packet === 'codedFrames' || header.packet === 'multitrack';
        packet = new MediaPacket('video', timestampMs, payload, { keyframe: picture && header.keyframe });
        if (picture) {
          this.stats.videoFrames++;
          this.frameRate.add(1, nowMs);
        }
      }
    } else if (kind === 'audio') {
      const header = parseAudioTagHeader(payload);
      if (header.packet === 'sequenceStart') {
        this.audio = audioTrackFrom(header, payload.subarray(header.dataOffset));
        packet = this.audioConfig = new MediaPacket('audio', timestampMs, payload, { config: true });
      } else {
        this.audio ??= audioTrackFrom(header, payload.subarray(header.dataOffset));
        packet = new MediaPacket('audio', timestampMs, payload);
      }
    } else {
      packet = this.dataPacket(timestampMs, payload);
    }
    this.cache(packet);
    if (kind !== 'audio' || packet.config) this.batchUrgent = true;
    for (const reader of this.readers) reader.push(packet);
  }

  /**
   * The publisher's read is done. Video, configuration and data go out now; audio that came
   * alone waits for the next video frame (at most `AUDIO_HOLD_MS`) and leaves with it, which
   * halves the writes per viewer (about 47 AAC and 30 video messages a second become ~30
   * writes) at no cost to video latency — the merged write SRS is known for, kept to one frame.
   */
  endOfRead(): void {
    if (this.batchUrgent || !this.video) {
      this.flush();
      return;
    }
    this.audioHoldTimer ??= setTimeout(() => this.flush(), AUDIO_HOLD_MS);
  }

  /** `@setDataFrame`/`onMetaData` becomes the stream's metadata (kept for late joiners); other data is relayed. */
  private dataPacket(timestampMs: number, payload: Uint8Array): MediaPacket {
    const values = decodeAmf0(payload);
    const [first, second, third] = values;
    const isSet = first === '@setDataFrame' && second === 'onMetaData';
    if (isSet || first === 'onMetaData') {
      const record = amfRecord((isSet ? third : second) ?? null);
      if (!record) throw new MediaFormatError('onMetaData without an object');
      this.metadata = record;
      const body = encodeAmf0(['onMetaData', new AmfEcmaArray(record)]);
      return (this.metadataPacket = new MediaPacket('data', timestampMs, body, { config: true }));
    }
    return new MediaPacket('data', timestampMs, payload);
  }

  private toTimeline(raw: number): number {
    // 32-bit RTMP time wraps after 49.7 days; a jump back by more than half the range is a wrap.
    if (this.sessionOffsetMs !== null && raw + 0x8000_0000 < this.lastRawTimestamp) this.wrapMs += 0x1_0000_0000;
    this.lastRawTimestamp = raw;
    this.sessionOffsetMs ??= this.sessionStartMs - raw;
    const timestampMs = Math.max(0, raw + this.wrapMs + this.sessionOffsetMs);
    if (timestampMs > this.lastTimestampMs) this.lastTimestampMs = timestampMs;
    return timestampMs;
  }

  private cache(packet: MediaPacket): void {
    if (packet.config || packet.kind === 'data') return;
    if (packet.keyframe) this.clearGop();
    else if (this.gop.length === 0) return; // nothing to start from until the next keyframe
    if (this.gopBytes + packet.payload.length > this.maxGopCacheBytes) {
      this.clearGop();
      return;
    }
    this.gop.push(packet);
    this.gopBytes += packet.payload.length;
  }

  private clearGop(): void {
    this.gop = [];
    this.gopBytes = 0;
  }

  /** Adds a reader and gives it what it needs to start. */
  addReader(reader: StreamReader): void {
    this.readers.add(reader);
    if (!this.live) {
      reader.join([], false);
      return;
    }
    // Decoder configuration goes out stamped at the first cached frame, so a joiner's time does not jump
    // back; metadata at 0, where demuxers (ffmpeg's flvdec) take onMetaData as metadata rather than data.
    const startMs = this.gop[0]?.timestampMs ?? this.lastTimestampMs;
    const burst: MediaPacket[] = [];
    if (this.metadataPacket) burst.push(this.metadataPacket.restamped(0));
    for (const config of [this.videoConfig, this.audioConfig]) if (config) burst.push(config.restamped(startMs));
    burst.push(...this.gop);
    reader.join(burst, this.gop.length > 0);
    this.flush();
  }

  removeReader(reader: StreamReader): void {
    this.readers.delete(reader);
  }

  /** A reader has bytes to write at the end of this batch. */
  markPending(reader: StreamReader): void {
    this.pendingReaders.push(reader);
  }

  /**
   * Ends a batch: every reader writes what it collected, once. The publisher calls it after
   * each read from its socket (all the messages that read held); joins call it too.
   */
  flush(): void {
    this.batchUrgent = false;
    if (this.audioHoldTimer) {
      clearTimeout(this.audioHoldTimer);
      this.audioHoldTimer = undefined;
    }
    const readers = this.pendingReaders;
    if (readers.length === 0) return;
    this.pendingReaders = [];
    for (const reader of readers) reader.flush?.();
  }

  /** Counts a video frame a reader dropped to catch up. */
  countDroppedFrame(): void {
    this.stats.droppedFrames++;
  }

  /** Closes the stream: the publisher is disconnected and every reader let go. */
  close(reason: string): void {
    this.flush();
    this.currentPublisher?.disconnect(reason);
    for (const reader of [...this.readers]) reader.streamClosed(reason);
    this.readers.clear();
  }
}
