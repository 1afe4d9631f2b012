import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ackFrame,
  decodeMediaFrame,
  encodeMediaFrame,
  MAX_MEDIA_PAYLOAD_BYTES,
  MEDIA_HEADER_BYTES,
  MediaKind,
  readAck,
  validateMediaFrame,
  type MediaFrame,
} from './media-frame.ts';

const frameArbitrary = fc.record({
  kind: fc.constantFrom(...Object.values(MediaKind)),
  flags: fc.integer({ min: 0, max: 255 }),
  track: fc.integer({ min: 0, max: 0xffff }),
  timestampUs: fc.double({ noNaN: true, noDefaultInfinity: true }),
  payload: fc.uint8Array({ maxLength: 4096 }).map((bytes) => bytes.slice().buffer),
});

describe('media frames on a byte transport', () => {
  it('round-trip every field and every payload byte', () => {
    fc.assert(
      fc.property(frameArbitrary, (frame: MediaFrame) => {
        const decoded = decodeMediaFrame(encodeMediaFrame(frame));
        expect(decoded).toMatchObject({ kind: frame.kind, flags: frame.flags, track: frame.track });
        expect(Object.is(decoded.timestampUs, frame.timestampUs)).toBe(true);
        expect(new Uint8Array(decoded.payload)).toEqual(new Uint8Array(frame.payload));
      }),
    );
  });

  it('decoding a frame inside a larger buffer returns only its own payload', () => {
    const encoded = encodeMediaFrame({
      kind: MediaKind.video,
      flags: 1,
      track: 2,
      timestampUs: 33_333,
      payload: new Uint8Array([9, 8, 7]).buffer,
    });
    const pool = new Uint8Array(encoded.byteLength + 100).fill(0xee);
    pool.set(encoded, 50);
    const decoded = decodeMediaFrame(pool.subarray(50, 50 + encoded.byteLength));
    expect(decoded.payload.byteLength).toBe(3);
    expect([...new Uint8Array(decoded.payload)]).toEqual([9, 8, 7]);
  });

  it('malformed bytes give a clear RangeError, never a crash or a bogus frame (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const frame = decodeMediaFrame(bytes);
          // Random bytes only decode when they happen to carry a valid header.
          expect(bytes[0]).toBe(0x54);
          expect(frame.payload.byteLength).toBe(bytes.byteLength - MEDIA_HEADER_BYTES);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 2000 },
    );
    expect(() => decodeMediaFrame(new Uint8Array(3))).toThrow(/shorter than its header/);
  });

  it('a structured-clone frame with a wrong field is refused', () => {
    const good = { kind: MediaKind.loopback, flags: 0, track: 1, timestampUs: 0, payload: new ArrayBuffer(4) };
    expect(validateMediaFrame(good)).toEqual(good);
    expect(() => validateMediaFrame({ ...good, kind: 99 })).toThrow(/unknown media kind/);
    expect(() => validateMediaFrame({ ...good, track: -1 })).toThrow(/track/);
    expect(() => validateMediaFrame({ ...good, payload: 'abc' })).toThrow(/ArrayBuffer/);
    expect(() => validateMediaFrame({ ...good, timestampUs: Number.NaN })).toThrow(/finite/);
    expect(() => validateMediaFrame(null)).toThrow(/not an object/);
  });

  it('refuses to encode a payload the decoder would refuse, so the limit is the same both ways', () => {
    const frame = { kind: MediaKind.video, flags: 0, track: 0, timestampUs: 0, payload: new ArrayBuffer(MAX_MEDIA_PAYLOAD_BYTES + 1) };
    expect(() => encodeMediaFrame(frame)).toThrow(/over the limit/);
    expect(encodeMediaFrame({ ...frame, payload: new ArrayBuffer(MAX_MEDIA_PAYLOAD_BYTES) }).byteLength).toBe(
      MEDIA_HEADER_BYTES + MAX_MEDIA_PAYLOAD_BYTES,
    );
  });

  it('an ack carries the byte count the host has taken in', () => {
    expect(readAck(decodeMediaFrame(encodeMediaFrame(ackFrame(123_456_789))))).toBe(123_456_789);
    expect(readAck({ kind: MediaKind.ack, flags: 0, track: 0, timestampUs: 0, payload: new ArrayBuffer(3) })).toBeNull();
    expect(readAck({ ...ackFrame(5), kind: MediaKind.video })).toBeNull();
  });
});
