/**
 * Where encoded video and mixed PCM go. `HostMediaSink` forwards both over the host's binary
 * media channel to the host's outputs (RTMP destinations, the recorder), dropping whole GOPs
 * when the host falls behind; `MemorySink` keeps them for tests and for muxing in the page.
 */
import { MediaFlags, MediaKind, pcmS16FromFloat, type MediaFrame } from '../../../common/host/media-frame.ts';
import type { PcmBlock } from '../audio/mixer.ts';
import type { H264Profile } from './encoder-config.ts';

/** The encoded stream's configuration, sent before its first chunk and whenever it changes. */
export interface VideoTrackConfig {
  codec: string;
  width: number;
  height: number;
  /** The avcC record (ISO/IEC 14496-15), or null where the encoder gave none. */
  description: ArrayBuffer | null;
  /** The profile the SPS declares, read back from the avcC. */
  profile: H264Profile | null;
}

/** One encoded video chunk (length-prefixed NAL units). */
export interface EncodedVideo {
  data: ArrayBuffer;
  timestampUs: number;
  durationUs: number;
  keyframe: boolean;
}

/** What a sink says about where it sends (the host's backlog, what it dropped for it). */
export interface SinkStats {
  /** Bytes sent to the host that it has not taken in yet. */
  hostQueueBytes: number;
  /** Video frames not sent because the host was behind (whole GOPs). */
  framesDroppedHostLag: number;
  /** PCM blocks not sent because the host was far behind. */
  audioBlocksDroppedHostLag: number;
}

/** A consumer of the engine's encoded output. */
export interface MediaSink {
  videoConfig(config: VideoTrackConfig): void;
  video(chunk: EncodedVideo): void;
  audio(block: PcmBlock): void;
  stats?(): SinkStats;
}

/** The host's media channel as the sink uses it. */
export interface HostMediaPort {
  send(frame: MediaFrame): void;
  /** Bytes sent that the host has not acknowledged yet. */
  readonly queuedBytes: number;
}

/** The host behind by more than this: stop sending video until a keyframe finds it caught up. */
export const HOST_LAG_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Forwards to the host's media channel: `MediaKind.video` (config and chunks) and
 * `MediaKind.audioPcm` (as s16le), on track `track` (one per encoding session, so the host can keep its
 * clock continuous across sessions). When the host falls behind by more than
 * `HOST_LAG_LIMIT_BYTES`, video is dropped from that frame to the next keyframe that finds the
 * host caught up: whole GOPs (their tails), never a frame in the middle of one that is sent.
 */
export class HostMediaSink implements MediaSink {
  private readonly port: HostMediaPort;
  private readonly track: number;
  private readonly lagLimitBytes: number;
  private dropping = false;
  private framesDropped = 0;
  private audioDropped = 0;

  constructor(port: HostMediaPort, track = 0, lagLimitBytes = HOST_LAG_LIMIT_BYTES) {
    this.port = port;
    this.track = track;
    this.lagLimitBytes = lagLimitBytes;
  }

  videoConfig(config: VideoTrackConfig): void {
    if (!config.description) return;
    this.port.send({
      kind: MediaKind.video,
      flags: MediaFlags.config,
      track: this.track,
      timestampUs: 0,
      payload: config.description.slice(0),
    });
  }

  video(chunk: EncodedVideo): void {
    const behind = this.port.queuedBytes > this.lagLimitBytes;
    if (behind || (this.dropping && !chunk.keyframe)) {
      this.dropping = true;
      this.framesDropped++;
      return;
    }
    this.dropping = false;
    this.port.send({
      kind: MediaKind.video,
      flags: chunk.keyframe ? MediaFlags.keyframe : 0,
      track: this.track,
      timestampUs: chunk.timestampUs,
      payload: chunk.data,
    });
  }

  audio(block: PcmBlock): void {
    // PCM is small beside video; it goes on until the host is very far behind.
    if (this.port.queuedBytes > 2 * this.lagLimitBytes) {
      this.audioDropped++;
      return;
    }
    this.port.send({
      kind: MediaKind.audioPcm,
      flags: 0,
      track: this.track,
      timestampUs: block.timestampUs,
      payload: pcmS16FromFloat(block.data).buffer,
    });
  }

  stats(): SinkStats {
    return {
      hostQueueBytes: this.port.queuedBytes,
      framesDroppedHostLag: this.framesDropped,
      audioBlocksDroppedHostLag: this.audioDropped,
    };
  }
}

/** Keeps everything in memory. */
export class MemorySink implements MediaSink {
  readonly configs: VideoTrackConfig[] = [];
  readonly chunks: EncodedVideo[] = [];
  readonly pcm: PcmBlock[] = [];

  videoConfig(config: VideoTrackConfig): void {
    this.configs.push(config);
  }

  video(chunk: EncodedVideo): void {
    this.chunks.push(chunk);
  }

  audio(block: PcmBlock): void {
    this.pcm.push(block);
  }
}
