/**
 * FLV: the file header, tags (reader and writer), and the audio/video tag headers RTMP
 * messages share. Spec: Adobe Flash Video File Format Specification v10.1, Annex E (E.2 header,
 * E.3 body, E.4.2 audio tags, E.4.3 video tags); Enhanced RTMP v1 (veovera, 2023: ExVideoTagHeader,
 * FourCC `hvc1`/`av01`/`vp09`/`avc1`, packet types 0-5) and v2 (2024: Multitrack, ModEx, ExAudioTagHeader).
 */
import { ByteReader, concatBytes, fourCcToString } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** FLV tag types (E.4.1). */
export const FlvTagType = { audio: 8, video: 9, script: 18 } as const;

/** The 9-byte FLV header plus PreviousTagSize0 (E.2, E.3). */
export function flvFileHeader(options: { audio: boolean; video: boolean }): Uint8Array {
  return Uint8Array.of(0x46, 0x4c, 0x56, 1, (options.audio ? 4 : 0) | (options.video ? 1 : 0), 0, 0, 0, 9, 0, 0, 0, 0);
}

/** Size of a tag's header (E.4.1) and of the PreviousTagSize that follows its data. */
export const FLV_TAG_HEADER_SIZE = 11;

/** Writes tag header + data + PreviousTagSize into `out` at `at`. */
export function writeFlvTag(out: Uint8Array, at: number, type: number, timestampMs: number, payload: Uint8Array): void {
  const ts = timestampMs % 0x1_0000_0000;
  out[at] = type;
  out[at + 1] = payload.length >>> 16;
  out[at + 2] = (payload.length >>> 8) & 0xff;
  out[at + 3] = payload.length & 0xff;
  out[at + 4] = (ts >>> 16) & 0xff;
  out[at + 5] = (ts >>> 8) & 0xff;
  out[at + 6] = ts & 0xff;
  out[at + 7] = ts >>> 24; // TimestampExtended: the upper 8 bits
  // StreamID: always 0 (bytes 8-10 are already zero in a fresh array).
  out[at + 8] = 0;
  out[at + 9] = 0;
  out[at + 10] = 0;
  out.set(payload, at + FLV_TAG_HEADER_SIZE);
  const size = FLV_TAG_HEADER_SIZE + payload.length;
  const end = at + size;
  out[end] = size >>> 24;
  out[end + 1] = (size >>> 16) & 0xff;
  out[end + 2] = (size >>> 8) & 0xff;
  out[end + 3] = size & 0xff;
}

/** One tag as a new array: header, data, PreviousTagSize. */
export function encodeFlvTag(type: number, timestampMs: number, payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffffff) throw new MediaFormatError(`FLV tag data of ${payload.length} bytes does not fit 24 bits`);
  const out = new Uint8Array(FLV_TAG_HEADER_SIZE + payload.length + 4);
  writeFlvTag(out, 0, type, timestampMs, payload);
  return out;
}

/** A tag read from an FLV byte stream. */
export interface FlvTag {
  type: number;
  /** Milliseconds (TimestampExtended applied). */
  timestamp: number;
  payload: Uint8Array;
}

/** Reads tags from FLV bytes fed in slices of any size; checks the header and every tag's bounds. */
export class FlvReader {
  private readonly onTag: (tag: FlvTag) => void;
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  /** Bytes needed before parsing can make progress; a large tag is joined once, not per slice. */
  private needed = 9;
  private headerRead = false;
  /** Flags from the header: has audio, has video. */
  hasAudio = false;
  hasVideo = false;

  constructor(onTag: (tag: FlvTag) => void) {
    this.onTag = onTag;
  }

  /** Parses every complete tag now available. Throws `MediaFormatError` on a malformed stream. */
  feed(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.partsLength += bytes.length;
    if (this.partsLength < this.needed) return;
    const data = this.parts.length === 1 ? this.parts[0]! : concatBytes(this.parts);
    let p = 0;
    this.needed = 0;
    if (!this.headerRead) {
      if (data[0] !== 0x46 || data[1] !== 0x4c || data[2] !== 0x56) throw new MediaFormatError('not an FLV stream (no "FLV" signature)');
      if (data[3] !== 1) throw new MediaFormatError(`unsupported FLV version ${data[3]}`);
      const dataOffset = ((data[5]! << 24) | (data[6]! << 16) | (data[7]! << 8) | data[8]!) >>> 0;
      if (dataOffset < 9 || dataOffset > 1024) throw new MediaFormatError(`implausible FLV data offset ${dataOffset}`);
      if (data.length < dataOffset + 4) {
        this.needed = dataOffset + 4;
      } else {
        this.hasAudio = (data[4]! & 4) !== 0;
        this.hasVideo = (data[4]! & 1) !== 0;
        this.headerRead = true;
        p = dataOffset + 4; // skip PreviousTagSize0
      }
    }
    while (this.headerRead) {
      if (data.length - p < FLV_TAG_HEADER_SIZE) {
        this.needed = FLV_TAG_HEADER_SIZE;
        break;
      }
      const flags = data[p]!;
      if (flags & 0x20) throw new MediaFormatError('encrypted FLV tags (Filter bit) are not supported');
      const type = flags & 0x1f;
      const size = (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
      if (data.length - p < FLV_TAG_HEADER_SIZE + size + 4) {
        this.needed = FLV_TAG_HEADER_SIZE + size + 4;
        break;
      }
      const timestamp = ((data[p + 7]! << 24) | (data[p + 4]! << 16) | (data[p + 5]! << 8) | data[p + 6]!) >>> 0;
      const payload = data.subarray(p + FLV_TAG_HEADER_SIZE, p + FLV_TAG_HEADER_SIZE + size);
      p += FLV_TAG_HEADER_SIZE + size + 4;
      this.onTag({ type, timestamp, payload });
    }
    const rest = data.subarray(p);
    this.parts = rest.length ? [rest] : [];
    this.partsLength = rest.length;
  }
}

/** Video codecs Tally recognises in FLV/RTMP (legacy CodecID or Enhanced RTMP FourCC). */
export type VideoCodec = 'avc' | 'hevc' | 'av1' | 'vp9' | 'vp8' | 'h263' | 'vp6' | 'screen' | 'unknown';
/** Audio codecs Tally recognises. */
export type AudioCodec = 'aac' | 'mp3' | 'opus' | 'flac' | 'ac3' | 'eac3' | 'pcm' | 'speex' | 'g711' | 'nellymoser' | 'unknown';

/** What a video packet carries (AVCPacketType, or Enhanced RTMP's VideoPacketType). */
export type VideoPacketKind = 'sequenceStart' | 'codedFrames' | 'sequenceEnd' | 'metadata' | 'command' | 'multitrack' | 'other';

/** A parsed video tag header (the first bytes of an RTMP video message or FLV video tag body). */
export interface VideoTagHeader {
  codec: VideoCodec;
  /** The Enhanced RTMP FourCC, or a legacy codec's FourCC equivalent (`avc1`, `hvc1`). */
  fourCc: string;
  /** Enhanced RTMP header (ExVideoTagHeader) rather than the legacy one. */
  enhanced: boolean;
  /** 1 keyframe, 2 inter, 3 disposable, 4 generated keyframe, 5 command frame (E.4.3.1). */
  frameType: number;
  keyframe: boolean;
  packet: VideoPacketKind;
  /** Composition time offset in ms (presentation − decode). */
  compositionTimeMs: number;
  /** Where the codec payload (config record or frame data) starts. */
  dataOffset: number;
}

const VIDEO_FOURCC: Record<string, VideoCodec> = { avc1: 'avc', hvc1: 'hevc', av01: 'av1', vp09: 'vp9', vp08: 'vp8' };
const LEGACY_VIDEO: Record<number, [VideoCodec, string]> = {
  2: ['h263', 'h263'],
  3: ['screen', 'scrn'],
  4: ['vp6', 'vp6f'],
  5: ['vp6', 'vp6a'],
  6: ['screen', 'scr2'],
  7: ['avc', 'avc1'],
  // Not in Adobe's table: the Chinese-CDN convention (SRS, nginx-http-flv) for HEVC before Enhanced RTMP.
  12: ['hevc', 'hvc1'],
};

/** Enhanced RTMP VideoPacketType values. */
const ExVideoPacket = {
  sequenceStart: 0,
  codedFrames: 1,
  sequenceEnd: 2,
  codedFramesX: 3,
  metadata: 4,
  mpeg2TsSequenceStart: 5,
  multitrack: 6,
  modEx: 7,
};

/** Parses a video tag header. Throws `MediaFormatError` when it is truncated. */
export function parseVideoTagHeader(payload: Uint8Array): VideoTagHeader {
  const r = new ByteReader(payload);
  const first = r.u8();
  if (first & 0x80) return parseExVideoHeader(r, first);
  const frameType = first >> 4;
  const codecId = first & 0x0f;
  const [codec, fourCc] = LEGACY_VIDEO[codecId] ?? ['unknown', `id${codecId}`];
  let packet: VideoPacketKind = frameType === 5 ? 'command' : 'codedFrames';
  let compositionTimeMs = 0;
  if ((codec === 'avc' || codec === 'hevc') && frameType !== 5) {
    const packetType = r.u8();
    compositionTimeMs = r.i24();
    packet = packetType === 0 ? 'sequenceStart' : packetType === 1 ? 'codedFrames' : packetType === 2 ? 'sequenceEnd' : 'other';
  }
  return {
    codec,
    fourCc,
    enhanced: false,
    frameType,
    keyframe: frameType === 1 || frameType === 4,
    packet,
    compositionTimeMs,
    dataOffset: r.offset,
  };
}

function parseExVideoHeader(r: ByteReader, first: number): VideoTagHeader {
  const frameType = (first >> 4) & 0x07;
  let packetType = first & 0x0f;
  // v2 ModEx: modifier extensions precede the real packet type (e.g. a nanosecond timestamp offset).
  while (packetType === ExVideoPacket.modEx) {
    let size = r.u8() + 1;
    if (size === 256) size = r.u16() + 1;
    r.skip(size, 'ModEx data');
    packetType = r.u8() & 0x0f;
  }
  const base = { enhanced: true, frameType, keyframe: frameType === 1 || frameType === 4 };
  if (frameType === 5 && packetType !== ExVideoPacket.metadata) {
    r.u8(); // VideoCommand; there is no FourCC and no body
    return { ...base, codec: 'unknown', fourCc: '', packet: 'command', compositionTimeMs: 0, dataOffset: r.offset };
  }
  if (packetType === ExVideoPacket.multitrack) {
    const multitrackType = r.u8() >> 4;
    // One codec for all tracks (types 0 and 1) names it once; ManyTracksManyCodecs (2) names it per track.
    const fourCc = multitrackType !== 2 ? fourCcToString(r.u32()) : '';
    return { ...base, codec: VIDEO_FOURCC[fourCc] ?? 'unknown', fourCc, packet: 'multitrack', compositionTimeMs: 0, dataOffset: r.offset };
  }
  const fourCc = fourCcToString(r.u32());
  const codec = VIDEO_FOURCC[fourCc] ?? 'unknown';
  let packet: VideoPacketKind;
  let compositionTimeMs = 0;
  switch (packetType) {
    case ExVideoPacket.sequenceStart:
      packet = 'sequenceStart';
      break;
    case ExVideoPacket.codedFrames:
      packet = 'codedFrames';
      // Only AVC and HEVC carry a composition time here; CodedFramesX means it is zero.
      if (codec === 'avc' || codec === 'hevc') compositionTimeMs = r.i24();
      break;
    case ExVideoPacket.codedFramesX:
      packet = 'codedFrames';
      break;
    case ExVideoPacket.sequenceEnd:
      packet = 'sequenceEnd';
      break;
    case ExVideoPacket.metadata:
      packet = 'metadata';
      break;
    default:
      packet = 'other';
  }
  return { ...base, codec, fourCc, packet, compositionTimeMs, dataOffset: r.offset };
}

/** A parsed audio tag header. */
export interface AudioTagHeader {
  codec: AudioCodec;
  /** SoundFormat (E.4.2.1), or 9 for an Enhanced RTMP ExAudioTagHeader. */
  soundFormat: number;
  fourCc: string;
  enhanced: boolean;
  packet: 'sequenceStart' | 'codedFrames' | 'sequenceEnd' | 'other';
  /** Legacy header only: 5.5, 11, 22 or 44 kHz (AAC always says 44). */
  soundRateHz: number;
  /** Legacy header only: 1 mono, 2 stereo. */
  channels: number;
  dataOffset: number;
}

const LEGACY_AUDIO: Record<number, AudioCodec> = {
  0: 'pcm',
  1: 'pcm',
  2: 'mp3',
  3: 'pcm',
  4: 'nellymoser',
  5: 'nellymoser',
  6: 'nellymoser',
  7: 'g711',
  8: 'g711',
  10: 'aac',
  11: 'speex',
  14: 'mp3',
};
const AUDIO_FOURCC: Record<string, AudioCodec> = { mp4a: 'aac', Opus: 'opus', fLaC: 'flac', 'ac-3': 'ac3', 'ec-3': 'eac3', '.mp3': 'mp3' };
const SOUND_RATES = [5512, 11025, 22050, 44100];

/** Parses an audio tag header. Throws `MediaFormatError` when it is truncated. */
export function parseAudioTagHeader(payload: Uint8Array): AudioTagHeader {
  const r = new ByteReader(payload);
  const first = r.u8();
  const soundFormat = first >> 4;
  if (soundFormat === 9) {
    let packetType = first & 0x0f;
    while (packetType === 7) {
      // v2 ModEx, as for video.
      let size = r.u8() + 1;
      if (size === 256) size = r.u16() + 1;
      r.skip(size, 'ModEx data');
      packetType = r.u8() & 0x0f;
    }
    if (packetType === 5) {
      const multitrackType = r.u8() >> 4;
      const fourCc = multitrackType !== 2 ? fourCcToString(r.u32()) : '';
      return {
        codec: AUDIO_FOURCC[fourCc] ?? 'unknown',
        soundFormat,
        fourCc,
        enhanced: true,
        packet: 'other',
        soundRateHz: 0,
        channels: 0,
        dataOffset: r.offset,
      };
    }
    const fourCc = fourCcToString(r.u32());
    const packet = packetType === 0 ? 'sequenceStart' : packetType === 1 ? 'codedFrames' : packetType === 2 ? 'sequenceEnd' : 'other';
    return {
      codec: AUDIO_FOURCC[fourCc] ?? 'unknown',
      soundFormat,
      fourCc,
      enhanced: true,
      packet,
      soundRateHz: 0,
      channels: 0,
      dataOffset: r.offset,
    };
  }
  const codec = LEGACY_AUDIO[soundFormat] ?? 'unknown';
  let packet: AudioTagHeader['packet'] = 'codedFrames';
  if (codec === 'aac') packet = r.u8() === 0 ? 'sequenceStart' : 'codedFrames';
  return {
    codec,
    soundFormat,
    fourCc: codec === 'aac' ? 'mp4a' : `sf${soundFormat}`,
    enhanced: false,
    packet,
    soundRateHz: SOUND_RATES[(first >> 2) & 3]!,
    channels: (first & 1) + 1,
    dataOffset: r.offset,
  };
}

/** A legacy AVC video tag body: frame type, AVCPacketType, composition time, data (E.4.3.1). */
export function avcVideoTagBody(options: {
  keyframe: boolean;
  packetType: 0 | 1 | 2;
  compositionTimeMs?: number;
  data: Uint8Array;
}): Uint8Array {
  const out = new Uint8Array(5 + options.data.length);
  out[0] = ((options.keyframe ? 1 : 2) << 4) | 7;
  out[1] = options.packetType;
  const cts = (options.compositionTimeMs ?? 0) & 0xffffff;
  out[2] = cts >>> 16;
  out[3] = (cts >>> 8) & 0xff;
  out[4] = cts & 0xff;
  out.set(options.data, 5);
  return out;
}

/** An AAC audio tag body: the AAC SoundFormat byte (44 kHz, 16-bit, stereo flags as the spec asks), AACPacketType, data. */
export function aacAudioTagBody(packetType: 0 | 1, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = 0xaf;
  out[1] = packetType;
  out.set(data, 2);
  return out;
}

/** An Enhanced RTMP video tag body with a FourCC (v1 ExVideoTagHeader). */
export function exVideoTagBody(options: {
  fourCc: string;
  keyframe: boolean;
  packet: 'sequenceStart' | 'codedFrames' | 'codedFramesX' | 'sequenceEnd';
  compositionTimeMs?: number;
  data: Uint8Array;
}): Uint8Array {
  const packetType = ExVideoPacket[options.packet];
  const withCts = options.packet === 'codedFrames' && (options.fourCc === 'hvc1' || options.fourCc === 'avc1');
  const head = 5 + (withCts ? 3 : 0);
  const out = new Uint8Array(head + options.data.length);
  out[0] = 0x80 | ((options.keyframe ? 1 : 2) << 4) | packetType;
  for (let i = 0; i < 4; i++) out[1 + i] = options.fourCc.charCodeAt(i);
  if (withCts) {
    const cts = (options.compositionTimeMs ?? 0) & 0xffffff;
    out[5] = cts >>> 16;
    out[6] = (cts >>> 8) & 0xff;
    out[7] = cts & 0xff;
  }
  out.set(options.data, head);
  return out;
}

/** An Enhanced RTMP audio tag body with a FourCC (ExAudioTagHeader, SoundFormat 9): sequence start or coded frames. */
export function exAudioTagBody(options: { fourCc: string; packet: 'sequenceStart' | 'codedFrames'; data: Uint8Array }): Uint8Array {
  const out = new Uint8Array(5 + options.data.length);
  out[0] = (9 << 4) | (options.packet === 'sequenceStart' ? 0 : 1);
  for (let i = 0; i < 4; i++) out[1 + i] = options.fourCc.charCodeAt(i);
  out.set(options.data, 5);
  return out;
}
