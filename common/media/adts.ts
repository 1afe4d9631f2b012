/**
 * ADTS, the self-delimiting AAC framing ffmpeg writes to a pipe (ISO/IEC 13818-7 6.2 and
 * ISO/IEC 14496-3 1.A.2.2: adts_fixed_header, adts_variable_header, adts_error_check). The
 * reader takes byte slices of any size and hands out raw AAC frames plus the
 * AudioSpecificConfig the header implies, which is what FLV and MP4 carry instead.
 */
import { AAC_SAMPLE_RATES, buildAacConfig } from './aac.ts';
import { MediaFormatError } from './errors.ts';

/** One AAC frame out of an ADTS stream. */
export interface AdtsFrame {
  /** The raw_data_block, without the ADTS header or CRC. */
  data: Uint8Array;
  /** AudioSpecificConfig (object type, rate, channels) from the header. */
  config: Uint8Array;
  sampleRateHz: number;
  channels: number;
  /** PCM samples per channel this frame decodes to (1024 for AAC-LC). */
  samples: number;
}

const HEADER_BYTES = 7;
/** frame_length is 13 bits. */
const MAX_FRAME_BYTES = 8191;

/** Splits an ADTS byte stream into AAC frames. Throws `MediaFormatError` where a header is wrong. */
export class AdtsReader {
  private pending = new Uint8Array(0);
  private readonly onFrame: (frame: AdtsFrame) => void;
  private lastConfig: Uint8Array | null = null;

  constructor(onFrame: (frame: AdtsFrame) => void) {
    this.onFrame = onFrame;
  }

  /** Bytes held until the rest of their frame arrives. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  feed(bytes: Uint8Array): void {
    let data = bytes;
    if (this.pending.length) {
      data = new Uint8Array(this.pending.length + bytes.length);
      data.set(this.pending);
      data.set(bytes, this.pending.length);
    }
    let p = 0;
    while (data.length - p >= HEADER_BYTES) {
      if (data[p] !== 0xff || (data[p + 1]! & 0xf6) !== 0xf0) throw new MediaFormatError(`no ADTS syncword at byte ${p}`);
      const protectionAbsent = (data[p + 1]! & 1) === 1;
      const profile = data[p + 2]! >> 6;
      const rateIndex = (data[p + 2]! >> 2) & 0x0f;
      const channels = ((data[p + 2]! & 1) << 2) | (data[p + 3]! >> 6);
      const frameLength = ((data[p + 3]! & 3) << 11) | (data[p + 4]! << 3) | (data[p + 5]! >> 5);
      const blocks = (data[p + 6]! & 3) + 1;
      const headerLength = protectionAbsent ? HEADER_BYTES : HEADER_BYTES + 2;
      const sampleRateHz = AAC_SAMPLE_RATES[rateIndex];
      if (sampleRateHz === undefined) throw new MediaFormatError(`reserved ADTS sampling frequency index ${rateIndex}`);
      if (channels === 0) throw new MediaFormatError('ADTS channel configuration 0 (in-band PCE) is not supported');
      if (blocks !== 1) throw new MediaFormatError(`ADTS frames of ${blocks} raw data blocks are not supported`);
      if (frameLength <= headerLength || frameLength > MAX_FRAME_BYTES)
        throw new MediaFormatError(`ADTS frame length ${frameLength} is invalid`);
      if (data.length - p < frameLength) break;
      const config = this.configFor(profile + 1, sampleRateHz, channels);
      this.onFrame({ data: data.slice(p + headerLength, p + frameLength), config, sampleRateHz, channels, samples: 1024 });
      p += frameLength;
    }
    this.pending = data.slice(p);
  }

  /** Reuses the last config while the header's fields stay the same. */
  private configFor(objectType: number, sampleRateHz: number, channels: number): Uint8Array {
    const next = buildAacConfig(objectType, sampleRateHz, channels);
    if (this.lastConfig && this.lastConfig[0] === next[0] && this.lastConfig[1] === next[1]) return this.lastConfig;
    this.lastConfig = next;
    return next;
  }
}
