/**
 * H.264/AVC helpers: the decoder configuration record (ISO/IEC 14496-15 section 5.3.3.1, the
 * payload of an AVC sequence header in FLV/RTMP), sequence parameter set parsing for size,
 * profile, level and frame rate (ITU-T H.264 section 7.3.2.1.1 and Annex E.1.1 VUI), and
 * length-prefixed NAL unit iteration.
 */
import { BitReader, nalToRbsp } from './bit-reader.ts';
import { ByteReader } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** A parsed AVCDecoderConfigurationRecord. */
export interface AvcDecoderConfig {
  profile: number;
  compatibility: number;
  level: number;
  /** Bytes in each NAL unit length prefix (1, 2 or 4). */
  nalLengthSize: number;
  sps: Uint8Array[];
  pps: Uint8Array[];
}

/** What a sequence parameter set says about the picture. */
export interface AvcSpsInfo {
  profile: number;
  level: number;
  /** Display size after cropping, in pixels. */
  width: number;
  height: number;
  /** Frames per second from the VUI timing info, or undefined when absent. */
  fps: number | undefined;
  chromaFormat: number;
  bitDepth: number;
}

/** Parses an AVCDecoderConfigurationRecord. */
export function parseAvcDecoderConfig(record: Uint8Array): AvcDecoderConfig {
  const r = new ByteReader(record);
  const version = r.u8();
  if (version !== 1) throw new MediaFormatError(`AVC configuration version ${version}, expected 1`);
  const profile = r.u8();
  const compatibility = r.u8();
  const level = r.u8();
  const nalLengthSize = (r.u8() & 0x03) + 1;
  if (nalLengthSize === 3) throw new MediaFormatError('AVC NAL length size 3 is not allowed');
  const sps: Uint8Array[] = [];
  const spsCount = r.u8() & 0x1f;
  for (let i = 0; i < spsCount; i++) sps.push(r.bytesView(r.u16(), 'SPS'));
  const pps: Uint8Array[] = [];
  const ppsCount = r.u8();
  for (let i = 0; i < ppsCount; i++) pps.push(r.bytesView(r.u16(), 'PPS'));
  if (sps.length === 0) throw new MediaFormatError('AVC configuration without a sequence parameter set');
  return { profile, compatibility, level, nalLengthSize, sps, pps };
}

/** Builds an AVCDecoderConfigurationRecord from one SPS and one PPS (4-byte NAL lengths). */
export function buildAvcDecoderConfig(sps: Uint8Array, pps: Uint8Array): Uint8Array {
  const out = new Uint8Array(11 + sps.length + pps.length);
  out.set([1, sps[1] ?? 0, sps[2] ?? 0, sps[3] ?? 0, 0xff, 0xe1, sps.length >> 8, sps.length & 0xff]);
  out.set(sps, 8);
  const p = 8 + sps.length;
  out.set([1, pps.length >> 8, pps.length & 0xff], p);
  out.set(pps, p + 3);
  return out;
}

/** The RFC 6381 codec string, e.g. `avc1.64001f`. */
export function avcCodecString(config: Pick<AvcDecoderConfig, 'profile' | 'compatibility' | 'level'>): string {
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  return `avc1.${hex(config.profile)}${hex(config.compatibility)}${hex(config.level)}`;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + bits.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Parses a sequence parameter set NAL unit (with its one-byte NAL header). */
export function parseAvcSps(nal: Uint8Array): AvcSpsInfo {
  if (nal.length < 4 || (nal[0]! & 0x1f) !== 7) throw new MediaFormatError('not an H.264 sequence parameter set');
  const bits = new BitReader(nalToRbsp(nal.subarray(1)));
  const profile = bits.u(8);
  bits.skip(8); // constraint_set flags
  const level = bits.u(8);
  bits.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let separateColourPlanes = false;
  let bitDepth = 8;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormat = bits.ue();
    if (chromaFormat > 3) throw new MediaFormatError(`invalid chroma_format_idc ${chromaFormat}`);
    if (chromaFormat === 3) separateColourPlanes = bits.flag();
    bitDepth = bits.ue() + 8;
    bits.ue(); // bit_depth_chroma_minus8
    bits.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (bits.flag()) {
      for (let i = 0; i < (chromaFormat !== 3 ? 8 : 12); i++) if (bits.flag()) skipScalingList(bits, i < 6 ? 16 : 64);
    }
  }
  bits.ue(); // log2_max_frame_num_minus4
  const pocType = bits.ue();
  if (pocType === 0) {
    bits.ue();
  } else if (pocType === 1) {
    bits.skip(1);
    bits.se();
    bits.se();
    const cycle = bits.ue();
    if (cycle > 255) throw new MediaFormatError('num_ref_frames_in_pic_order_cnt_cycle over 255');
    for (let i = 0; i < cycle; i++) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = bits.ue() + 1;
  const heightMapUnits = bits.ue() + 1;
  const frameMbsOnly = bits.flag();
  if (!frameMbsOnly) bits.skip(1);
  bits.skip(1); // direct_8x8_inference_flag
  let cropLeft = 0;
  let cropRight = 0;
  let cropTop = 0;
  let cropBottom = 0;
  if (bits.flag()) {
    cropLeft = bits.ue();
    cropRight = bits.ue();
    cropTop = bits.ue();
    cropBottom = bits.ue();
  }
  // Crop units (7.4.2.1.1): chroma subsampling times the field factor.
  const chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
  const cropUnitX = chromaArrayType === 0 ? 1 : chromaFormat === 3 ? 1 : 2;
  const cropUnitY = (chromaArrayType === 0 ? 1 : chromaFormat === 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
  const width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
  const height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
  let fps: number | undefined;
  if (bits.remaining > 0 && bits.flag()) fps = parseVuiFps(bits);
  if (width <= 0 || height <= 0) throw new MediaFormatError(`SPS gives an empty picture (${width}x${height})`);
  return { profile, level, width, height, fps, chromaFormat, bitDepth };
}

/** Reads VUI parameters up to timing info (Annex E.1.1). */
function parseVuiFps(bits: BitReader): number | undefined {
  if (bits.flag()) {
    if (bits.u(8) === 255) bits.skip(32); // Extended_SAR: sar_width, sar_height
  }
  if (bits.flag()) bits.skip(1); // overscan_appropriate_flag
  if (bits.flag()) {
    bits.skip(4); // video_format, video_full_range_flag
    if (bits.flag()) bits.skip(24); // colour primaries, transfer, matrix
  }
  if (bits.flag()) {
    bits.ue();
    bits.ue();
  }
  if (!bits.flag()) return undefined;
  const unitsInTick = bits.u(32);
  const timeScale = bits.u(32);
  if (unitsInTick === 0 || timeScale === 0) return undefined;
  // One frame is two ticks (field-based timing, E.2.1).
  return Math.round((timeScale / (2 * unitsInTick)) * 1000) / 1000;
}

/** The NAL units of a length-prefixed (AVCC/HVCC) access unit, as views. */
export function splitLengthPrefixed(data: Uint8Array, lengthSize = 4): Uint8Array[] {
  const units: Uint8Array[] = [];
  let p = 0;
  while (p < data.length) {
    if (p + lengthSize > data.length) throw new MediaFormatError('truncated NAL unit length');
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + data[p + i]!;
    p += lengthSize;
    if (p + length > data.length) throw new MediaFormatError(`NAL unit of ${length} bytes overruns the access unit`);
    units.push(data.subarray(p, p + length));
    p += length;
  }
  return units;
}
