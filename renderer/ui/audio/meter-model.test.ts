import { describe, expect, it } from 'vitest';
import { holdDb, meterFraction, updateHold } from './meter-model.ts';

describe('audio meters', () => {
  it('maps -60..0 dBFS onto the meter', () => {
    expect(meterFraction(1)).toBe(1);
    expect(meterFraction(0.001)).toBeCloseTo(0);
    expect(meterFraction(10 ** (-30 / 20))).toBeCloseTo(0.5);
    expect(meterFraction(0)).toBe(0);
    expect(meterFraction(2)).toBe(1);
  });

  it('holds a peak for 1.5 s, then lets it fall at 20 dB/s until the signal catches it', () => {
    let hold = updateHold(undefined, -6, 0);
    hold = updateHold(hold, -20, 1000);
    expect(holdDb(hold, 1000)).toBe(-6);
    expect(holdDb(hold, 2000)).toBeCloseTo(-16);
    hold = updateHold(hold, -20, 2000);
    expect(holdDb(hold, 2000)).toBeCloseTo(-16);
    hold = updateHold(hold, -20, 2500);
    expect(hold).toEqual({ db: -20, atMs: 2500 });
    expect(updateHold(hold, -3, 2600)).toEqual({ db: -3, atMs: 2600 });
  });
});
