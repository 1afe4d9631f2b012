/**
 * The program as the host's outputs see it: one encode, H.264 video from the studio's
 * WebCodecs encoder and AAC from the host's ffmpeg child, on one continuous clock. Each
 * packet carries its FLV tag body, built once and shared by every destination.
 */
import { encodeAmf0, AmfEcmaArray } from '../../../common/media/amf0.ts';
import { aacAudioTagBody, avcVideoTagBody } from '../../../common/media/flv.ts';

/** The encoded video track. */
export interface VideoConfig {
  /** AVCDecoderConfigurationRecord. */
  avcC: Uint8Array;
  /** RFC 6381 codec string, e.g. `avc1.64001f`. */
  codec: string;
  width: number;
  height: number;
  /** Frames per second the SPS declares, or the frame spacing seen; null when unknown. */
  fps: number | null;
}

/** The encoded audio track. */
export interface AudioConfig {
  /** AudioSpecificConfig. */
  asc: Uint8Array;
  sampleRateHz: number;
  channels: number;
}

/** What the outputs must describe before any packet. */
export interface ProgramConfig {
  video: VideoConfig | null;
  audio: AudioConfig | null;
}

/** One access unit or AAC frame on the program clock. */
export interface ProgramPacket {
  kind: 'video' | 'audio';
  /** Presentation time on the program clock (continuous across encoder restarts), µs. */
  timestampUs: number;
  durationUs: number;
  /** Video: an IDR access unit. Audio: always true. */
  keyframe: boolean;
  /** Length-prefixed NAL units, or a raw AAC frame. */
  data: Uint8Array;
  /** The FLV/RTMP tag body (AVC NALU or AAC raw), shared by every destination. */
  flvBody: Uint8Array;
}

/** A consumer of the program: a destination, the recorder. */
export interface ProgramOutput {
  /** The track configuration changed (a new encoder, a new AAC child). */
  onConfig(config: ProgramConfig): void;
  onPacket(packet: ProgramPacket): void;
}

/** The FLV body of a video access unit (WebCodecs' realtime H.264 has no B-frames: composition time 0). */
export function videoFlvBody(data: Uint8Array, keyframe: boolean): Uint8Array {
  return avcVideoTagBody({ keyframe, packetType: 1, compositionTimeMs: 0, data });
}

/** The FLV body of an AAC frame. */
export function audioFlvBody(data: Uint8Array): Uint8Array {
  return aacAudioTagBody(1, data);
}

/** The AVC and AAC sequence headers (FLV tag bodies) of a configuration. */
export function sequenceHeaders(config: ProgramConfig): { video: Uint8Array | null; audio: Uint8Array | null } {
  return {
    video: config.video ? avcVideoTagBody({ keyframe: true, packetType: 0, data: config.video.avcC }) : null,
    audio: config.audio ? aacAudioTagBody(0, config.audio.asc) : null,
  };
}

/** `@setDataFrame onMetaData` as encoders send it (video_file_format_spec E.5), with the bitrates in kbps. */
export function metadataBody(config: ProgramConfig, bitrates: { videoKbps: number; audioKbps: number }): Uint8Array {
  const meta = new AmfEcmaArray();
  const set = (key: string, value: number | string | boolean) => (meta.entries[key] = value);
  if (config.video) {
    set('width', config.video.width);
    set('height', config.video.height);
    if (config.video.fps) set('framerate', config.video.fps);
    set('videocodecid', 7);
    set('videodatarate', bitrates.videoKbps);
  }
  if (config.audio) {
    set('audiocodecid', 10);
    set('audiodatarate', bitrates.audioKbps);
    set('audiosamplerate', config.audio.sampleRateHz);
    set('audiosamplesize', 16);
    set('stereo', config.audio.channels === 2);
  }
  set('encoder', 'Tally');
  return encodeAmf0(['@setDataFrame', 'onMetaData', meta]);
}
