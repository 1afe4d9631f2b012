/**
 * AV1 helpers for Enhanced RTMP `av01`: the AV1CodecConfigurationRecord (AV1 Codec ISO Media
 * File Format Binding, section 2.3) and its codec string (same document, "Codecs Parameter String").
 */
import { ByteReader } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** The fields of an `av1C` record a codec string needs. */
export interface Av1Config {
  profile: number;
  level: number;
  tier: number;
  bitDepth: number;
}

/** Parses the first four bytes of an AV1CodecConfigurationRecord. */
export function parseAv1Config(record: Uint8Array): Av1Config {
  const r = new ByteReader(record);
  const first = r.u8();
  if (first !== 0x81) throw new MediaFormatError('AV1 configuration record must start with marker 1, version 1');
  const b1 = r.u8();
  const b2 = r.u8();
  const highBitDepth = (b2 >> 6) & 1;
  const twelveBit = (b2 >> 5) & 1;
  return { profile: b1 >> 5, level: b1 & 0x1f, tier: b2 >> 7, bitDepth: highBitDepth ? (twelveBit ? 12 : 10) : 8 };
}

/** The codec string, e.g. `av01.0.05M.08`. */
export function av1CodecString(config: Av1Config): string {
  return `av01.${config.profile}.${String(config.level).padStart(2, '0')}${config.tier ? 'H' : 'M'}.${String(config.bitDepth).padStart(2, '0')}`;
}
