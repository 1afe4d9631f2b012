/**
 * Where encoded video and mixed PCM go. The host's outputs (RTMP, recording) are a later
 * issue; `HostMediaSink` already forwards both over the host's binary media channel, and
 * `MemorySink` keeps them for tests and for muxing in the page.
 */
import { MediaFlags, MediaKind, type MediaFrame } from '../../../common/host/media-frame.ts';
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

/** A consumer of the engine's encoded output. */
export interface MediaSink {
  videoConfig(config: VideoTrackConfig): void;
  video(chunk: EncodedVideo): void;
  audio(block: PcmBlock): void;
}

/** Forwards to the host's media channel: `MediaKind.video` (config and chunks) and `MediaKind.audioPcm`. */
export class HostMediaSink implements MediaSink {
  private readonly send: (frame: MediaFrame) => void;
  private readonly track: number;

  constructor(channel: { send(frame: MediaFrame): void }, track = 0) {
    this.send = (frame) => channel.send(frame);
    this.track = track;
  }

  videoConfig(config: VideoTrackConfig): void {
    if (!config.description) return;
    this.send({ kind: MediaKind.video, flags: MediaFlags.config, track: this.track, timestampUs: 0, payload: config.description.slice(0) });
  }

  video(chunk: EncodedVideo): void {
    this.send({
      kind: MediaKind.video,
      flags: chunk.keyframe ? MediaFlags.keyframe : 0,
      track: this.track,
      timestampUs: chunk.timestampUs,
      payload: chunk.data,
    });
  }

  audio(block: PcmBlock): void {
    const payload = block.data.buffer.byteLength === block.data.byteLength ? block.data.buffer : block.data.slice().buffer;
    this.send({ kind: MediaKind.audioPcm, flags: 0, track: this.track, timestampUs: block.timestampUs, payload: payload as ArrayBuffer });
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
