import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.ts';
import { RTMP_HANDSHAKE_SIZE, RtmpClientHandshake, RtmpServerHandshake, findClientDigest, type HandshakeCrypto } from './rtmp-handshake.ts';

const crypto: HandshakeCrypto = {
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
  randomBytes: (count) => new Uint8Array(randomBytes(count)),
};

const tail = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
const playerKey = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001'), tail]);
const serverKey = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001'), tail]);
const hmac = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest();
};

/** A C1 as ffmpeg's rtmp_handshake builds it: version field set, digest at the offset the bytes at 8..11 give. */
function ffmpegStyleC1(): Buffer {
  const c1 = randomBytes(RTMP_HANDSHAKE_SIZE);
  c1.writeUInt32BE(0, 0);
  c1.set([0x80, 0x00, 0x07, 0x02], 4);
  const at = ((c1[8]! + c1[9]! + c1[10]! + c1[11]!) % 728) + 12;
  c1.set(hmac(playerKey.subarray(0, 30), c1.subarray(0, at), c1.subarray(at + 32)), at);
  return c1;
}

function runServer(c0c1: Uint8Array, c2: Uint8Array, pieces = 1) {
  const server = new RtmpServerHandshake(crypto, () => 1234);
  const all = Buffer.concat([c0c1, c2, Buffer.from('after')]);
  const step = Math.ceil(all.length / pieces);
  const replies: Uint8Array[] = [];
  let remainder: Uint8Array | undefined;
  for (let i = 0; i < all.length; i += step) {
    const result = server.feed(all.subarray(i, i + step));
    if (result.reply) replies.push(result.reply);
    if (result.done) remainder = result.remainder;
  }
  return { reply: Buffer.concat(replies), remainder };
}

describe('RTMP handshake', () => {
  it('answers a simple C1 with S2 echoing it and hands over the bytes after C2', () => {
    const c1 = randomBytes(RTMP_HANDSHAKE_SIZE).fill(0, 4, 8);
    for (const pieces of [1, 7, 400]) {
      const { reply, remainder } = runServer(Buffer.concat([Buffer.of(3), c1]), randomBytes(RTMP_HANDSHAKE_SIZE), pieces);
      expect(reply.length).toBe(1 + 2 * RTMP_HANDSHAKE_SIZE);
      expect(reply[0]).toBe(3);
      expect(reply.readUInt32BE(1)).toBe(1234);
      expect(reply.subarray(5, 9)).toEqual(Buffer.alloc(4));
      const s2 = reply.subarray(1 + RTMP_HANDSHAKE_SIZE);
      expect(s2.subarray(8)).toEqual(c1.subarray(8));
      expect(Buffer.from(remainder!).toString()).toBe('after');
    }
  });

  it('answers the digest C1 ffmpeg sends with an S1 and S2 that ffmpeg would validate', () => {
    const c1 = ffmpegStyleC1();
    const digest = findClientDigest(crypto, c1);
    expect(digest?.base).toBe(8);
    const { reply } = runServer(Buffer.concat([Buffer.of(3), c1]), randomBytes(RTMP_HANDSHAKE_SIZE));
    const s1 = reply.subarray(1, 1 + RTMP_HANDSHAKE_SIZE);
    const s2 = reply.subarray(1 + RTMP_HANDSHAKE_SIZE);
    expect(s1[4]).toBeGreaterThanOrEqual(3); // ffmpeg validates only when this byte is >= 3
    // ffmpeg: rtmp_validate_digest(S1, 772), falling back to 8.
    const at = ((s1[8]! + s1[9]! + s1[10]! + s1[11]!) % 728) + 12;
    expect(hmac(serverKey.subarray(0, 36), s1.subarray(0, at), s1.subarray(at + 32))).toEqual(Buffer.from(s1.subarray(at, at + 32)));
    // ffmpeg: the S2 signature is keyed by HMAC(server key, C1's digest).
    const signingKey = hmac(serverKey, digest!.digest);
    expect(hmac(signingKey, s2.subarray(0, RTMP_HANDSHAKE_SIZE - 32))).toEqual(Buffer.from(s2.subarray(RTMP_HANDSHAKE_SIZE - 32)));
  });

  it('falls back to the simple answer when a C1 with a version field has no valid digest', () => {
    const c1 = randomBytes(RTMP_HANDSHAKE_SIZE);
    c1.set([9, 0, 124, 2], 4);
    expect(findClientDigest(crypto, c1)).toBeNull();
    const { reply } = runServer(Buffer.concat([Buffer.of(3), c1]), randomBytes(RTMP_HANDSHAKE_SIZE));
    expect(reply.subarray(1 + RTMP_HANDSHAKE_SIZE + 8)).toEqual(c1.subarray(8));
  });

  it('refuses RTMPE and other versions', () => {
    const server = new RtmpServerHandshake(crypto, () => 0);
    expect(() => server.feed(Buffer.concat([Buffer.of(6), randomBytes(RTMP_HANDSHAKE_SIZE)]))).toThrow(/RTMPE/);
    expect(() => new RtmpServerHandshake(crypto, () => 0).feed(Buffer.concat([Buffer.of(0x47), randomBytes(RTMP_HANDSHAKE_SIZE)]))).toThrow(
      MediaFormatError,
    );
  });

  it('completes against its own client', () => {
    const client = new RtmpClientHandshake(crypto);
    const server = new RtmpServerHandshake(crypto, () => 0);
    const first = server.feed(client.hello);
    const answer = client.feed(first.reply!);
    expect(answer.done).toBe(true);
    expect(server.feed(answer.reply!).done).toBe(true);
  });

  it('handles arbitrary bytes with a reply or MediaFormatError only (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: RTMP_HANDSHAKE_SIZE, maxLength: RTMP_HANDSHAKE_SIZE }),
        (version, c1) => {
          try {
            const step = new RtmpServerHandshake(crypto, () => 0).feed(Uint8Array.of(version, ...c1));
            expect(step.reply?.length).toBe(1 + 2 * RTMP_HANDSHAKE_SIZE);
          } catch (error) {
            expect(error).toBeInstanceOf(MediaFormatError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
