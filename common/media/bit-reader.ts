/**
 * A bit reader for codec headers, with the Exp-Golomb codes of H.264 / H.265 (ITU-T H.264
 * section 9.1) and removal of emulation prevention bytes (7.4.1: 0x000003 → 0x0000).
 */
import { MediaFormatError } from './errors.ts';

/** Strips emulation prevention bytes, turning a NAL unit's payload into its RBSP. */
export function nalToRbsp(nal: Uint8Array): Uint8Array {
  let zeros = 0;
  let hasEscape = false;
  for (let i = 0; i < nal.length; i++) {
    if (zeros >= 2 && nal[i] === 3) {
      hasEscape = true;
      break;
    }
    zeros = nal[i] === 0 ? zeros + 1 : 0;
  }
  if (!hasEscape) return nal;
  const out = new Uint8Array(nal.length);
  let length = 0;
  zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const byte = nal[i]!;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

/** Reads bits most-significant first; running past the end throws `MediaFormatError`. */
export class BitReader {
  private readonly bytes: Uint8Array;
  private bit = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Bits left. */
  get remaining(): number {
    return this.bytes.length * 8 - this.bit;
  }

  /** An unsigned value of up to 32 bits, u(n). */
  u(count: number): number {
    if (count > this.remaining) throw new MediaFormatError(`bitstream ended: need ${count} bits, have ${this.remaining}`);
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.bytes[this.bit >> 3]!;
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }

  /** One bit as a boolean. */
  flag(): boolean {
    return this.u(1) === 1;
  }

  skip(count: number): void {
    if (count > this.remaining) throw new MediaFormatError(`bitstream ended: cannot skip ${count} bits`);
    this.bit += count;
  }

  /** Unsigned Exp-Golomb, ue(v). */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      if (++zeros > 31) throw new MediaFormatError('Exp-Golomb code longer than 32 bits');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.u(zeros);
  }

  /** Signed Exp-Golomb, se(v). */
  se(): number {
    const code = this.ue();
    return code % 2 === 1 ? (code + 1) / 2 : -(code / 2);
  }
}
