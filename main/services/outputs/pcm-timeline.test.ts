import { describe, expect, it } from 'vitest';
import { PcmTimeline } from './pcm-timeline.ts';

describe('the PCM timeline feeding the AAC encoder', () => {
  it('accepts blocks on time, pads a late block with silence and trims an early one', () => {
    const timeline = new PcmTimeline(48_000);
    expect(timeline.place(1_000_000, 960)).toEqual({ silenceFrames: 0, skipFrames: 0 });
    // 20 ms later, with 1 ms of jitter: left alone.
    expect(timeline.place(1_021_000, 960)).toEqual({ silenceFrames: 0, skipFrames: 0 });
    // A 100 ms gap (the device skipped): filled with silence.
    expect(timeline.place(1_140_000, 960)).toEqual({ silenceFrames: 4800, skipFrames: 0 });
    // 50 ms overlapping what was written: its head is dropped.
    expect(timeline.place(1_110_000, 4800)).toEqual({ silenceFrames: 0, skipFrames: 2400 });
    expect(timeline.nextUs).toBeCloseTo(1_000_000 + (timeline.samplesWritten * 1e6) / 48_000, 6);
  });

  it('fills silence up to a time when no PCM comes, and the next block lands after it', () => {
    const timeline = new PcmTimeline(48_000);
    expect(timeline.fillTo(2_000_000)).toBe(0);
    expect(timeline.fillTo(2_500_000)).toBe(24_000);
    expect(timeline.place(2_400_000, 960)).toEqual({ silenceFrames: 0, skipFrames: 960 });
    expect(timeline.place(2_520_000, 960)).toEqual({ silenceFrames: 960, skipFrames: 0 });
  });
});
