/**
 * What a stream's tracks are, from their decoder configuration (per-codec normalisation, as
 * MediaMTX's formatprocessor): codec, RFC 6381 codec string, picture size, frame rate,
 * sample rate. A configuration that does not parse is a malformed stream (`MediaFormatError`).
 */
import { aacCodecString, parseAacConfig } from '../../common/media/aac.ts';
import { av1CodecString, parseAv1Config } from '../../common/media/av1.ts';
import { avcCodecString, parseAvcDecoderConfig, parseAvcSps } from '../../common/media/avc.ts';
import type { AudioCodec, AudioTagHeader, VideoCodec, VideoTagHeader } from '../../common/media/flv.ts';
import { hevcCodecString, parseHevcDecoderConfig, parseHevcSpsSize } from '../../common/media/hevc.ts';
import { parseOpusHead } from '../../common/media/opus.ts';

/** A video track. */
export interface VideoTrack {
  codec: VideoCodec;
  fourCc: string;
  /** RFC 6381, e.g. `avc1.64001f`; undefined for codecs HLS does not carry. */
  codecString?: string;
  width?: number;
  height?: number;
  /** From the bitstream (VUI timing); the stream also measures it. */
  fps?: number;
  /** The decoder configuration record (avcC / hvcC / av1C payload). */
  config: Uint8Array;
}

/** An audio track. */
export interface AudioTrack {
  codec: AudioCodec;
  codecString?: string;
  sampleRateHz?: number;
  channels?: number;
  /** PCM samples per coded frame (AAC: 1024). */
  samplesPerFrame?: number;
  /** AudioSpecificConfig for AAC. */
  config?: Uint8Array;
}

/** The video track a sequence header describes. */
export function videoTrackFrom(header: VideoTagHeader, record: Uint8Array): VideoTrack {
  const base = { codec: header.codec, fourCc: header.fourCc, config: record };
  switch (header.codec) {
    case 'avc': {
      const config = parseAvcDecoderConfig(record);
      const sps = parseAvcSps(config.sps[0]!);
      return { ...base, codecString: avcCodecString(config), width: sps.width, height: sps.height, ...(sps.fps ? { fps: sps.fps } : {}) };
    }
    case 'hevc': {
      const config = parseHevcDecoderConfig(record);
      const sps = config.nalUnits.find((array) => array.type === 33)?.units[0];
      return { ...base, codecString: hevcCodecString(config), ...(sps ? parseHevcSpsSize(sps) : {}) };
    }
    case 'av1':
      return { ...base, codecString: av1CodecString(parseAv1Config(record)) };
    default:
      return base;
  }
}

/** The audio track a sequence header (or, for codecs without one, the first frame) describes. */
export function audioTrackFrom(header: AudioTagHeader, data: Uint8Array): AudioTrack {
  if (header.codec === 'aac' && header.packet === 'sequenceStart') {
    const config = parseAacConfig(data);
    return {
      codec: 'aac',
      codecString: aacCodecString(config),
      sampleRateHz: config.sampleRateHz,
      channels: config.channels,
      samplesPerFrame: config.samplesPerFrame,
      config: data,
    };
  }
  if (header.codec === 'opus' && header.packet === 'sequenceStart') {
    const head = parseOpusHead(data);
    return {
      codec: 'opus',
      codecString: 'opus',
      sampleRateHz: head.sampleRateHz,
      channels: head.channels,
      samplesPerFrame: 960,
      config: data,
    };
  }
  return { codec: header.codec, ...(header.enhanced ? {} : { sampleRateHz: header.soundRateHz, channels: header.channels }) };
}

/** The short codec name the API shows (`h264`, `hevc`, `av1`, `aac`...). */
export function codecName(codec: VideoCodec | AudioCodec): string {
  return codec === 'avc' ? 'h264' : codec;
}
