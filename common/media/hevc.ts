/**
 * H.265/HEVC helpers for Enhanced RTMP `hvc1`: the HEVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 section 8.3.3.1), its RFC 6381 codec string (ISO/IEC 14496-15 Annex E.3),
 * and picture size from the sequence parameter set (ITU-T H.265 section 7.3.2.2).
 */
import { BitReader, nalToRbsp } from './bit-reader.ts';
import { ByteReader } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** A parsed HEVCDecoderConfigurationRecord. */
export interface HevcDecoderConfig {
  profileSpace: number;
  tierFlag: number;
  profileIdc: number;
  compatibilityFlags: number;
  /** general_constraint_indicator_flags, 6 bytes. */
  constraintFlags: Uint8Array;
  levelIdc: number;
  nalLengthSize: number;
  /** NAL units by type (32 VPS, 33 SPS, 34 PPS...). */
  nalUnits: { type: number; units: Uint8Array[] }[];
}

/** Parses an HEVCDecoderConfigurationRecord. */
export function parseHevcDecoderConfig(record: Uint8Array): HevcDecoderConfig {
  const r = new ByteReader(record);
  if (r.u8() !== 1) throw new MediaFormatError('HEVC configuration version is not 1');
  const b = r.u8();
  const compatibilityFlags = r.u32();
  const constraintFlags = r.bytesView(6);
  const levelIdc = r.u8();
  r.skip(2 + 1 + 1 + 1 + 1 + 2); // segmentation, parallelism, chroma, bit depths, avgFrameRate
  const nalLengthSize = (r.u8() & 0x03) + 1;
  const nalUnits: HevcDecoderConfig['nalUnits'] = [];
  const arrays = r.u8();
  for (let i = 0; i < arrays; i++) {
    const type = r.u8() & 0x3f;
    const count = r.u16();
    const units: Uint8Array[] = [];
    for (let j = 0; j < count; j++) units.push(r.bytesView(r.u16(), 'HEVC NAL unit'));
    nalUnits.push({ type, units });
  }
  return {
    profileSpace: b >> 6,
    tierFlag: (b >> 5) & 1,
    profileIdc: b & 0x1f,
    compatibilityFlags,
    constraintFlags,
    levelIdc,
    nalLengthSize,
    nalUnits,
  };
}

/** The codec string, e.g. `hvc1.1.6.L93.B0`. */
export function hevcCodecString(config: HevcDecoderConfig): string {
  let reversed = 0;
  for (let i = 0; i < 32; i++) reversed = reversed * 2 + ((config.compatibilityFlags >>> i) & 1);
  const constraints = [...config.constraintFlags];
  while (constraints.length > 0 && constraints.at(-1) === 0) constraints.pop();
  const space = ['', 'A', 'B', 'C'][config.profileSpace]!;
  const parts = [
    `hvc1`,
    `${space}${config.profileIdc}`,
    reversed.toString(16).toUpperCase(),
    `${config.tierFlag ? 'H' : 'L'}${config.levelIdc}`,
  ];
  return [...parts, ...constraints.map((byte) => byte.toString(16).toUpperCase())].join('.');
}

/** Picture size from an HEVC SPS NAL unit (with its two-byte NAL header), after the conformance window. */
export function parseHevcSpsSize(nal: Uint8Array): { width: number; height: number } {
  const bits = new BitReader(nalToRbsp(nal.subarray(2)));
  bits.skip(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = bits.u(3);
  bits.skip(1);
  // profile_tier_level(1, maxSubLayersMinus1), section 7.3.3
  bits.skip(96);
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(bits.flag());
    levelPresent.push(bits.flag());
  }
  if (maxSubLayersMinus1 > 0) bits.skip(2 * (8 - maxSubLayersMinus1));
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) bits.skip(88);
    if (levelPresent[i]) bits.skip(8);
  }
  bits.ue(); // sps_seq_parameter_set_id
  const chromaFormat = bits.ue();
  if (chromaFormat === 3) bits.skip(1);
  let width = bits.ue();
  let height = bits.ue();
  if (bits.flag()) {
    const subWidth = chromaFormat === 1 || chromaFormat === 2 ? 2 : 1;
    const subHeight = chromaFormat === 1 ? 2 : 1;
    width -= subWidth * (bits.ue() + bits.ue());
    height -= subHeight * (bits.ue() + bits.ue());
  }
  if (width <= 0 || height <= 0) throw new MediaFormatError(`HEVC SPS gives an empty picture (${width}x${height})`);
  return { width, height };
}
