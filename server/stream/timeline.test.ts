import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline, type TimedTrack } from './timeline.ts';

/** A timeline on a fake wall clock that a test moves. */
function timeline() {
  let wallMs = 1_000_000;
  const line = new Timeline(() => wallMs);
  line.startSession(1000);
  return {
    line,
    advance: (ms: number) => (wallMs += ms),
    /** Maps frames that arrive together (the wall clock does not move between them). */
    frames: (track: TimedTrack, raws: number[]): number[] => raws.map((raw) => line.map(track, raw).timestampMs),
  };
}

const range = (from: number, count: number, step: number) => Array.from({ length: count }, (_, i) => from + i * step);

describe('the stream timeline', () => {
  it('starts a publisher at 0 and keeps its own timestamps from there', () => {
    const { frames } = timeline();
    expect(frames('video', [5000, 5033, 5067])).toEqual([0, 33, 67]);
  });

  it('keeps the offset of tracks on different bases: video 3 s ahead of audio stays 3 s ahead', () => {
    const { line } = timeline();
    line.setBase(0); // the earliest first frame, as the stream learns it while it holds a publisher's first messages
    expect(line.map('video', 3000).timestampMs).toBe(3000);
    expect([0, 21, 43].map((raw) => line.map('audio', raw).timestampMs)).toEqual([0, 21, 43]);
  });

  it('shifts every track together when a track turns up earlier than the base', () => {
    const { line } = timeline();
    expect(line.map('video', 3000).timestampMs).toBe(0);
    expect(line.map('audio', 0).timestampMs).toBe(0);
    // Video moves on by the 3 s the audio started earlier; the two keep their offset from here.
    expect(line.map('video', 3033).timestampMs).toBe(3033);
    expect(line.map('audio', 21).timestampMs).toBe(21);
  });

  it('cuts out a jump of hours forward (a capture card re-syncing), applying the same correction to every track', () => {
    const { frames, advance } = timeline();
    const video = frames('video', range(0, 10, 33));
    const audio = frames('audio', range(0, 10, 21));
    advance(40);
    const jump = 16_920_000;
    const afterVideo = frames('video', [330 + jump, 363 + jump]);
    const afterAudio = frames('audio', [210 + jump, 231 + jump]);
    expect(video.at(-1)).toBe(297);
    expect(afterVideo).toEqual([330, 363]);
    expect(audio.at(-1)).toBe(189);
    expect(afterAudio).toEqual([210, 231]);
  });

  it('tells a jump from a pause by the wall clock: a real 10 s gap stays a gap', () => {
    const { frames, advance } = timeline();
    frames('video', [0, 33]);
    advance(10_000);
    expect(frames('video', [10_033])).toEqual([10_033]);
  });

  it('continues after a clock that restarts at 0, one frame on', () => {
    const { frames } = timeline();
    frames('video', range(0, 150, 33));
    expect(frames('video', [0, 33, 66])).toEqual([149 * 33 + 33, 149 * 33 + 66, 149 * 33 + 99]);
  });

  it('holds small steps back (jitter) at the last time, and follows a 32-bit wrap forward', () => {
    const { frames, line } = timeline();
    expect(frames('audio', [1000, 1021, 1019, 1042])).toEqual([0, 21, 21, 42]);
    const wrap = new Timeline(() => 0);
    wrap.startSession(1000);
    expect([0xffff_ff00, 0xffff_ff21, 0x10].map((raw) => wrap.map('video', raw).timestampMs)).toEqual([0, 0x21, 0x110]);
    expect(line.lastTimestampMs).toBe(42);
  });

  it('continues the stream’s time across publishers, a second after the last one ended', () => {
    const { frames, line } = timeline();
    frames('video', [100, 133]);
    line.startSession(1000);
    expect(frames('video', [777_000])).toEqual([1033]);
  });

  it('never lets time go back on a track, whatever the publisher sends (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<TimedTrack>('audio', 'video'), fc.integer({ min: 0, max: 0xffff_ffff }), fc.nat(5000)), {
          maxLength: 200,
        }),
        (messages) => {
          let wallMs = 0;
          const line = new Timeline(() => wallMs);
          line.startSession(1000);
          const last: Record<TimedTrack, number> = { audio: -1, video: -1 };
          for (const [track, raw, wallStep] of messages) {
            wallMs += wallStep;
            const { timestampMs } = line.map(track, raw);
            expect(timestampMs).toBeGreaterThanOrEqual(Math.max(0, last[track]));
            expect(Number.isFinite(timestampMs)).toBe(true);
            last[track] = timestampMs;
          }
        },
      ),
    );
  });
});
