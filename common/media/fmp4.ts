/**
 * A small fragmented-MP4 (CMAF) muxer for HLS: an init segment (ftyp + moov with mvex) and
 * media segments (moof + mdat). Spec: ISO/IEC 14496-12 (ISO BMFF: 4.2 boxes, 8.3.2 tkhd,
 * 8.4.2 mdhd, 8.5.2 sample entries, 8.8 movie fragments: mvex/trex 8.8.3, moof 8.8.4, tfhd
 * 8.8.7, trun 8.8.8, tfdt 8.8.12), ISO/IEC 14496-14 3.1.2 (esds), ISO/IEC 14496-15 5.4.2 and
 * 8.4.1 (avcC, hvcC), the AV1 ISOBMFF binding 2.3 (av1C), and ISO/IEC 23000-19 (CMAF).
 * Why hand-written rather than mediabunny: see common/README.md.
 */
import { ByteWriter } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** A track of the presentation. */
export interface Fmp4Track {
  /** Track id, from 1. */
  id: number;
  kind: 'video' | 'audio';
  /** Ticks per second of this track's timestamps (90000 for video, the sample rate for audio). */
  timescale: number;
  /** Sample entry type. */
  codec: 'avc1' | 'hvc1' | 'av01' | 'mp4a';
  /** The decoder configuration: AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord, AV1CodecConfigurationRecord or AudioSpecificConfig. */
  config: Uint8Array;
  width?: number;
  height?: number;
  channels?: number;
  sampleRateHz?: number;
}

/** One sample (an access unit or an audio frame) of a fragment. */
export interface Fmp4Sample {
  durationTicks: number;
  /** The sample's bytes (length-prefixed NAL units for video, a raw frame for audio). */
  data: Uint8Array;
  keyframe: boolean;
  /** Presentation time minus decode time, in ticks (may be negative). */
  compositionOffsetTicks: number;
}

/** The samples of one track in a media segment. */
export interface Fmp4Fragment {
  trackId: number;
  /** Decode time of the first sample, in the track's ticks (tfdt). */
  baseDecodeTimeTicks: number;
  samples: readonly Fmp4Sample[];
}

const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** Writes boxes into a ByteWriter, patching each size after its body. */
export class BoxWriter {
  readonly w = new ByteWriter(1024);

  box(type: string, body: () => void): void {
    const start = this.w.length;
    this.w.u32(0).ascii(type);
    body();
    this.w.patchU32(start, this.w.length - start);
  }

  fullBox(type: string, version: number, flags: number, body: () => void): void {
    this.box(type, () => {
      this.w.u8(version).u24(flags);
      body();
    });
  }

  matrix(): void {
    for (const value of UNITY_MATRIX) this.w.u32(value);
  }
}

/** The init segment: ftyp, then moov with one trak per track and mvex/trex for fragments. */
export function fmp4InitSegment(tracks: readonly Fmp4Track[]): Uint8Array {
  if (tracks.length === 0) throw new MediaFormatError('an init segment needs at least one track');
  const b = new BoxWriter();
  const w = b.w;
  b.box('ftyp', () => {
    w.ascii('iso6').u32(0);
    for (const brand of ['iso6', 'cmfc', 'mp41']) w.ascii(brand);
  });
  b.box('moov', () => {
    b.fullBox('mvhd', 0, 0, () => {
      w.u32(0).u32(0).u32(1000).u32(0); // creation, modification, timescale, duration (unknown: fragmented)
      w.u32(0x00010000).u16(0x0100).zeros(10);
      b.matrix();
      w.zeros(24).u32(Math.max(...tracks.map((t) => t.id)) + 1);
    });
    for (const track of tracks) writeTrak(b, track);
    b.box('mvex', () => {
      for (const track of tracks)
        b.fullBox('trex', 0, 0, () => {
          w.u32(track.id).u32(1).u32(0).u32(0).u32(0);
        });
    });
  });
  return w.finish().slice();
}

/**
 * What a regular (progressive) MP4's trak adds to a fragmented one's: durations, an edit list
 * (8.6.6) when the track starts after the presentation, and its sample tables (8.6-8.7). See
 * `mp4-index.ts`, which writes the `moov` a hybrid recording is finalised with.
 */
export interface ProgressiveTrak {
  /** The track's duration in the movie's timescale, including `emptyEditMovieTicks`. */
  movieDurationTicks: number;
  /** The media's duration in the track's timescale. */
  mediaDurationTicks: number;
  /** Time before the track's first sample, in the movie's timescale (0: none). */
  emptyEditMovieTicks: number;
  /** Writes stts, stss, ctts, stsc, stsz and stco/co64 into the stbl. */
  writeSampleTables(b: BoxWriter): void;
}

/** Writes one trak: an empty one for fragments, or a complete one when `progressive` is given. */
export function writeTrak(b: BoxWriter, track: Fmp4Track, progressive?: ProgressiveTrak): void {
  const w = b.w;
  const video = track.kind === 'video';
  b.box('trak', () => {
    b.fullBox('tkhd', 0, 3, () => {
      w.u32(0)
        .u32(0)
        .u32(track.id)
        .u32(0)
        .u32(progressive?.movieDurationTicks ?? 0)
        .zeros(8);
      w.u16(0)
        .u16(0)
        .u16(video ? 0 : 0x0100)
        .u16(0);
      b.matrix();
      w.u32((video ? (track.width ?? 0) : 0) * 65536).u32((video ? (track.height ?? 0) : 0) * 65536);
    });
    if (progressive && progressive.emptyEditMovieTicks > 0)
      b.box('edts', () => {
        b.fullBox('elst', 0, 0, () => {
          // An empty edit (media_time -1) for the gap, then the media from its start at rate 1.
          w.u32(2).u32(progressive.emptyEditMovieTicks).i32(-1).u32(0x00010000);
          w.u32(progressive.movieDurationTicks - progressive.emptyEditMovieTicks)
            .u32(0)
            .u32(0x00010000);
        });
      });
    b.box('mdia', () => {
      // Version 1 (64-bit times) only when the duration needs it: 90 kHz passes 32 bits after 13 hours.
      const mediaDuration = progressive?.mediaDurationTicks ?? 0;
      const wide = mediaDuration > 0xffffffff;
      b.fullBox('mdhd', wide ? 1 : 0, 0, () => {
        if (wide) w.u64(0).u64(0).u32(track.timescale).u64(mediaDuration);
        else w.u32(0).u32(0).u32(track.timescale).u32(mediaDuration);
        w.u16(0x55c4).u16(0); // language "und" (ISO 639-2/T packed), pre_defined
      });
      b.fullBox('hdlr', 0, 0, () => {
        w.u32(0)
          .ascii(video ? 'vide' : 'soun')
          .zeros(12);
        w.ascii(video ? 'VideoHandler' : 'SoundHandler').u8(0);
      });
      b.box('minf', () => {
        if (video)
          b.fullBox('vmhd', 0, 1, () => {
            w.zeros(8);
          });
        else
          b.fullBox('smhd', 0, 0, () => {
            w.zeros(4);
          });
        b.box('dinf', () => {
          b.fullBox('dref', 0, 0, () => {
            w.u32(1);
            b.fullBox('url ', 0, 1, () => {});
          });
        });
        b.box('stbl', () => {
          b.fullBox('stsd', 0, 0, () => {
            w.u32(1);
            if (video) writeVisualSampleEntry(b, track);
            else writeAudioSampleEntry(b, track);
          });
          if (progressive) {
            progressive.writeSampleTables(b);
            return;
          }
          for (const empty of ['stts', 'stsc', 'stco'])
            b.fullBox(empty, 0, 0, () => {
              w.u32(0);
            });
          b.fullBox('stsz', 0, 0, () => {
            w.u32(0).u32(0);
          });
        });
      });
    });
  });
}

function writeVisualSampleEntry(b: BoxWriter, track: Fmp4Track): void {
  const w = b.w;
  const configBox = { avc1: 'avcC', hvc1: 'hvcC', av01: 'av1C' }[track.codec as 'avc1' | 'hvc1' | 'av01'];
  if (!configBox) throw new MediaFormatError(`${track.codec} is not a video sample entry`);
  b.box(track.codec, () => {
    w.zeros(6).u16(1); // reserved, data_reference_index
    w.zeros(16); // pre_defined, reserved, pre_defined[3]
    w.u16(track.width ?? 0).u16(track.height ?? 0);
    w.u32(0x00480000).u32(0x00480000).u32(0).u16(1); // 72 dpi, reserved, frame_count
    w.zeros(32); // compressorname
    w.u16(0x0018).i16(-1);
    b.box(configBox, () => {
      w.bytes(track.config);
    });
  });
}

/** An MPEG-4 descriptor (ISO/IEC 14496-1 8.3.3): tag, expandable size, body. */
function writeDescriptor(w: ByteWriter, tag: number, body: Uint8Array): void {
  w.u8(tag);
  let size = body.length;
  const sizeBytes: number[] = [];
  do {
    sizeBytes.unshift(size & 0x7f);
    size >>= 7;
  } while (size > 0);
  sizeBytes.forEach((value, index) => w.u8(index < sizeBytes.length - 1 ? value | 0x80 : value));
  w.bytes(body);
}

function writeAudioSampleEntry(b: BoxWriter, track: Fmp4Track): void {
  if (track.codec !== 'mp4a') throw new MediaFormatError(`${track.codec} is not an audio sample entry`);
  const w = b.w;
  const rate = track.sampleRateHz ?? 0;
  b.box('mp4a', () => {
    w.zeros(6).u16(1);
    w.zeros(8)
      .u16(track.channels || 2)
      .u16(16)
      .u16(0)
      .u16(0);
    w.u32(rate < 65536 ? rate * 65536 : 0); // 16.16; rates above 65535 Hz rely on the esds
    b.fullBox('esds', 0, 0, () => {
      const decoderSpecific = new ByteWriter(64);
      writeDescriptor(decoderSpecific, 0x05, track.config);
      const decoderConfig = new ByteWriter(64);
      // objectTypeIndication 0x40 (ISO/IEC 14496-3 audio), streamType 5 (audio) << 2 | reserved 1.
      decoderConfig.u8(0x40).u8(0x15).u24(0).u32(0).u32(0).bytes(decoderSpecific.finish());
      const es = new ByteWriter(96);
      es.u16(track.id).u8(0);
      writeDescriptor(es, 0x04, decoderConfig.finish());
      writeDescriptor(es, 0x06, Uint8Array.of(0x02)); // SLConfigDescriptor, predefined MP4
      writeDescriptor(w, 0x03, es.finish());
    });
  });
}

/** Sample flags (ISO/IEC 14496-12 8.8.3.1): a sync sample depends on nothing; others depend and are non-sync. */
const SYNC_SAMPLE_FLAGS = 0x02000000;
const NON_SYNC_SAMPLE_FLAGS = 0x01010000;
const TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

/** Bytes of a traf with `count` samples: tfhd 16, tfdt 20 (v1), trun 20 + 16 per sample. */
function trafSize(count: number): number {
  return 8 + 16 + 20 + 20 + 16 * count;
}

/**
 * A media segment: one moof (mfhd + a traf per fragment) and one mdat holding the samples in
 * fragment order. Each trun's data offset is counted from the start of the moof
 * (default-base-is-moof), so the segment is self-contained.
 */
export function fmp4MediaSegment(sequenceNumber: number, fragments: readonly Fmp4Fragment[]): Uint8Array {
  const used = fragments.filter((fragment) => fragment.samples.length > 0);
  if (used.length === 0) throw new MediaFormatError('a media segment needs at least one sample');
  const moofSize = 8 + 16 + used.reduce((sum, fragment) => sum + trafSize(fragment.samples.length), 0);
  let mdatPayload = 0;
  for (const fragment of used) for (const sample of fragment.samples) mdatPayload += sample.data.length;
  const mdatHeader = 8;
  if (moofSize + mdatHeader + mdatPayload > 0xffffffff) throw new MediaFormatError('media segment larger than 4 GiB');
  const out = new Uint8Array(moofSize + mdatHeader + mdatPayload);
  const view = new DataView(out.buffer);
  let p = 0;
  const u32 = (value: number) => {
    view.setUint32(p, value >>> 0);
    p += 4;
  };
  const head = (size: number, type: string) => {
    u32(size);
    for (let i = 0; i < 4; i++) out[p++] = type.charCodeAt(i);
  };
  head(moofSize, 'moof');
  head(16, 'mfhd');
  u32(0);
  u32(sequenceNumber);
  let dataOffset = moofSize + mdatHeader;
  for (const fragment of used) {
    const count = fragment.samples.length;
    head(trafSize(count), 'traf');
    head(16, 'tfhd');
    u32(0x020000); // version 0, default-base-is-moof
    u32(fragment.trackId);
    head(20, 'tfdt');
    u32(0x01000000); // version 1: 64-bit baseMediaDecodeTime
    u32(Math.floor(fragment.baseDecodeTimeTicks / 0x1_0000_0000));
    u32(fragment.baseDecodeTimeTicks % 0x1_0000_0000);
    head(20 + 16 * count, 'trun');
    u32(0x01000000 | TRUN_FLAGS); // version 1: signed composition offsets
    u32(count);
    u32(dataOffset);
    for (const sample of fragment.samples) {
      u32(sample.durationTicks);
      u32(sample.data.length);
      u32(sample.keyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
      view.setInt32(p, sample.compositionOffsetTicks);
      p += 4;
      dataOffset += sample.data.length;
    }
  }
  head(mdatHeader + mdatPayload, 'mdat');
  for (const fragment of used)
    for (const sample of fragment.samples) {
      out.set(sample.data, p);
      p += sample.data.length;
    }
  return out;
}
