import { describe, expect, it } from 'vitest';
import { Mp4TrackIndex, progressiveMovieBox } from './mp4-index.ts';

/** The box types in a moov, depth first, with each box's version byte for full boxes we check. */
function walk(
  bytes: Uint8Array,
  at = 0,
  end = bytes.length,
  out: { type: string; body: Uint8Array }[] = [],
): { type: string; body: Uint8Array }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (at < end) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    out.push({ type, body: bytes.subarray(at + 8, at + size) });
    if (['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts'].includes(type)) walk(bytes, at + 8, at + size, out);
    at += size;
  }
  return out;
}

const track = {
  id: 1,
  kind: 'video' as const,
  timescale: 90_000,
  codec: 'avc1' as const,
  config: Uint8Array.of(1, 100, 0, 31, 0xff, 0xe0, 0),
  width: 16,
  height: 16,
};
const sample = (keyframe: boolean) => ({ durationTicks: 3000, data: new Uint8Array(10), keyframe, compositionOffsetTicks: 0 });

describe('the moov that finalises a hybrid recording', () => {
  it('writes sample tables that run-length the durations, list the keyframes and point at each chunk', () => {
    const index = new Mp4TrackIndex(track);
    index.addChunk([sample(true), sample(false), sample(false)], 1000, 0);
    index.addChunk([sample(true), sample(false)], 5000, 9000);
    const boxes = walk(progressiveMovieBox([index]));
    const body = (type: string) =>
      new DataView(boxes.find((box) => box.type === type)!.body.buffer, boxes.find((box) => box.type === type)!.body.byteOffset);
    expect([body('stts').getUint32(4), body('stts').getUint32(8), body('stts').getUint32(12)]).toEqual([1, 5, 3000]);
    expect([body('stss').getUint32(4), body('stss').getUint32(8), body('stss').getUint32(12)]).toEqual([2, 1, 4]);
    expect([body('stco').getUint32(4), body('stco').getUint32(8), body('stco').getUint32(12)]).toEqual([2, 1000, 5000]);
    // stsc: chunk 1 holds 3 samples, chunk 2 holds 2.
    expect([
      body('stsc').getUint32(4),
      body('stsc').getUint32(8),
      body('stsc').getUint32(12),
      body('stsc').getUint32(20),
      body('stsc').getUint32(24),
    ]).toEqual([2, 1, 3, 2, 2]);
    expect(boxes.some((box) => box.type === 'co64')).toBe(false);
  });

  it('switches to 64-bit fields where a long recording needs them: co64 past 4 GiB, mdhd version 1 past 13 hours', () => {
    const index = new Mp4TrackIndex(track);
    index.addChunk([sample(true)], 5 * 1024 ** 3, 0);
    index.addChunk([{ ...sample(false), durationTicks: 2 ** 32 }], 6 * 1024 ** 3, 3000);
    const boxes = walk(progressiveMovieBox([index]));
    const co64 = boxes.find((box) => box.type === 'co64')!;
    expect(co64).toBeDefined();
    const view = new DataView(co64.body.buffer, co64.body.byteOffset);
    expect(Number(view.getBigUint64(8))).toBe(5 * 1024 ** 3);
    const mdhd = boxes.find((box) => box.type === 'mdhd')!;
    expect(mdhd.body[0]).toBe(1);
    expect(Number(new DataView(mdhd.body.buffer, mdhd.body.byteOffset).getBigUint64(24))).toBe(3000 + 2 ** 32);
  });
});
