/**
 * AAC helpers: the AudioSpecificConfig (ISO/IEC 14496-3 section 1.6.2.1, the payload of an
 * AAC sequence header in FLV/RTMP) and its codec string (RFC 6381 `mp4a.40.N`).
 */
import { BitReader } from './bit-reader.ts';
import { MediaFormatError } from './errors.ts';

/** What an AudioSpecificConfig says. */
export interface AacConfig {
  /** Audio object type: 2 AAC-LC, 5 SBR (HE-AAC), 29 PS (HE-AACv2). */
  objectType: number;
  /** The core sampling rate in Hz. */
  sampleRateHz: number;
  /** channelConfiguration (0 = defined in-band by a program config element). */
  channels: number;
  /** PCM samples per frame at the core rate: 1024, or 960 with frameLengthFlag. */
  samplesPerFrame: number;
}

/** The sampling frequencies by index (table 1.18). */
export const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

function objectType(bits: BitReader): number {
  const type = bits.u(5);
  return type === 31 ? 32 + bits.u(6) : type;
}

function sampleRate(bits: BitReader): number {
  const index = bits.u(4);
  if (index === 15) return bits.u(24);
  const rate = AAC_SAMPLE_RATES[index];
  if (rate === undefined) throw new MediaFormatError(`reserved AAC sampling frequency index ${index}`);
  return rate;
}

/** Parses an AudioSpecificConfig. */
export function parseAacConfig(bytes: Uint8Array): AacConfig {
  if (bytes.length < 2) throw new MediaFormatError('AudioSpecificConfig shorter than 2 bytes');
  const bits = new BitReader(bytes);
  const type = objectType(bits);
  if (type === 0) throw new MediaFormatError('AAC object type 0 is invalid');
  const sampleRateHz = sampleRate(bits);
  const channels = bits.u(4);
  let coreType = type;
  if (type === 5 || type === 29) {
    // Explicit SBR/PS signalling: the extension rate, then the core object type.
    sampleRate(bits);
    coreType = objectType(bits);
  }
  let samplesPerFrame = 1024;
  if ([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].includes(coreType) && bits.remaining > 0 && bits.flag()) samplesPerFrame = 960;
  return { objectType: type, sampleRateHz, channels, samplesPerFrame };
}

/** Builds a two-byte AudioSpecificConfig for a plain object type, rate and channel count. */
export function buildAacConfig(objectTypeValue: number, sampleRateHz: number, channels: number): Uint8Array {
  const index = AAC_SAMPLE_RATES.indexOf(sampleRateHz);
  if (index < 0 || objectTypeValue >= 31) throw new MediaFormatError(`cannot build a short AudioSpecificConfig for ${sampleRateHz} Hz`);
  return Uint8Array.of((objectTypeValue << 3) | (index >> 1), ((index & 1) << 7) | (channels << 3));
}

/** The codec string, e.g. `mp4a.40.2`. */
export function aacCodecString(config: Pick<AacConfig, 'objectType'>): string {
  return `mp4a.40.${config.objectType}`;
}
