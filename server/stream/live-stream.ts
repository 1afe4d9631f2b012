/**
 * A live stream: its publisher, tracks (with decoder configuration), metadata, GOP cache and
 * readers. The publisher side calls `ingest` with each audio/video/data message; every reader
 * gets each packet synchronously, in order, and decides for itself (with its `ReaderGate`)
 * what its socket can take. A reader that joins mid-stream starts with the metadata, the
 * decoder configuration and the GOP cache, so its first frame is a keyframe.
 *
 * Timestamps are mapped onto one timeline per stream (`timeline.ts`) that continues across
 * publisher reconnects, 32-bit wraps and clock jumps, and keeps the offset between tracks, so
 * readers that stay connected and HLS see time move forward. A publisher's first messages
 * wait until each of its tracks has sent a frame (at most a second of media), so the
 * timeline's base is the earliest track's first time. Metadata kept for viewers who join is
 * bounded (`maxMetadataBytes`); so are data messages relayed live.
 */
import { AmfEcmaArray, amfRecord, decodeAmf0, encodeAmf0, newAmfObject, type AmfObject, type AmfValue } from '../../common/media/amf0.ts';
import { MediaFormatError } from '../../common/media/errors.ts';
import { parseAudioTagHeader, parseVideoTagHeader } from '../../common/media/flv.ts';
import { silentLogger, type Logger } from '../log.ts';
import { MediaPacket, type PacketKind, type WireForm } from './media-packet.ts';
import { RateMeter } from './rate-meter.ts';
import { Timeline, type TimedTrack } from './timeline.ts';
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
  /** Writes what it collected since it called `markPending` (readers that batch); `batch` is every packet pushed since the last flush. */
  flush?(batch: readonly MediaPacket[]): void;
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
  /**
   * Metadata (`onMetaData`) kept and replayed to viewers who join is trimmed to this many
   * encoded bytes, largest fields first; other data messages over it are not relayed. Default 64 KiB.
   */
  maxMetadataBytes?: number;
  /**
   * Video frames a batch gathers before viewers write it (audio rides along): 1 writes each
   * frame as it comes; 2 (the origin's default) halves the writes per viewer for at most one
   * frame of delay. Default 1.
   */
  framesPerWrite?: number;
  /** Where dropped metadata and clock jumps are reported. */
  log?: Logger;
  now?: () => number;
}

/** Longest audio waits for the next video frame before it is written (a 30 fps frame is 33 ms). */
const AUDIO_HOLD_MS = 40;

/** How far the timeline moves on between one publisher and the next. */
const RECONNECT_GAP_MS = 1000;

/** A publisher's first messages wait at most this much media (per track) for its other tracks to show up. */
const ALIGN_MAX_SPAN_MS = 1000;
/** ...or this many messages or bytes. */
const ALIGN_MAX_MESSAGES = 600;
const ALIGN_MAX_BYTES = 16 * 1024 * 1024;

/** A message held while a new publisher's tracks are aligned. */
interface HeldMessage {
  kind: PacketKind;
  raw: number;
  payload: Uint8Array;
  /** A data message's AMF values, decoded once. */
  values?: AmfValue[];
}

/** A stream by name, with or without a publisher. */
export class LiveStream {
  readonly name: string;
  private readonly maxGopCacheBytes: number;
  private readonly maxMetadataBytes: number;
  private readonly framesPerWrite: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private currentPublisher: Publisher | null = null;
  private readonly readers = new Set<StreamReader>();
  /** Readers holding bytes of the current batch. */
  private pendingReaders: StreamReader[] = [];
  /** The packets of the current batch, in order, and their wire forms joined (made on first use, once per batch). */
  private batch: MediaPacket[] = [];
  private readonly batchWire = new Map<WireForm, Uint8Array>();
  /** The batch holds configuration or data: it goes out at the end of the read. */
  private batchUrgent = false;
  /** Video frames in the batch. */
  private batchFrames = 0;
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
  private readonly timeline: Timeline;
  /** Messages of a new publisher held until each of its tracks has sent a frame (null once aligned). */
  private held: HeldMessage[] | null = null;
  private heldBytes = 0;
  /** Tracks the publisher announced (metadata, decoder configuration) and the first frame time of each. */
  private readonly announced = new Set<TimedTrack>();
  private readonly firstFrameRaw = new Map<TimedTrack, number>();
  /** What this publisher's oversize metadata and data lost, reported once per publish. */
  private reportedDrops = { metadata: false, data: false };

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
    this.maxMetadataBytes = options.maxMetadataBytes ?? 64 * 1024;
    this.framesPerWrite = options.framesPerWrite ?? 1;
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.timeline = new Timeline(this.now);
  }

  /** The latest timestamp on the stream's timeline. */
  get lastTimestampMs(): number {
    return this.timeline.lastTimestampMs;
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
    this.timeline.startSession(RECONNECT_GAP_MS);
    this.held = [];
    this.heldBytes = 0;
    this.announced.clear();
    this.firstFrameRaw.clear();
    this.reportedDrops = { metadata: false, data: false };
    for (const reader of this.readers) reader.publishStarted();
    return true;
  }

  /** Ends `publisher`'s session (it disconnected or unpublished). */
  release(publisher: Publisher): void {
    if (this.currentPublisher !== publisher) return;
    this.endAlignment(true);
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
    const message = { kind, raw: rawTimestamp, payload };
    if (!this.held || !this.hold(message)) this.accept(message);
  }

  /**
   * Holds a new publisher's message until every track it announced has sent a frame, so the
   * timeline's base is the earliest track's first time (the offset between tracks is kept).
   */
  private hold(message: HeldMessage): boolean {
    const held = this.held!;
    const { kind, raw, payload } = message;
    // Checked now, so a malformed message is refused when it comes, not when the hold ends.
    if (kind === 'data') {
      message.values = decodeAmf0(payload);
      const metadata = metadataRecord(message.values);
      if (metadata === null) throw new MediaFormatError('onMetaData without an object');
      if (metadata?.videocodecid !== undefined || metadata?.width !== undefined) this.announced.add('video');
      if (metadata?.audiocodecid !== undefined || metadata?.audiosamplerate !== undefined) this.announced.add('audio');
      // Data before anything announces a track has nothing to wait for.
      if (this.announced.size === 0) return false;
    } else if (kind === 'video') {
      const header = parseVideoTagHeader(payload);
      if (header.packet === 'sequenceStart') this.video = videoTrackFrom(header, payload.subarray(header.dataOffset));
      this.noteTrack('video', header.packet, raw);
    } else {
      const header = parseAudioTagHeader(payload);
      if (header.packet === 'sequenceStart') this.audio = audioTrackFrom(header, payload.subarray(header.dataOffset));
      this.noteTrack('audio', header.packet, raw);
    }
    held.push(message);
    this.heldBytes += payload.length;
    const aligned = [...this.announced].every((track) => this.firstFrameRaw.has(track));
    const first = kind === 'data' ? undefined : this.firstFrameRaw.get(kind);
    const spanMs = first === undefined ? 0 : raw - first;
    if (aligned || spanMs >= ALIGN_MAX_SPAN_MS || held.length >= ALIGN_MAX_MESSAGES || this.heldBytes >= ALIGN_MAX_BYTES)
      this.endAlignment();
    return true;
  }

  private noteTrack(track: TimedTrack, packet: string, raw: number): void {
    this.announced.add(track);
    if ((packet === 'codedFrames' || packet === 'multitrack') && !this.firstFrameRaw.has(track)) this.firstFrameRaw.set(track, raw);
  }

  /**
   * Lets the held messages through, with the timeline based on the earliest track's first
   * frame. When the publisher is leaving (`leaving`), one that turns out malformed is dropped
   * rather than thrown: there is no connection left to refuse.
   */
  private endAlignment(leaving = false): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    const firsts = [...this.firstFrameRaw.values()];
    if (firsts.length > 0) this.timeline.setBase(Math.min(...firsts));
    for (const message of held) {
      try {
        this.accept(message);
      } catch (error) {
        if (!leaving || !(error instanceof MediaFormatError)) throw error;
      }
    }
  }

  private accept({ kind, raw, payload, values }: HeldMessage): void {
    const nowMs = this.now();
    let packet: MediaPacket;
    if (kind === 'video') {
      const header = parseVideoTagHeader(payload);
      if (header.packet === 'sequenceStart') {
        this.video = videoTrackFrom(header, payload.subarray(header.dataOffset));
        packet = this.videoConfig = new MediaPacket('video', this.timeline.mapAside(raw, 'video'), payload, { config: true });
      } else {
        const picture = header.packet === 'codedFrames' || header.packet === 'multitrack';
        const timestampMs = picture ? this.mapFrame('video', raw) : this.timeline.mapAside(raw, 'video');
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
        packet = this.audioConfig = new MediaPacket('audio', this.timeline.mapAside(raw, 'audio'), payload, { config: true });
      } else {
        this.audio ??= audioTrackFrom(header, payload.subarray(header.dataOffset));
        packet = new MediaPacket('audio', this.mapFrame('audio', raw), payload);
      }
    } else {
      const data = this.dataPacket(this.timeline.mapAside(raw), payload, values ?? decodeAmf0(payload));
      if (!data) return;
      packet = data;
    }
    this.cache(packet);
    if (packet.config || kind === 'data') this.batchUrgent = true;
    else if (kind === 'video') this.batchFrames++;
    this.batch.push(packet);
    for (const reader of this.readers) reader.push(packet);
  }

  /** A frame's time on the timeline; a jump of the publisher's clock is reported. */
  private mapFrame(track: TimedTrack, raw: number): number {
    const { timestampMs, jumpMs } = this.timeline.map(track, raw);
    if (jumpMs !== 0)
      this.log.warn({ stream: this.name, track, jumpMs, atMs: timestampMs }, 'publisher clock jumped; rebased to continue the timeline');
    return timestampMs;
  }

  /**
   * The publisher's read is done. Video, configuration and data go out now; audio that came
   * alone waits for the next video frame (at most `AUDIO_HOLD_MS`) and leaves with it, which
   * halves the writes per viewer (about 47 AAC and 30 video messages a second become ~30
   * writes) at no cost to video latency — the merged write SRS is known for, kept to one frame.
   */
  endOfRead(): void {
    // No timer when nobody waits to write: an idle stream costs no wake-ups.
    if (this.batchUrgent || this.batchFrames >= this.framesPerWrite || !this.video || this.pendingReaders.length === 0) {
      this.flush();
      return;
    }
    this.audioHoldTimer ??= setTimeout(() => this.flush(), AUDIO_HOLD_MS * this.framesPerWrite);
  }

  /**
   * `@setDataFrame`/`onMetaData` becomes the stream's metadata, trimmed to `maxMetadataBytes`
   * (kept for late joiners and relayed); other data is relayed unless it is over that size.
   */
  private dataPacket(timestampMs: number, payload: Uint8Array, values: AmfValue[]): MediaPacket | null {
    const record = metadataRecord(values);
    if (record === undefined) {
      if (payload.length <= this.maxMetadataBytes) return new MediaPacket('data', timestampMs, payload);
      if (!this.reportedDrops.data) {
        this.reportedDrops.data = true;
        const name = typeof values[0] === 'string' ? values[0].slice(0, 64) : '?';
        this.log.warn(
          { stream: this.name, handler: name, bytes: payload.length, limitBytes: this.maxMetadataBytes },
          'data message over the size limit not relayed (further ones are not reported)',
        );
      }
      return null;
    }
    if (record === null) throw new MediaFormatError('onMetaData without an object');
    const { kept, body, droppedFields } = trimMetadata(record, this.maxMetadataBytes);
    if (droppedFields.length > 0 && !this.reportedDrops.metadata) {
      this.reportedDrops.metadata = true;
      this.log.warn(
        {
          stream: this.name,
          bytes: payload.length,
          keptBytes: body.length,
          limitBytes: this.maxMetadataBytes,
          droppedFields: droppedFields.slice(0, 16),
        },
        'onMetaData over the size limit: dropped its largest fields before keeping it for viewers',
      );
    }
    this.metadata = kept;
    return (this.metadataPacket = new MediaPacket('data', timestampMs, body, { config: true }));
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
    this.batchFrames = 0;
    if (this.audioHoldTimer) {
      clearTimeout(this.audioHoldTimer);
      this.audioHoldTimer = undefined;
    }
    const readers = this.pendingReaders;
    const batch = this.batch;
    this.batch = [];
    if (readers.length > 0) {
      this.pendingReaders = [];
      for (const reader of readers) reader.flush?.(batch);
    }
    this.batchWire.clear();
  }

  /**
   * The whole batch being flushed in one wire form, joined once for every reader that took all
   * of it: a viewer that is keeping up then costs one write of one shared buffer per batch.
   */
  batchBytes(batch: readonly MediaPacket[], form: WireForm): Uint8Array {
    if (batch.length === 1) return batch[0]!.wire(form);
    let bytes = this.batchWire.get(form);
    if (!bytes) {
      bytes = Buffer.concat(batch.map((packet) => packet.wire(form)));
      this.batchWire.set(form, bytes);
    }
    return bytes;
  }

  /** Counts a video frame a reader dropped to catch up. */
  countDroppedFrame(): void {
    this.stats.droppedFrames++;
  }

  /** Closes the stream: the publisher is disconnected and every reader let go. */
  close(reason: string): void {
    this.endAlignment(true);
    this.flush();
    this.currentPublisher?.disconnect(reason);
    for (const reader of [...this.readers]) reader.streamClosed(reason);
    this.readers.clear();
  }
}

/** The metadata object of `@setDataFrame onMetaData {...}` or `onMetaData {...}`; null when it has no object; undefined for other data. */
function metadataRecord(values: readonly AmfValue[]): AmfObject | null | undefined {
  const [first, second, third] = values;
  const isSet = first === '@setDataFrame' && second === 'onMetaData';
  if (!isSet && first !== 'onMetaData') return undefined;
  return amfRecord((isSet ? third : second) ?? null) ?? null;
}

/** Metadata as kept: encoded as `onMetaData` with an ECMA array, its largest fields dropped until it fits `maxBytes`. */
export function trimMetadata(record: AmfObject, maxBytes: number): { kept: AmfObject; body: Uint8Array; droppedFields: string[] } {
  const encode = (object: AmfObject) => encodeAmf0(['onMetaData', new AmfEcmaArray(object)]);
  let body = encode(record);
  if (body.length <= maxBytes) return { kept: record, body, droppedFields: [] };
  const sizes = Object.keys(record)
    .map((key) => ({ key, bytes: encodeAmf0([record[key] ?? null]).length + key.length }))
    .sort((a, b) => b.bytes - a.bytes);
  const kept = Object.assign(newAmfObject(), record);
  const droppedFields: string[] = [];
  for (const { key } of sizes) {
    delete kept[key];
    droppedFields.push(key);
    body = encode(kept);
    if (body.length <= maxBytes) break;
  }
  return { kept, body, droppedFields };
}
