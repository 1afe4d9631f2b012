/**
 * Diagnostics: sends a buffer of random bytes through the media channel's loopback kind
 * and checks that exactly the same bytes come back.
 */
import { MediaKind } from '../../common/host/media-frame.ts';
import type { MediaChannel } from './media-channel.ts';

export interface LoopbackResult {
  bytes: number;
  roundTripMs: number;
  /** True when the returned bytes are identical to those sent. */
  intact: boolean;
}

const LOOPBACK_TRACK = 0xfffe;

export async function runMediaLoopback(media: MediaChannel, bytes: number, timeoutMs = 30_000): Promise<LoopbackResult> {
  await media.ready;
  const sent = new Uint8Array(bytes);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < bytes; offset += 65536) crypto.getRandomValues(sent.subarray(offset, Math.min(bytes, offset + 65536)));
  const expectedDigest = await digest(sent);
  const timestampUs = Math.round(performance.now() * 1000);
  const started = performance.now();
  const echoed = await new Promise<ArrayBuffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no loopback answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = media.onFrame((frame) => {
      if (frame.kind !== MediaKind.loopback || frame.track !== LOOPBACK_TRACK || frame.timestampUs !== timestampUs) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(frame.payload);
    });
    // The payload is transferred: send a copy so `sent` stays readable for comparison.
    media.send({ kind: MediaKind.loopback, flags: 0, track: LOOPBACK_TRACK, timestampUs, payload: sent.slice().buffer });
  });
  const roundTripMs = performance.now() - started;
  const intact = echoed.byteLength === bytes && (await digest(new Uint8Array(echoed))) === expectedDigest;
  return { bytes, roundTripMs, intact };
}

async function digest(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
