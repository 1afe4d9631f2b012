import { describe, expect, it } from 'vitest';
import { AudioTimestamper, FramePacer, frameTimestampUs } from './timing.ts';

const SAMPLE_RATE = 48_000;
const BLOCK = 960; // 20 ms, what the PCM tap posts

/** A deterministic jitter source (xorshift), so a failure can be replayed. */
function jitter(seed: number) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0xffffffff) * 2 - 1;
  };
}

/**
 * Ten simulated minutes of audio from a device whose 48 kHz runs `ppm` off the system clock.
 * Each block's true capture time is known; observations of (sample position, clock) arrive
 * with a few ms of scheduling jitter, as getOutputTimestamp() pairs do in a real page.
 */
function simulate(ppm: number, stamp: 'corrected' | 'naive', seed = 7) {
  const deviceRate = SAMPLE_RATE * (1 + ppm / 1e6);
  const startUs = 2_500_000;
  const noise = jitter(seed);
  const stamper = new AudioTimestamper({ sampleRate: SAMPLE_RATE });
  const blocks = Math.round((10 * 60 * SAMPLE_RATE) / BLOCK);
  let worstErrorUs = 0;
  let worstStepErrorUs = 0;
  let previous: number | null = null;
  for (let block = 0; block < blocks; block++) {
    const frame = block * BLOCK;
    const trueUs = startUs + (frame / deviceRate) * 1e6;
    if (block % 5 === 0) stamper.observe({ sampleFrame: frame, clockUs: trueUs + noise() * 3000 });
    const stamped = stamp === 'corrected' ? stamper.stamp(frame, BLOCK) : (stamper.predictUs(0) ?? trueUs) + (frame / SAMPLE_RATE) * 1e6;
    if (block > 50) worstErrorUs = Math.max(worstErrorUs, Math.abs(stamped - trueUs));
    if (previous !== null) worstStepErrorUs = Math.max(worstStepErrorUs, Math.abs(stamped - previous - (BLOCK / SAMPLE_RATE) * 1e6));
    previous = stamped;
  }
  return { worstErrorUs, worstStepErrorUs };
}

describe('the shared clock', () => {
  it('stamps video frame n at exactly n/fps, with no rounding that accumulates over ten minutes', () => {
    expect(frameTimestampUs(0, 30)).toBe(0);
    expect(frameTimestampUs(1, 30)).toBe(33_333);
    expect(frameTimestampUs(3, 30)).toBe(100_000);
    expect(frameTimestampUs(10 * 60 * 60, 60)).toBe(600_000_000);
    expect(frameTimestampUs(10 * 60 * 30 - 1, 30)).toBe(599_966_667);
  });

  it('paces frames on the clock and counts the ones rendering lag skipped', () => {
    const pacer = new FramePacer(30, 1000);
    expect(pacer.due(1000)).toEqual({ index: 0, skipped: 0 });
    expect(pacer.due(1010)).toBeNull();
    expect(pacer.delayMs(1010)).toBeCloseTo(23.333, 2);
    expect(pacer.due(1034)).toEqual({ index: 1, skipped: 0 });
    // A 120 ms stall: frames 2, 3 and 4 were never rendered.
    expect(pacer.due(1000 + 5 * (1000 / 30) + 1)).toEqual({ index: 5, skipped: 3 });
  });

  it.each([0, 100, -100, 250])('keeps audio within a frame of the clock over ten minutes when the device runs %i ppm off', (ppm) => {
    const { worstErrorUs, worstStepErrorUs } = simulate(ppm, 'corrected');
    // Under one frame at 60 fps, with margin.
    expect(worstErrorUs).toBeLessThan(16_667 / 2);
    // Blocks stay contiguous: each follows the last by its length give or take 0.5 %.
    expect(worstStepErrorUs).toBeLessThanOrEqual((BLOCK / SAMPLE_RATE) * 1e6 * 0.005 + 1e-6);
  });

  it('(the control) stamping by sample count alone drifts by more than a frame at 100 ppm', () => {
    expect(simulate(100, 'naive').worstErrorUs).toBeGreaterThan(33_333);
  });

  it('restarts from the fit after a gap in the samples', () => {
    const stamper = new AudioTimestamper({ sampleRate: SAMPLE_RATE });
    for (let i = 0; i < 20; i++) stamper.observe({ sampleFrame: i * 4800, clockUs: i * 100_000 });
    expect(stamper.stamp(0, BLOCK)).toBeCloseTo(0, 0);
    expect(stamper.stamp(BLOCK, BLOCK)).toBeCloseTo(20_000, 0);
    // 1 s of samples went missing (a suspended context): the next block lands where its samples say.
    expect(stamper.stamp(BLOCK * 52, BLOCK)).toBeCloseTo(1_040_000, 0);
    expect(stamper.gapCount).toBe(1);
  });

  it('never overlaps blocks on the timeline when the device repeats or skips samples', () => {
    const stamper = new AudioTimestamper({ sampleRate: SAMPLE_RATE });
    for (let i = 0; i < 20; i++) stamper.observe({ sampleFrame: i * 4800, clockUs: i * 100_000 });
    const first = stamper.stamp(0, BLOCK);
    // The next block claims to start 128 samples early.
    const second = stamper.stamp(BLOCK - 128, BLOCK);
    expect(second).toBeGreaterThanOrEqual(first + 20_000);
  });
});
