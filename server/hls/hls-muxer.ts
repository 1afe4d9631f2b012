/**
 * The HLS packager of one stream: an internal reader that takes the stream's packets in
 * timestamp order (`interleaver.ts`), cuts fMP4/CMAF segments, keeps a sliding window in
 * memory, and renders the playlist. A publisher that drops and comes back within the
 * reconnect window continues the same playlist after an EXT-X-DISCONTINUITY (with a new
 * EXT-X-MAP when the decoder configuration changed); after the window, or at shutdown, the
 * playlist ends with EXT-X-ENDLIST, and a later publish starts a new one. Segments stay
 * fetchable for one more window after leaving the playlist (RFC 8216 6.2.2).
 *
 * One EXT-X-TARGETDURATION for the playlist's whole life (RFC 8216 4.3.3.1, 6.2.1): it is
 * fixed when the first segment is cut, as that segment's rounded duration (at least the
 * configured segment duration, at most `maxSegmentDurationMs`), so a stream's own GOP sets
 * it. Segments are cut at the first keyframe after `segmentDurationMs`; when no keyframe
 * comes before the target duration (the GOP grew: an encoder's settings changed, a still
 * scene), the segment is cut there anyway and the next one starts on a frame that is not a
 * keyframe. Why, and what players do with it: server/README.md.
 */
import { randomBytes } from 'node:crypto';
import { parseAudioTagHeader, parseVideoTagHeader } from '../../common/media/flv.ts';
import { fmp4InitSegment, fmp4MediaSegment, type Fmp4Sample, type Fmp4Track } from '../../common/media/fmp4.ts';
import type { Logger } from '../log.ts';
import type { LiveStream, StreamReader } from '../stream/live-stream.ts';
import type { MediaPacket } from '../stream/media-packet.ts';
import { Interleaver } from './interleaver.ts';
import { renderMediaPlaylist } from './playlist.ts';

/** HLS settings. */
export interface HlsOptions {
  /** Target segment duration; segments are cut at the first keyframe after it. Default 2000 ms. */
  segmentDurationMs: number;
  /** The longest a segment may be (and so the largest target duration): longer GOPs are cut without a keyframe. Default 10 s. */
  maxSegmentDurationMs: number;
  /** Segments listed in the playlist. Default 6. */
  windowSegments: number;
  /** How long after the publisher leaves the playlist stays open for it to return. Default 10 s. */
  reconnectWindowMs: number;
}

/** An HLS file held in memory. */
export interface HlsFile {
  bytes: Uint8Array;
  contentType: string;
}

interface Segment {
  name: string;
  msn: number;
  durationMs: number;
  programDateTimeMs: number;
  discontinuity: boolean;
  initName: string;
  bytes: Uint8Array;
}

interface Building {
  startDtsMs: number;
  startWallMs: number;
  video: Fmp4Sample[];
  videoStartDtsMs: number;
  /** The last video sample, whose duration is known only when the next one arrives. */
  lastVideo: { dtsMs: number; sample: Fmp4Sample } | null;
  audio: Fmp4Sample[];
  audioBaseTicks: number;
}

const VIDEO_TIMESCALE = 90_000;
const HLS_VIDEO = { avc: 'avc1', hevc: 'hvc1', av1: 'av01' } as const;

/** The HLS output of one stream. */
export class HlsMuxer implements StreamReader {
  readonly protocol = 'hls';
  readonly internal = true;
  private readonly stream: LiveStream;
  private readonly options: HlsOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Makes segment names unique per origin start, so caches never mix two runs. */
  private readonly epoch = randomBytes(4).toString('hex');
  private readonly segments: Segment[] = [];
  private readonly retired: Segment[] = [];
  private readonly inits = new Map<string, Uint8Array>();
  private init: { name: string; key: string; videoTrackId: number; audioTrackId: number; audioTimescale: number } | null = null;
  private initCount = 0;
  private nextMsn = 0;
  private discontinuitySequence = 0;
  private pendingDiscontinuity = false;
  private building: Building | null = null;
  private audioNextTicks: number | null = null;
  /** EXT-X-TARGETDURATION, fixed when the playlist's first segment is cut. */
  private targetDurationS: number | null = null;
  private readonly interleaver: Interleaver;
  private ended = false;
  private endTimer: NodeJS.Timeout | undefined;
  private playlistText: string | null = null;
  private lastVideoDurationMs = 33;
  /** First audio timestamp of this publish while no video header was seen. */
  private firstAudioMs: number | null = null;

  constructor(stream: LiveStream, options: HlsOptions, log: Logger, now: () => number = Date.now) {
    this.stream = stream;
    this.options = options;
    this.log = log;
    this.now = now;
    this.interleaver = new Interleaver(
      (packet) => this.take(packet),
      (track) => (track === 'video' ? this.hlsVideo() : this.stream.audio?.codec === 'aac'),
    );
  }

  /** The playlist, or null before the first segment. */
  playlist(): string | null {
    if (this.segments.length === 0) return null;
    this.playlistText ??= renderMediaPlaylist({
      targetDurationS: this.targetDurationS ?? Math.ceil(this.options.segmentDurationMs / 1000),
      mediaSequence: this.segments[0]!.msn,
      discontinuitySequence: this.discontinuitySequence,
      segments: this.segments.map((segment) => ({
        uri: segment.name,
        durationMs: segment.durationMs,
        programDateTimeMs: segment.programDateTimeMs,
        discontinuity: segment.discontinuity,
        mapUri: segment.initName,
      })),
      ended: this.ended,
    });
    return this.playlistText;
  }

  /** Whether the playlist has ended (EXT-X-ENDLIST). */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** An init or media segment by file name, if still held. */
  file(name: string): HlsFile | undefined {
    const init = this.inits.get(name);
    if (init) return { bytes: init, contentType: 'video/mp4' };
    const segment = this.segments.find((s) => s.name === name) ?? this.retired.find((s) => s.name === name);
    return segment ? { bytes: segment.bytes, contentType: 'video/iso.segment' } : undefined;
  }

  join(burst: readonly MediaPacket[]): void {
    for (const packet of burst) this.push(packet);
  }

  push(packet: MediaPacket): void {
    this.interleaver.push(packet);
  }

  /**
   * The longest a segment may last: what still rounds to the target duration once that is
   * fixed (RFC 8216 4.3.3.1), else the configured maximum.
   */
  private get segmentLimitMs(): number {
    return this.targetDurationS === null ? this.options.maxSegmentDurationMs : this.targetDurationS * 1000 + 499;
  }

  /** A packet in timestamp order. */
  private take(packet: MediaPacket): void {
    if (packet.config) {
      if (packet.kind !== 'data' && this.init && this.trackKey() !== this.init.key) {
        // New decoder configuration: close what we have; the next segment gets a new init and a discontinuity.
        this.finishSegment(packet.timestampMs);
      }
      return;
    }
    if (packet.kind === 'video') this.pushVideo(packet);
    else if (packet.kind === 'audio') this.pushAudio(packet);
  }

  private pushVideo(packet: MediaPacket): void {
    if (!this.hlsVideo()) return;
    const header = parseVideoTagHeader(packet.payload);
    if (header.packet !== 'codedFrames') return;
    const dtsMs = packet.timestampMs;
    let cutHere = false;
    if (this.building?.lastVideo) {
      const elapsedMs = dtsMs - this.building.videoStartDtsMs;
      // At a keyframe once the segment is long enough; at any frame once the next one would outgrow the limit.
      const forced = elapsedMs + this.lastVideoDurationMs > this.segmentLimitMs;
      if ((packet.keyframe && elapsedMs >= this.options.segmentDurationMs) || forced) {
        this.finishSegment(dtsMs);
        cutHere = true;
      }
    }
    // Video starts on a keyframe (after a publish or a new configuration), and continues from any frame where it was cut.
    if (!this.building && (!(packet.keyframe || cutHere) || !this.startSegment(dtsMs))) return;
    const building = this.building!;
    if (building.lastVideo) {
      const durationMs = Math.max(0, dtsMs - building.lastVideo.dtsMs);
      if (durationMs > 0) this.lastVideoDurationMs = durationMs;
      building.lastVideo.sample.durationTicks = durationMs * (VIDEO_TIMESCALE / 1000);
      building.video.push(building.lastVideo.sample);
    } else {
      building.videoStartDtsMs = dtsMs;
    }
    building.lastVideo = {
      dtsMs,
      sample: {
        durationTicks: 0,
        data: packet.payload.subarray(header.dataOffset),
        keyframe: packet.keyframe,
        compositionOffsetTicks: header.compositionTimeMs * (VIDEO_TIMESCALE / 1000),
      },
    };
  }

  private pushAudio(packet: MediaPacket): void {
    const audio = this.stream.audio;
    if (audio?.codec !== 'aac' || !audio.config || !audio.sampleRateHz) return;
    const dtsMs = packet.timestampMs;
    if (this.audioOnly(dtsMs)) {
      // Audio-only: cut on duration, any AAC frame can start a segment.
      if (this.building && dtsMs - this.building.startDtsMs >= this.options.segmentDurationMs) this.finishSegment(dtsMs);
      if (!this.building && !this.startSegment(dtsMs)) return;
    }
    const building = this.building;
    if (!building || this.init?.audioTrackId === 0) return; // waiting for the first video keyframe
    const header = parseAudioTagHeader(packet.payload);
    const frameSamples = audio.samplesPerFrame ?? 1024;
    if (building.audio.length === 0) {
      // Audio time is a sample count; re-anchor it to the timestamps when they drift apart by more than 100 ms.
      const expected = Math.round((dtsMs * audio.sampleRateHz) / 1000);
      if (this.audioNextTicks === null || Math.abs(this.audioNextTicks - expected) > audio.sampleRateHz / 10)
        this.audioNextTicks = expected;
      building.audioBaseTicks = this.audioNextTicks;
    }
    building.audio.push({
      durationTicks: frameSamples,
      data: packet.payload.subarray(header.dataOffset),
      keyframe: true,
      compositionOffsetTicks: 0,
    });
    this.audioNextTicks = (this.audioNextTicks ?? 0) + frameSamples;
  }

  /**
   * Whether to package audio alone: the video (if any) cannot go into HLS, or none has been
   * announced — by metadata without video, or after two seconds of audio without a video header.
   */
  private audioOnly(dtsMs: number): boolean {
    if (this.hlsVideo()) return false;
    if (this.stream.video) return true;
    const metadata = this.stream.metadata;
    if (metadata && metadata.videocodecid === undefined && metadata.width === undefined) return true;
    this.firstAudioMs ??= dtsMs;
    return dtsMs - this.firstAudioMs > 2000;
  }

  private hlsVideo(): boolean {
    const video = this.stream.video;
    return video !== undefined && video.codec in HLS_VIDEO && video.codecString !== undefined;
  }

  /** A key that changes whenever the tracks' configuration does. */
  private trackKey(): string {
    const video = this.hlsVideo() ? this.stream.video : undefined;
    const audio = this.stream.audio?.codec === 'aac' ? this.stream.audio : undefined;
    const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '-');
    return `${video?.codecString ?? '-'}:${hex(video?.config)}:${audio?.codecString ?? '-'}:${hex(audio?.config)}`;
  }

  private startSegment(dtsMs: number): boolean {
    const key = this.trackKey();
    if (!this.init || this.init.key !== key) {
      const tracks: Fmp4Track[] = [];
      const video = this.hlsVideo() ? this.stream.video : undefined;
      const audio = this.stream.audio?.codec === 'aac' && this.stream.audio.config ? this.stream.audio : undefined;
      if (video) {
        const width = video.width ?? numberField(this.stream.metadata?.width);
        const height = video.height ?? numberField(this.stream.metadata?.height);
        tracks.push({
          id: 1,
          kind: 'video',
          timescale: VIDEO_TIMESCALE,
          codec: HLS_VIDEO[video.codec as keyof typeof HLS_VIDEO],
          config: video.config,
          width,
          height,
        });
      }
      if (audio)
        tracks.push({
          id: tracks.length + 1,
          kind: 'audio',
          timescale: audio.sampleRateHz!,
          codec: 'mp4a',
          config: audio.config!,
          channels: audio.channels ?? 2,
          sampleRateHz: audio.sampleRateHz!,
        });
      if (tracks.length === 0) return false;
      if (this.init) this.pendingDiscontinuity = true;
      const name = `init-${this.epoch}-${++this.initCount}.mp4`;
      this.inits.set(name, fmp4InitSegment(tracks));
      this.init = {
        name,
        key,
        videoTrackId: video ? 1 : 0,
        audioTrackId: audio ? tracks.length : 0,
        audioTimescale: audio?.sampleRateHz ?? 0,
      };
      this.log.debug({ stream: this.stream.name, init: name, codecs: tracks.map((t) => t.codec) }, 'hls init segment');
    }
    this.building = {
      startDtsMs: dtsMs,
      startWallMs: this.now(),
      video: [],
      videoStartDtsMs: dtsMs,
      lastVideo: null,
      audio: [],
      audioBaseTicks: 0,
    };
    return true;
  }

  /** Closes the segment being built; `endDtsMs` is where the next one starts (unknown at unpublish). */
  private finishSegment(endDtsMs?: number): void {
    const building = this.building;
    this.building = null;
    if (!building || !this.init) return;
    let endMs = endDtsMs;
    if (building.lastVideo) {
      endMs ??= building.lastVideo.dtsMs + this.lastVideoDurationMs;
      // After a gap in the video the segment still rounds to within the target duration: its last frame is shortened.
      endMs = Math.min(endMs, building.videoStartDtsMs + this.segmentLimitMs);
      building.lastVideo.sample.durationTicks = Math.max(0, endMs - building.lastVideo.dtsMs) * (VIDEO_TIMESCALE / 1000);
      building.video.push(building.lastVideo.sample);
    }
    if (building.video.length === 0 && building.audio.length === 0) return;
    const audioMs = (building.audio.reduce((sum, sample) => sum + sample.durationTicks, 0) * 1000) / (this.init.audioTimescale || 1);
    const durationMs = building.video.length > 0 ? (endMs ?? building.startDtsMs) - building.videoStartDtsMs : audioMs;
    const msn = this.nextMsn++;
    const bytes = fmp4MediaSegment(msn + 1, [
      {
        trackId: this.init.videoTrackId,
        baseDecodeTimeTicks: building.videoStartDtsMs * (VIDEO_TIMESCALE / 1000),
        samples: building.video,
      },
      { trackId: this.init.audioTrackId, baseDecodeTimeTicks: building.audioBaseTicks, samples: building.audio },
    ]);
    this.segments.push({
      name: `seg-${this.epoch}-${msn}.m4s`,
      msn,
      durationMs: Math.max(durationMs, 1),
      programDateTimeMs: building.startWallMs,
      discontinuity: this.pendingDiscontinuity,
      initName: this.init.name,
      bytes,
    });
    this.pendingDiscontinuity = false;
    // The playlist's first segment fixes its target duration for good: the stream's own GOP, within the configured bounds.
    this.targetDurationS ??= Math.min(
      Math.ceil(this.options.maxSegmentDurationMs / 1000),
      Math.max(Math.ceil(this.options.segmentDurationMs / 1000), Math.round(durationMs / 1000)),
    );
    while (this.segments.length > this.options.windowSegments) {
      const gone = this.segments.shift()!;
      if (gone.discontinuity) this.discontinuitySequence++;
      this.retired.push(gone);
    }
    while (this.retired.length > this.options.windowSegments) this.retired.shift();
    this.dropUnusedInits();
    this.playlistText = null;
  }

  private dropUnusedInits(): void {
    const used = new Set([...this.segments, ...this.retired].map((segment) => segment.initName));
    if (this.init) used.add(this.init.name);
    for (const name of this.inits.keys()) if (!used.has(name)) this.inits.delete(name);
  }

  publishStarted(): void {
    clearTimeout(this.endTimer);
    this.audioNextTicks = null;
    this.firstAudioMs = null;
    if (this.ended) {
      // An ended playlist never changes (RFC 8216 6.2.1): this publish starts a new one, with its own target duration.
      this.retired.push(...this.segments.splice(0));
      while (this.retired.length > this.options.windowSegments) this.retired.shift();
      this.targetDurationS = null;
      this.ended = false;
      this.playlistText = null;
    }
    if (this.segments.length > 0) this.pendingDiscontinuity = true;
  }

  publishStopped(): void {
    this.interleaver.flush();
    this.finishSegment();
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => this.end(), this.options.reconnectWindowMs);
    this.endTimer.unref();
  }

  /** Ends the playlist now (EXT-X-ENDLIST), e.g. at shutdown. */
  end(): void {
    clearTimeout(this.endTimer);
    this.interleaver.flush();
    this.finishSegment();
    if (this.ended) return;
    this.ended = true;
    this.playlistText = null;
  }

  streamClosed(): void {
    this.end();
  }
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
