import { describe, expect, it } from 'vitest';
import { fromDb, interleave, Limiter, MeterAccumulator, toDb, type LevelReading } from './dsp.ts';

const RATE = 48_000;
function sine(amplitude: number, frames: number, hz = 1000): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
}

describe('mixer DSP', () => {
  it('meters a full-scale sine at 0 dBFS peak and -3 dBFS RMS, once per window', () => {
    const meter = new MeterAccumulator(2, RATE / 30);
    const block = sine(1, 128, 375); // exactly one cycle per block
    let reading: LevelReading | null = null;
    let readings = 0;
    for (let i = 0; i < 13; i++) {
      const r = meter.push([block, block]);
      if (r) {
        reading = r;
        readings++;
      }
    }
    expect(readings).toBe(1); // 13 × 128 = 1664 frames ≥ 1600
    if (!reading) throw new Error('no reading');
    expect(toDb(reading.peak[0]!)).toBeCloseTo(0, 1);
    expect(toDb(reading.rms[1]!)).toBeCloseTo(-3.01, 1);
  });

  it('meters silence at the floor', () => {
    const meter = new MeterAccumulator(1, 128);
    expect(toDb(meter.push([new Float32Array(128)])!.peak[0]!)).toBe(-100);
  });

  it('the limiter keeps a +6 dBFS sine under its -1 dBFS ceiling', () => {
    const limiter = new Limiter({ sampleRate: RATE });
    let peak = 0;
    for (let block = 0; block < 100; block++) {
      const left = sine(2, 128);
      const right = sine(2, 128);
      limiter.process(left, right);
      for (const sample of [...left, ...right]) peak = Math.max(peak, Math.abs(sample));
    }
    expect(peak).toBeLessThanOrEqual(fromDb(-1) + 1e-6);
    expect(peak).toBeGreaterThan(fromDb(-3));
  });

  it('the limiter leaves a quiet signal untouched apart from its look-ahead delay', () => {
    const limiter = new Limiter({ sampleRate: RATE, lookaheadMs: 5 });
    const input = sine(fromDb(-12), 4800);
    const left = input.slice();
    const right = input.slice();
    limiter.process(left, right);
    const delay = 240; // 5 ms at 48 kHz
    for (let i = delay; i < input.length; i += 97) expect(left[i]).toBeCloseTo(input[i - delay]!, 6);
    expect(limiter.currentGain).toBe(1);
  });

  it('interleaves left and right', () => {
    const out = new Float32Array(8);
    interleave(Float32Array.of(1, 2), Float32Array.of(-1, -2), out, 1);
    expect([...out]).toEqual([0, 0, 1, -1, 2, -2, 0, 0]);
  });
});
