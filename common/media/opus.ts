/**
 * Opus in FLV/RTMP (Enhanced RTMP v2, FourCC `Opus`): the sequence start carries the Opus
 * identification header, `OpusHead` (RFC 7845 section 5.1), which says how many channels the
 * stream has. Opus always decodes at 48 kHz; the header's input rate only describes the source.
 */
import { MediaFormatError } from './errors.ts';

/** What an OpusHead says. */
export interface OpusHead {
  /** Output channels (1 to 255). */
  channels: number;
  /** Samples (at 48 kHz) to drop from the decoder's output at the start. */
  preSkip: number;
  /** The sample rate of the original input, informational; 0 when unspecified. */
  inputSampleRateHz: number;
  /** The rate every Opus stream decodes at. */
  sampleRateHz: 48_000;
}

const MAGIC = 'OpusHead';

/** Parses an OpusHead. Throws `MediaFormatError` when it is not one. */
export function parseOpusHead(bytes: Uint8Array): OpusHead {
  if (bytes.length < 19) throw new MediaFormatError(`OpusHead of ${bytes.length} bytes (at least 19)`);
  for (let i = 0; i < MAGIC.length; i++)
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new MediaFormatError('Opus sequence start without the OpusHead magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = view.getUint8(8);
  // Only the major version (high nibble) breaks compatibility.
  if (version >> 4 !== 0) throw new MediaFormatError(`OpusHead version ${version}`);
  const channels = view.getUint8(9);
  if (channels === 0) throw new MediaFormatError('OpusHead with 0 channels');
  // Multi-byte fields are little-endian (RFC 7845 5.1).
  return { channels, preSkip: view.getUint16(10, true), inputSampleRateHz: view.getUint32(12, true), sampleRateHz: 48_000 };
}
