/**
 * Bounds-checked big-endian reading and growable writing on `Uint8Array`, shared by every
 * codec in this folder. Reads past the end throw `MediaFormatError`, never return garbage.
 */
import { MediaFormatError } from './errors.ts';

/** Reads big-endian fields from a byte array, checking every read against the end. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  offset: number;
  /** Exclusive end of the readable range. */
  readonly end: number;

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
    this.end = end;
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `count` more bytes can be read. */
  need(count: number, what = 'field'): void {
    if (count < 0 || this.offset + count > this.end)
      throw new MediaFormatError(`truncated ${what}: need ${count} bytes at offset ${this.offset}, have ${this.end - this.offset}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u24(): number {
    this.need(3);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 3;
    return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
  }

  /** Signed 24-bit (FLV composition time, SI24). */
  i24(): number {
    const value = this.u24();
    return value & 0x800000 ? value - 0x1000000 : value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  i16(): number {
    this.need(2);
    const value = this.view.getInt16(this.offset);
    this.offset += 2;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset);
    this.offset += 8;
    return value;
  }

  /** A view (not a copy) of the next `count` bytes. */
  bytesView(count: number, what = 'bytes'): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  skip(count: number, what = 'bytes'): void {
    this.need(count, what);
    this.offset += count;
  }
}

/** Appends big-endian fields to a buffer that grows as needed. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buffer.buffer);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  u24(value: number): this {
    this.ensure(3);
    this.buffer[this.length] = (value >>> 16) & 0xff;
    this.buffer[this.length + 1] = (value >>> 8) & 0xff;
    this.buffer[this.length + 2] = value & 0xff;
    this.length += 3;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, value >>> 0);
    this.length += 4;
    return this;
  }

  i32(value: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, value);
    this.length += 4;
    return this;
  }

  /** Unsigned 64-bit from a non-negative safe integer. */
  u64(value: number): this {
    this.u32(Math.floor(value / 0x1_0000_0000));
    return this.u32(value % 0x1_0000_0000);
  }

  i16(value: number): this {
    this.ensure(2);
    this.view.setInt16(this.length, value);
    this.length += 2;
    return this;
  }

  f64(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** ASCII only (four-character codes, box types). */
  ascii(text: string): this {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i) & 0x7f;
    return this;
  }

  zeros(count: number): this {
    this.ensure(count);
    this.buffer.fill(0, this.length, this.length + count);
    this.length += count;
    return this;
  }

  /** Overwrites a 32-bit field written earlier (box sizes). */
  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value >>> 0);
  }

  /** The bytes written so far (a view; copy it if the writer is reused). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD). */
export function utf8Decode(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** A four-character code read as ASCII. */
export function fourCcToString(value: number): string {
  return String.fromCharCode((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** The 32-bit value of a four-character code. */
export function fourCc(code: string): number {
  return ((code.charCodeAt(0) << 24) | (code.charCodeAt(1) << 16) | (code.charCodeAt(2) << 8) | code.charCodeAt(3)) >>> 0;
}
