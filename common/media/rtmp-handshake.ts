/**
 * The RTMP handshake, both sides, as incremental state machines on bytes.
 * Spec: Adobe RTMP specification 1.0, section 5.2 (C0/C1/C2, S0/S1/S2: version byte, then
 * 1536-byte blocks). Flash-era clients (and ffmpeg, OBS's librtmp in some modes) put an
 * HMAC-SHA256 digest inside C1, the "complex" handshake Adobe never documented; we answer it
 * in kind when C1's digest validates (as nginx-rtmp and SRS do) and with the simple handshake
 * otherwise. The HMAC comes from the caller, so this file stays free of platform crypto.
 */
import { concatBytes } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** Size of C1, C2, S1 and S2. */
export const RTMP_HANDSHAKE_SIZE = 1536;
/** The only plain-RTMP version (C0/S0). 6 would be RTMPE, which is not supported. */
export const RTMP_VERSION = 3;
const DIGEST_SIZE = 32;

/** What the handshake needs from the platform: HMAC-SHA256 and random bytes. */
export interface HandshakeCrypto {
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  randomBytes(count: number): Uint8Array;
}

const keyTail = [
  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57, 0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80, 0x6f,
  0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae,
];
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** "Genuine Adobe Flash Player 001" + the shared tail: the client's key. */
const FP_KEY = concatBytes([ascii('Genuine Adobe Flash Player 001'), Uint8Array.from(keyTail)]);
/** "Genuine Adobe Flash Media Server 001" + the shared tail: the server's key. */
const FMS_KEY = concatBytes([ascii('Genuine Adobe Flash Media Server 001'), Uint8Array.from(keyTail)]);
const FP_KEY_SHORT = FP_KEY.subarray(0, 30);
const FMS_KEY_SHORT = FMS_KEY.subarray(0, 36);

/** Where the digest sits for the two C1 layouts: the 4 offset bytes start at 8 or at 772. */
function digestOffset(block: Uint8Array, base: 8 | 772): number {
  const sum = block[base]! + block[base + 1]! + block[base + 2]! + block[base + 3]!;
  return (sum % 728) + base + 4;
}

function digestOver(crypto: HandshakeCrypto, block: Uint8Array, at: number, key: Uint8Array): Uint8Array {
  const message = concatBytes([block.subarray(0, at), block.subarray(at + DIGEST_SIZE)]);
  return crypto.hmacSha256(key, message);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Finds a valid client digest in C1, or null for a simple-handshake C1. */
export function findClientDigest(crypto: HandshakeCrypto, c1: Uint8Array): { base: 8 | 772; digest: Uint8Array } | null {
  // A zero version field means a simple-handshake client (spec 5.2.3: "zero" field).
  if (c1[4] === 0 && c1[5] === 0 && c1[6] === 0 && c1[7] === 0) return null;
  for (const base of [772, 8] as const) {
    const at = digestOffset(c1, base);
    const digest = c1.subarray(at, at + DIGEST_SIZE);
    if (sameBytes(digestOver(crypto, c1, at, FP_KEY_SHORT), digest)) return { base, digest };
  }
  return null;
}

/** Builds S0+S1+S2 for a C1: the digest variant when C1 carries a valid digest, else the simple echo. */
export function serverHandshakeReply(crypto: HandshakeCrypto, c1: Uint8Array, uptimeMs: number): Uint8Array {
  const reply = new Uint8Array(1 + 2 * RTMP_HANDSHAKE_SIZE);
  reply[0] = RTMP_VERSION;
  const s1 = reply.subarray(1, 1 + RTMP_HANDSHAKE_SIZE);
  const s2 = reply.subarray(1 + RTMP_HANDSHAKE_SIZE);
  s1.set(crypto.randomBytes(RTMP_HANDSHAKE_SIZE));
  new DataView(s1.buffer, s1.byteOffset).setUint32(0, uptimeMs >>> 0);
  const client = findClientDigest(crypto, c1);
  if (!client) {
    s1.fill(0, 4, 8);
    // S2 echoes C1 (spec 5.2.4), with the time we read it in the second field.
    s2.set(c1);
    new DataView(s2.buffer, s2.byteOffset).setUint32(4, uptimeMs >>> 0);
    return reply;
  }
  // Digest variant: S1 carries our digest in the client's layout; S2 is signed with a key derived from C1's digest.
  s1.set([0x04, 0x05, 0x00, 0x01], 4);
  const at = digestOffset(s1, client.base);
  s1.set(digestOver(crypto, s1, at, FMS_KEY_SHORT), at);
  s2.set(crypto.randomBytes(RTMP_HANDSHAKE_SIZE));
  const signingKey = crypto.hmacSha256(FMS_KEY, client.digest);
  s2.set(crypto.hmacSha256(signingKey, s2.subarray(0, RTMP_HANDSHAKE_SIZE - DIGEST_SIZE)), RTMP_HANDSHAKE_SIZE - DIGEST_SIZE);
  return reply;
}

/** The outcome of feeding bytes to a handshake. */
export interface HandshakeStep {
  /** Bytes to send to the peer now, if any. */
  reply?: Uint8Array;
  /** True once the handshake is complete; `remainder` then holds bytes that belong to the chunk stream. */
  done: boolean;
  remainder?: Uint8Array;
}

/** Buffers incoming bytes until it holds `size`, then hands them over. */
class Accumulator {
  private parts: Uint8Array[] = [];
  private length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** The first `size` bytes and the rest, or null while fewer have arrived. */
  take(size: number): { head: Uint8Array; rest: Uint8Array } | null {
    if (this.length < size) return null;
    const all = this.parts.length === 1 ? this.parts[0]! : concatBytes(this.parts);
    this.parts = [];
    this.length = 0;
    return { head: all.subarray(0, size), rest: all.subarray(size) };
  }
}

/** The server side: reads C0+C1, replies S0+S1+S2, reads C2. */
export class RtmpServerHandshake {
  private readonly crypto: HandshakeCrypto;
  private readonly uptimeMs: () => number;
  private readonly input = new Accumulator();
  private stage: 'c0c1' | 'c2' | 'done' = 'c0c1';

  constructor(crypto: HandshakeCrypto, uptimeMs: () => number) {
    this.crypto = crypto;
    this.uptimeMs = uptimeMs;
  }

  /** Feeds bytes from the client. Throws `MediaFormatError` for a version other than 3. */
  feed(bytes: Uint8Array): HandshakeStep {
    if (this.stage === 'done') return { done: true, remainder: bytes };
    this.input.push(bytes);
    let reply: Uint8Array | undefined;
    if (this.stage === 'c0c1') {
      const c0c1 = this.input.take(1 + RTMP_HANDSHAKE_SIZE);
      if (!c0c1) return { done: false };
      const version = c0c1.head[0]!;
      if (version !== RTMP_VERSION)
        throw new MediaFormatError(version === 6 ? 'RTMPE (encrypted RTMP) is not supported' : `unsupported RTMP version ${version}`);
      reply = serverHandshakeReply(this.crypto, c0c1.head.subarray(1), this.uptimeMs());
      this.stage = 'c2';
      this.input.push(c0c1.rest);
    }
    // C2 echoes S1; we do not check it (nginx-rtmp and SRS do not either), only wait for it.
    const c2 = this.input.take(RTMP_HANDSHAKE_SIZE);
    if (!c2) return reply ? { reply, done: false } : { done: false };
    this.stage = 'done';
    return { ...(reply ? { reply } : {}), done: true, remainder: c2.rest };
  }
}

/** The client side of the simple handshake: sends C0+C1, reads S0+S1+S2, sends C2. */
export class RtmpClientHandshake {
  private readonly input = new Accumulator();
  private done = false;
  /** C0+C1, to send first. */
  readonly hello: Uint8Array;

  constructor(crypto: HandshakeCrypto) {
    this.hello = new Uint8Array(1 + RTMP_HANDSHAKE_SIZE);
    this.hello[0] = RTMP_VERSION;
    this.hello.set(crypto.randomBytes(RTMP_HANDSHAKE_SIZE - 8), 9);
  }

  /** Feeds bytes from the server; replies C2 once S0+S1+S2 are in. */
  feed(bytes: Uint8Array): HandshakeStep {
    if (this.done) return { done: true, remainder: bytes };
    this.input.push(bytes);
    const s = this.input.take(1 + 2 * RTMP_HANDSHAKE_SIZE);
    if (!s) return { done: false };
    if (s.head[0] !== RTMP_VERSION) throw new MediaFormatError(`server answered RTMP version ${s.head[0]}`);
    this.done = true;
    // C2 echoes S1 (spec 5.2.4).
    return { reply: s.head.slice(1, 1 + RTMP_HANDSHAKE_SIZE), done: true, remainder: s.rest };
  }
}
