/**
 * The latency marker the benchmark puts in the stream: an H.264 SEI NAL unit
 * (user_data_unregistered, ITU-T H.264 D.1.7) carrying the wall-clock send time, placed first
 * in each access unit. Every server relays video payloads byte for byte, so the marker
 * survives whatever a server does to timestamps. Its digits are ASCII, so it never needs
 * emulation prevention.
 */

/** Identifies our SEI among others. */
const UUID = Uint8Array.from('TallyBenchMark01', (c) => c.charCodeAt(0));
const DIGITS = 16;
const SEI_SIZE = 2 + 1 + UUID.length + DIGITS + 1; // type, payload type, size, uuid, digits, trailing bits

/** Wall-clock time in microseconds, comparable across processes on one machine. */
export function wallClockUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** An AVC video tag body with the marker NAL unit inserted before its first NAL unit. */
export function withMarker(payload: Uint8Array, sentUs: number): Uint8Array {
  const out = new Uint8Array(payload.length + 4 + SEI_SIZE);
  out.set(payload.subarray(0, 5), 0);
  const view = new DataView(out.buffer);
  view.setUint32(5, SEI_SIZE);
  let p = 9;
  out[p++] = 0x06; // NAL unit type 6: SEI
  out[p++] = 0x05; // payloadType 5: user_data_unregistered
  out[p++] = UUID.length + DIGITS;
  out.set(UUID, p);
  p += UUID.length;
  const digits = String(sentUs).padStart(DIGITS, '0');
  for (let i = 0; i < DIGITS; i++) out[p++] = digits.charCodeAt(i);
  out[p++] = 0x80; // rbsp_trailing_bits
  out.set(payload.subarray(5), p);
  return out;
}

/** The send time in a marked AVC video tag body, or null. */
export function readMarker(payload: Uint8Array): number | null {
  if (payload.length < 9 + SEI_SIZE || (payload[0]! & 0x0f) !== 7 || payload[1] !== 1 || payload[9] !== 0x06 || payload[10] !== 0x05)
    return null;
  for (let i = 0; i < UUID.length; i++) if (payload[12 + i] !== UUID[i]) return null;
  let value = 0;
  for (let i = 0; i < DIGITS; i++) value = value * 10 + (payload[12 + UUID.length + i]! - 48);
  return value;
}
