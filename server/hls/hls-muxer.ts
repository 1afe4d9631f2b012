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
 * fixed when the first segment ends at a regular cut (not one cut short by a new decoder
 * configuration, as when a publisher's audio header comes after its first video frames), as
 * the longest rounded duration so far (at least the configured segment duration, at most
 * `maxSegmentDurationMs`), so a stream's own GOP sets it. Until then the playlist is not
 * served, as before its first segment; a publisher that leaves first fixes it from what it
 * sent. Segments are cut at the first keyframe after `segmentDurationMs`; when no keyframe
 * comes before the target duration (the GOP grew: an encoder's settings changed, a still
 * scene), the segment is cut there anyway and the next one starts on a frame that is not a
 * keyframe. Why, and what players do with it: server/README.md.
 *
 * Low-Latency HLS (draft-pantos-hls-rfc8216bis): each segment is cut as parts of about
 * `partDurationMs` (`ll-hls-parts.ts` says where), every part its own fMP4 fragment (moof +
 * mdat), so a segment's bytes are its parts' bytes end to end and both are served from one
 * buffer. The playlist lists the parts near the live edge, hints the next one, and says when
 * a blocking reload (`reached`) or a hinted part (`partState`) can be answered; held requests
 * wait in `holds`, woken whenever the playlist changes.
 */
import { randomBytes } from 'node:crypto';
import { parseAudioTagHeader, parseVideoTagHeader } from '../../common/media/flv.ts';
import { fmp4InitSegment, fmp4MediaSegment, type Fmp4Sample, type Fmp4Track } from '../../common/media/fmp4.ts';
import type { Logger } from '../log.ts';
import type { LiveStream, StreamReader } from '../stream/live-stream.ts';
import type { MediaPacket } from '../stream/media-packet.ts';
import { Interleaver } from './interleaver.ts';
import { HeldRequests, HoldBudget } from './ll-hls-holds.ts';
import { advancePartLimit, parsePartName, partName, partTargetFor, shouldEndPart } from './ll-hls-parts.ts';
import { renderMediaPlaylist, type PlaylistSegment } from './playlist.ts';

/** HLS settings. */
export interface HlsOptions {
  /** Target segment duration; segments are cut at the first keyframe after it. Default 1000 ms. */
  segmentDurationMs: number;
  /** The longest a segment may be (and so the largest target duration): longer GOPs are cut without a keyframe. Default 10 s. */
  maxSegmentDurationMs: number;
  /** Segments listed in the playlist. Default 12. */
  windowSegments: number;
  /** How long after the publisher leaves the playlist stays open for it to return. Default 10 s. */
  reconnectWindowMs: number;
  /** Low-Latency HLS: parts, preload hints, blocking reloads, delta updates. Default on. */
  lowLatency: boolean;
  /** The part duration aimed at (LL-HLS). Default 200 ms. */
  partDurationMs: number;
}

/** An HLS file held in memory. */
export interface HlsFile {
  bytes: Uint8Array;
  contentType: string;
}

/** A part: one fMP4 fragment; its bytes are a view into its segment's once the segment is complete. */
interface Part {
  uri: string;
  durationMs: number;
  independent: boolean;
  bytes: Uint8Array;
}

interface Segment {
  name: string;
  msn: number;
  durationMs: number;
  programDateTimeMs: number;
  discontinuity: boolean;
  initName: string;
  bytes: Uint8Array;
  parts: Part[];
}

/** The part being cut. */
interface PartBuilder {
  startDtsMs: number;
  video: Fmp4Sample[];
  /** The last video sample, whose duration is known only when the next one arrives. */
  lastVideo: { dtsMs: number; sample: Fmp4Sample } | null;
  audio: Fmp4Sample[];
  audioBaseTicks: number;
  /** Whether it starts on a sync sample (set by its first video frame; audio-only parts always are). */
  independent: boolean | null;
}

/** The segment being cut. */
interface Building {
  msn: number;
  startDtsMs: number;
  programDateTimeMs: number;
  discontinuity: boolean;
  initName: string;
  videoStartDtsMs: number;
  parts: Part[];
  part: PartBuilder;
}

const newPart = (startDtsMs: number): PartBuilder => ({
  startDtsMs,
  video: [],
  lastVideo: null,
  audio: [],
  audioBaseTicks: 0,
  independent: null,
});

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
  /** EXT-X-TARGETDURATION, fixed when the playlist's first regular segment is cut (`fixTargets`). */
  private targetDurationS: number | null = null;
  /** PART-TARGET in ms (LL-HLS), fixed with the target duration. */
  private partTargetMs: number | null = null;
  /** moof sequence numbers: one per fragment, increasing (ISO/IEC 14496-12 8.8.5). */
  private fragmentSequence = 0;
  /** Ingest wall clock minus stream time, the smallest seen this publish: EXT-X-PROGRAM-DATE-TIME of a sample is this plus its time. */
  private wallOffsetMs: number | null = null;
  /** Requests waiting for this playlist to grow (blocking reloads, hinted parts). */
  readonly holds: HeldRequests;
  private readonly interleaver: Interleaver;
  private ended = false;
  private endTimer: NodeJS.Timeout | undefined;
  private playlistText: string | null = null;
  private deltaText: string | null = null;
  private lastVideoDurationMs = 33;
  /** First audio timestamp of this publish while no video header was seen. */
  private firstAudioMs: number | null = null;

  constructor(stream: LiveStream, options: HlsOptions, log: Logger, now: () => number = Date.now, holdBudget = new HoldBudget(10_000)) {
    this.stream = stream;
    this.options = options;
    this.log = log;
    this.now = now;
    this.holds = new HeldRequests(holdBudget);
    this.interleaver = new Interleaver(
      (packet) => this.take(packet),
      (track) => (track === 'video' ? this.hlsVideo() : this.stream.audio?.codec === 'aac'),
    );
  }

  /**
   * The playlist, or null before its target duration is fixed (`fixTargets`). `delta` asks for
   * a Playlist Delta Update (`_HLS_skip=YES`, 6.2.5.1): ignored without LL-HLS or once the
   * playlist has ended.
   */
  playlist(delta = false): string | null {
    if (this.segments.length === 0 || this.targetDurationS === null) return null;
    if (delta && this.options.lowLatency && !this.ended) return (this.deltaText ??= this.render(true));
    return (this.playlistText ??= this.render(false));
  }

  private render(delta: boolean): string {
    const targetDurationS = this.targetDurationS!;
    const listed: PlaylistSegment[] = this.segments.map((segment) => ({
      uri: segment.name,
      durationMs: segment.durationMs,
      programDateTimeMs: segment.programDateTimeMs,
      discontinuity: segment.discontinuity,
      mapUri: segment.initName,
    }));
    const plain = {
      targetDurationS,
      mediaSequence: this.segments[0]!.msn,
      discontinuitySequence: this.discontinuitySequence,
      segments: listed,
      ended: this.ended,
    };
    if (!this.options.lowLatency || this.partTargetMs === null) return renderMediaPlaylist(plain);
    // Parts are listed for the last three target durations (6.2.2), and for the segment being cut.
    let fromEndMs = 0;
    for (let i = this.segments.length - 1; i >= 0 && fromEndMs < 3 * targetDurationS * 1000; i--) {
      listed[i]!.parts = this.segments[i]!.parts;
      fromEndMs += this.segments[i]!.durationMs;
    }
    const building = this.building;
    if (building && building.parts.length > 0)
      listed.push({
        uri: undefined,
        durationMs: 0,
        programDateTimeMs: building.programDateTimeMs,
        discontinuity: building.discontinuity,
        mapUri: building.initName,
        parts: building.parts,
      });
    const canSkipUntilMs = 6 * targetDurationS * 1000;
    let skippedSegments = 0;
    if (delta) {
      // Segments wholly further from the end than the skip boundary become EXT-X-SKIP.
      let afterMs = this.segments.reduce((sum, segment) => sum + segment.durationMs, 0);
      for (const segment of this.segments) {
        afterMs -= segment.durationMs;
        if (afterMs < canSkipUntilMs) break;
        skippedSegments++;
      }
    }
    return renderMediaPlaylist({
      ...plain,
      lowLatency: {
        partTargetMs: this.partTargetMs,
        partHoldBackMs: 3 * this.partTargetMs,
        canSkipUntilMs,
        // Also while no segment is being cut (the publisher is away, or waits for a keyframe): a live LL playlist always
        // ends with a hint, and hls.js (1.7) takes a last segment with nothing after it for the next one's stub.
        preloadHintUri: building ? partName(this.epoch, building.msn, building.parts.length) : partName(this.epoch, this.nextMsn, 0),
        skippedSegments,
      },
    });
  }

  /** EXT-X-TARGETDURATION in seconds, once the first segment is cut. */
  get targetDurationSeconds(): number | null {
    return this.targetDurationS;
  }

  /** The newest part listed: its segment's media sequence number and its index, or null before any. */
  private lastPart(): { msn: number; index: number } | null {
    if (this.building && this.building.parts.length > 0) return { msn: this.building.msn, index: this.building.parts.length - 1 };
    const last = this.segments.at(-1);
    return last ? { msn: last.msn, index: last.parts.length - 1 } : null;
  }

  /**
   * Whether a blocking reload for `_HLS_msn=msn` (and `_HLS_part=part`) can be answered
   * (6.2.5.2): the playlist holds segment `msn` or a later one, or part `part` of it or a later
   * part; a part past a segment's last is part 0 of the next one.
   */
  reached(msn: number, part?: number): boolean {
    if (this.ended) return true;
    if (part === undefined) return msn < this.nextMsn;
    const last = this.lastPart();
    if (!last) return false;
    return msn < last.msn || (msn === last.msn && part <= last.index);
  }

  /**
   * Whether a blocking reload asks too far ahead (6.2.5.2: more than two segments past the
   * last, or more parts past the last than the Advance Part Limit): answer 400 at once.
   */
  tooFarAhead(msn: number, part?: number): boolean {
    const last = this.lastPart();
    const lastMsn = last?.msn ?? this.nextMsn - 1;
    if (msn > lastMsn + 2) return true;
    if (part === undefined || !last || this.partTargetMs === null) return false;
    const limit = advancePartLimit(this.partTargetMs);
    return (msn === last.msn && part > last.index + limit) || (msn > last.msn && part > limit);
  }

  /**
   * What became of a part named in a request: `ready` (it can be sent), `pending` (it may yet
   * be cut, soon: a preload hint or a little past it), or `never` (unknown, or no longer held).
   */
  partState(name: string): 'ready' | 'pending' | 'never' {
    if (this.file(name)) return 'ready';
    const wanted = parsePartName(name);
    if (!wanted || wanted.epoch !== this.epoch || this.ended || !this.options.lowLatency) return 'never';
    const next = this.building ? { msn: this.building.msn, index: this.building.parts.length } : { msn: this.nextMsn, index: 0 };
    if (wanted.msn < next.msn || (wanted.msn === next.msn && wanted.index < next.index)) return 'never';
    return this.tooFarAhead(wanted.msn, wanted.index) ? 'never' : 'pending';
  }

  /** Whether the playlist has ended (EXT-X-ENDLIST). */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** An init or media segment by file name, if still held. */
  file(name: string): HlsFile | undefined {
    const init = this.inits.get(name);
    if (init) return { bytes: init, contentType: 'video/mp4' };
    const part = parsePartName(name);
    if (part) {
      const parts =
        this.building?.msn === part.msn
          ? this.building.parts
          : (this.segments.find((s) => s.msn === part.msn) ?? this.retired.find((s) => s.msn === part.msn))?.parts;
      const found = parts?.[part.index];
      return found?.uri === name ? { bytes: found.bytes, contentType: 'video/iso.segment' } : undefined;
    }
    const segment = this.segments.find((s) => s.name === name) ?? this.retired.find((s) => s.name === name);
    return segment ? { bytes: segment.bytes, contentType: 'video/iso.segment' } : undefined;
  }

  join(burst: readonly MediaPacket[]): void {
    for (const packet of burst) this.push(packet);
  }

  push(packet: MediaPacket): void {
    if (!packet.config && packet.kind !== 'data') {
      // The earliest arrival relative to stream time: later packets that arrive late (network, bursts) do not move it.
      const offsetMs = this.now() - packet.timestampMs;
      if (this.wallOffsetMs === null || offsetMs < this.wallOffsetMs) this.wallOffsetMs = offsetMs;
    }
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
        this.finishSegment(packet.timestampMs, 'configuration');
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
    const current = this.building;
    if (current?.part.lastVideo) {
      const elapsedMs = dtsMs - current.videoStartDtsMs;
      // At a keyframe once the segment is long enough; at any frame once the next one would outgrow the limit.
      const forced = elapsedMs + this.lastVideoDurationMs > this.segmentLimitMs;
      if ((packet.keyframe && elapsedMs >= this.options.segmentDurationMs) || forced) {
        this.finishSegment(dtsMs, 'regular');
        cutHere = true;
      } else if (this.options.lowLatency && this.partEndsAt(dtsMs, this.lastVideoDurationMs)) {
        // Not at every keyframe too: the part before it would be short, and only INDEPENDENT and final parts may be (4.4.4.9).
        this.finishPart(dtsMs);
      }
    }
    // Video starts on a keyframe (after a publish or a new configuration), and continues from any frame where it was cut.
    if (!this.building && (!(packet.keyframe || cutHere) || !this.startSegment(dtsMs))) return;
    const part = this.building!.part;
    if (part.lastVideo) {
      const durationMs = Math.max(0, dtsMs - part.lastVideo.dtsMs);
      if (durationMs > 0) this.lastVideoDurationMs = durationMs;
      part.lastVideo.sample.durationTicks = durationMs * (VIDEO_TIMESCALE / 1000);
      part.video.push(part.lastVideo.sample);
    } else if (part.video.length === 0) {
      part.startDtsMs = dtsMs;
      part.independent = packet.keyframe;
    }
    part.lastVideo = {
      dtsMs,
      sample: {
        durationTicks: 0,
        data: packet.payload.subarray(header.dataOffset),
        keyframe: packet.keyframe,
        compositionOffsetTicks: header.compositionTimeMs * (VIDEO_TIMESCALE / 1000),
      },
    };
  }

  /** Whether the part being cut ends before a frame at `dtsMs` (`ll-hls-parts.ts`). */
  private partEndsAt(dtsMs: number, frameMs: number): boolean {
    return shouldEndPart({
      elapsedMs: dtsMs - this.building!.part.startDtsMs,
      frameMs,
      configuredMs: this.options.partDurationMs,
      partTargetMs: this.partTargetMs,
    });
  }

  private pushAudio(packet: MediaPacket): void {
    const audio = this.stream.audio;
    if (audio?.codec !== 'aac' || !audio.config || !audio.sampleRateHz) return;
    const dtsMs = packet.timestampMs;
    const frameSamples = audio.samplesPerFrame ?? 1024;
    if (this.audioOnly(dtsMs)) {
      // Audio-only: cut on duration, any AAC frame can start a segment or a part.
      if (this.building && dtsMs - this.building.startDtsMs >= this.options.segmentDurationMs) this.finishSegment(dtsMs, 'regular');
      else if (this.building && this.options.lowLatency && this.partEndsAt(dtsMs, (frameSamples * 1000) / audio.sampleRateHz))
        this.finishPart(dtsMs);
      if (!this.building && !this.startSegment(dtsMs)) return;
    }
    const part = this.building?.part;
    if (!part || this.init?.audioTrackId === 0) return; // waiting for the first video keyframe
    const header = parseAudioTagHeader(packet.payload);
    if (part.audio.length === 0) {
      // Audio time is a sample count; re-anchor it to the timestamps when they drift apart by more than 100 ms.
      const expected = Math.round((dtsMs * audio.sampleRateHz) / 1000);
      if (this.audioNextTicks === null || Math.abs(this.audioNextTicks - expected) > audio.sampleRateHz / 10)
        this.audioNextTicks = expected;
      part.audioBaseTicks = this.audioNextTicks;
    }
    part.audio.push({
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
      msn: this.nextMsn,
      startDtsMs: dtsMs,
      programDateTimeMs: (this.wallOffsetMs ?? this.now() - dtsMs) + dtsMs,
      discontinuity: this.pendingDiscontinuity,
      initName: this.init.name,
      videoStartDtsMs: dtsMs,
      parts: [],
      part: newPart(dtsMs),
    };
    this.pendingDiscontinuity = false;
    return true;
  }

  /** Closes the part being cut; `endDtsMs` is where the next one starts (unknown at unpublish). */
  private finishPart(endDtsMs?: number): void {
    const building = this.building;
    if (!building || !this.init) return;
    const part = building.part;
    building.part = newPart(endDtsMs ?? part.startDtsMs);
    let endMs = endDtsMs;
    if (part.lastVideo) {
      endMs ??= part.lastVideo.dtsMs + this.lastVideoDurationMs;
      // After a gap in the video the segment still rounds to within the target duration, and the part
      // stays within PART-TARGET: its last frame is shortened.
      endMs = Math.min(endMs, building.videoStartDtsMs + this.segmentLimitMs);
      if (this.options.lowLatency && this.partTargetMs !== null) endMs = Math.min(endMs, part.startDtsMs + this.partTargetMs);
      part.lastVideo.sample.durationTicks = Math.max(0, endMs - part.lastVideo.dtsMs) * (VIDEO_TIMESCALE / 1000);
      part.video.push(part.lastVideo.sample);
    }
    if (part.video.length === 0 && part.audio.length === 0) return;
    const audioMs = (part.audio.reduce((sum, sample) => sum + sample.durationTicks, 0) * 1000) / (this.init.audioTimescale || 1);
    const durationMs = part.video.length > 0 ? (endMs ?? part.startDtsMs) - part.startDtsMs : audioMs;
    const bytes = fmp4MediaSegment(++this.fragmentSequence, [
      { trackId: this.init.videoTrackId, baseDecodeTimeTicks: part.startDtsMs * (VIDEO_TIMESCALE / 1000), samples: part.video },
      { trackId: this.init.audioTrackId, baseDecodeTimeTicks: part.audioBaseTicks, samples: part.audio },
    ]);
    building.parts.push({
      uri: partName(this.epoch, building.msn, building.parts.length),
      durationMs: Math.max(durationMs, 1),
      independent: part.independent ?? true,
      bytes,
    });
    this.changed();
  }

  /**
   * Closes the segment being built; `endDtsMs` is where the next one starts (unknown at
   * unpublish). `cut` says why: at a keyframe or the limit (`regular`), cut short by a new
   * decoder configuration, or because the publisher left (`end`).
   */
  private finishSegment(endDtsMs: number | undefined, cut: 'regular' | 'configuration' | 'end'): void {
    const building = this.building;
    this.finishPart(endDtsMs);
    this.building = null;
    if (!building || building.parts.length === 0) return;
    // The segment is its parts end to end; the parts become views of the one buffer.
    const bytes = new Uint8Array(building.parts.reduce((sum, part) => sum + part.bytes.length, 0));
    let offset = 0;
    for (const part of building.parts) {
      bytes.set(part.bytes, offset);
      part.bytes = bytes.subarray(offset, offset + part.bytes.length);
      offset += part.bytes.length;
    }
    const durationMs = building.parts.reduce((sum, part) => sum + part.durationMs, 0);
    this.nextMsn = building.msn + 1;
    this.segments.push({
      name: `seg-${this.epoch}-${building.msn}.m4s`,
      msn: building.msn,
      durationMs,
      programDateTimeMs: building.programDateTimeMs,
      discontinuity: building.discontinuity,
      initName: building.initName,
      bytes,
      parts: building.parts,
    });
    // A segment cut short by a new decoder configuration says nothing of the GOP: wait for a regular one.
    if (cut !== 'configuration') this.fixTargets();
    while (this.segments.length > this.options.windowSegments) {
      const gone = this.segments.shift()!;
      if (gone.discontinuity) this.discontinuitySequence++;
      this.retired.push(gone);
    }
    while (this.retired.length > this.options.windowSegments) this.retired.shift();
    this.dropUnusedInits();
    this.changed();
  }

  /**
   * Fixes the playlist's target duration for good (RFC 8216 4.3.3.1): the stream's own GOP
   * (the longest segment so far, rounded), within the configured bounds; and its PART-TARGET
   * from the parts cut so far, so every segment and part already listed fits both.
   */
  private fixTargets(): void {
    if (this.targetDurationS !== null || this.segments.length === 0) return;
    const longestMs = Math.max(...this.segments.map((segment) => segment.durationMs));
    this.targetDurationS = Math.min(
      Math.ceil(this.options.maxSegmentDurationMs / 1000),
      Math.max(Math.ceil(this.options.segmentDurationMs / 1000), Math.round(longestMs / 1000)),
    );
    this.partTargetMs = partTargetFor(
      this.segments.flatMap((segment) => segment.parts.map((part) => part.durationMs)),
      this.options.partDurationMs,
    );
    this.changed();
  }

  /** The playlist changed: drop the rendered texts and answer the requests waiting for it. */
  private changed(): void {
    this.playlistText = null;
    this.deltaText = null;
    this.holds.wake();
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
    this.wallOffsetMs = null;
    if (this.ended) {
      // An ended playlist never changes (RFC 8216 6.2.1): this publish starts a new one, with its own target durations.
      this.retired.push(...this.segments.splice(0));
      while (this.retired.length > this.options.windowSegments) this.retired.shift();
      this.targetDurationS = null;
      this.partTargetMs = null;
      this.ended = false;
      this.changed();
    }
    if (this.segments.length > 0) this.pendingDiscontinuity = true;
  }

  publishStopped(): void {
    this.interleaver.flush();
    this.finishSegment(undefined, 'end');
    // What the publisher sent is all there is for now: show it (a short publish; one that comes back continues it).
    this.fixTargets();
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => this.end(), this.options.reconnectWindowMs);
    this.endTimer.unref();
  }

  /** Ends the playlist now (EXT-X-ENDLIST), e.g. at shutdown. */
  end(): void {
    clearTimeout(this.endTimer);
    this.interleaver.flush();
    this.finishSegment(undefined, 'end');
    this.fixTargets();
    if (this.ended) return;
    this.ended = true;
    this.changed();
  }

  streamClosed(): void {
    this.end();
  }
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
