/**
 * The binary media channel's frame. Encoded chunks and PCM travel as transferable
 * `ArrayBuffer`s: over a MessagePort in Electron (the header fields ride beside the
 * buffer) and as binary WebSocket frames on the web host (a fixed 16-byte header,
 * then the payload). Never JSON, never base64.
 */

/** What a frame carries; the host routes on this. */
export const MediaKind = {
  /** Diagnostics: the host sends the frame straight back. */
  loopback: 0,
  /** One encoded video chunk (H.264 Annex B or AVCC, per the output's configuration). */
  video: 1,
  /**
   * Interleaved signed 16-bit PCM (s16le), 48 kHz stereo: half the bytes of float32 and what
   * the host's AAC child reads as it is (`pcmS16FromFloat` converts the mixer's blocks).
   */
  audioPcm: 2,
  /**
   * Host → renderer: how many payload bytes of video and PCM the host has taken in so far
   * (a float64 in the payload), so the renderer knows how far behind the host is.
   */
  ack: 3,
  /** A still picture (PNG) for `recording.saveScreenshot`; the track is the request id. */
  image: 4,
} as const;
export type MediaKind = (typeof MediaKind)[keyof typeof MediaKind];

/** Frame flag bits. */
export const MediaFlags = { keyframe: 1, config: 2 } as const;

/** One media frame. `payload` is the buffer that gets transferred. */
export interface MediaFrame {
  kind: MediaKind;
  /** Bit set of `MediaFlags`. */
  flags: number;
  /** Which track or output this belongs to, 0..65535. */
  track: number;
  /** Presentation time on the studio's shared clock, microseconds. */
  timestampUs: number;
  payload: ArrayBuffer;
}

export const MEDIA_HEADER_BYTES = 16;
const MAGIC = 0x54; // 'T'
const VERSION = 1;
/** Largest payload either side accepts: a 4K keyframe fits with room to spare. */
export const MAX_MEDIA_PAYLOAD_BYTES = 16 * 1024 * 1024;

const knownKinds = new Set<number>(Object.values(MediaKind));

/** Serialises a frame for a byte transport: 16-byte header, then the payload. Throws past the size the decoder accepts. */
export function encodeMediaFrame(frame: MediaFrame): Uint8Array<ArrayBuffer> {
  if (frame.payload.byteLength > MAX_MEDIA_PAYLOAD_BYTES)
    throw new RangeError(`media payload of ${frame.payload.byteLength} bytes is over the limit of ${MAX_MEDIA_PAYLOAD_BYTES}`);
  const bytes = new Uint8Array(MEDIA_HEADER_BYTES + frame.payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, MAGIC);
  view.setUint8(1, VERSION);
  view.setUint8(2, frame.kind);
  view.setUint8(3, frame.flags);
  view.setUint16(4, frame.track);
  view.setUint16(6, 0);
  view.setFloat64(8, frame.timestampUs);
  bytes.set(new Uint8Array(frame.payload), MEDIA_HEADER_BYTES);
  return bytes;
}

/** Parses a frame from a byte transport; throws a clear error on anything malformed. */
export function decodeMediaFrame(bytes: Uint8Array): MediaFrame {
  if (bytes.byteLength < MEDIA_HEADER_BYTES) throw new RangeError(`media frame of ${bytes.byteLength} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== MAGIC || view.getUint8(1) !== VERSION) throw new RangeError('not a Tally media frame (bad magic or version)');
  const kind = view.getUint8(2);
  if (!knownKinds.has(kind)) throw new RangeError(`unknown media kind ${kind}`);
  const payloadBytes = bytes.byteLength - MEDIA_HEADER_BYTES;
  if (payloadBytes > MAX_MEDIA_PAYLOAD_BYTES) throw new RangeError(`media payload of ${payloadBytes} bytes is over the limit`);
  const timestampUs = view.getFloat64(8);
  if (!Number.isFinite(timestampUs)) throw new RangeError('media timestamp is not a finite number');
  // Copy into a buffer of its own: `bytes` may be a view into a larger pool (Node's Buffer).
  // `ArrayBuffer.slice` copies natively without zero-filling first (several times cheaper per frame).
  const start = bytes.byteOffset + MEDIA_HEADER_BYTES;
  const payload = (bytes.buffer as ArrayBuffer).slice(start, start + payloadBytes);
  return { kind: kind as MediaKind, flags: view.getUint8(3), track: view.getUint16(4), timestampUs, payload };
}

/** An ack frame: the host has taken in `totalBytes` payload bytes from this peer. */
export function ackFrame(totalBytes: number): MediaFrame {
  const payload = new ArrayBuffer(8);
  new DataView(payload).setFloat64(0, totalBytes);
  return { kind: MediaKind.ack, flags: 0, track: 0, timestampUs: 0, payload };
}

/** The byte count an ack frame carries, or null when it is not a well-formed ack. */
export function readAck(frame: MediaFrame): number | null {
  if (frame.kind !== MediaKind.ack || frame.payload.byteLength !== 8) return null;
  const total = new DataView(frame.payload).getFloat64(0);
  return Number.isFinite(total) && total >= 0 ? total : null;
}

/** Checks a frame that arrived as a structured-clone object (MessagePort). */
export function validateMediaFrame(value: unknown): MediaFrame {
  if (typeof value !== 'object' || value === null) throw new TypeError('media frame is not an object');
  const frame = value as Record<string, unknown>;
  const { kind, flags, track, timestampUs, payload } = frame;
  if (typeof kind !== 'number' || !knownKinds.has(kind)) throw new TypeError(`unknown media kind ${String(kind)}`);
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 255) throw new TypeError('media flags out of range');
  if (typeof track !== 'number' || !Number.isInteger(track) || track < 0 || track > 0xffff) throw new TypeError('media track out of range');
  if (typeof timestampUs !== 'number' || !Number.isFinite(timestampUs)) throw new TypeError('media timestamp is not a finite number');
  if (!(payload instanceof ArrayBuffer)) throw new TypeError('media payload is not an ArrayBuffer');
  if (payload.byteLength > MAX_MEDIA_PAYLOAD_BYTES) throw new RangeError(`media payload of ${payload.byteLength} bytes is over the limit`);
  return { kind: kind as MediaKind, flags, track, timestampUs, payload };
}

/**
 * The mixer's float samples (nominally −1..1) as signed 16-bit PCM for `MediaKind.audioPcm`:
 * clamped, scaled by 32767 and rounded, in the platform's byte order (little-endian on every
 * platform Tally runs on, which is what the host's `-f s16le` reads).
 */
export function pcmS16FromFloat(samples: Float32Array): Int16Array<ArrayBuffer> {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    out[i] = Math.round((sample > 1 ? 1 : sample < -1 ? -1 : sample) * 32767);
  }
  return out;
}
