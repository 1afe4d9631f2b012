/**
 * Meter maths, pure: where a level sits on a meter's -60..0 dBFS scale, and peak hold (the
 * highest recent peak stays for 1.5 s, then falls at 20 dB a second), as OBS's meters do.
 */
import { toDb } from '../../engine/audio/dsp.ts';

/** The bottom of the meter scale, dBFS. */
export const METER_FLOOR_DB = -60;
export const HOLD_MS = 1500;
export const FALL_DB_PER_S = 20;

/** A linear level (1 = full scale) as a fraction of the meter, 0 at the floor and 1 at 0 dBFS. */
export function meterFraction(level: number): number {
  return Math.min(1, Math.max(0, (toDb(level) - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

/** The peak hold of one channel. */
export interface PeakHold {
  db: number;
  /** When `db` was set, ms. */
  atMs: number;
}

/** The hold after a new peak reading at `nowMs`. */
export function updateHold(hold: PeakHold | undefined, peakDb: number, nowMs: number): PeakHold {
  if (!hold || peakDb >= hold.db) return { db: peakDb, atMs: nowMs };
  const held = nowMs - hold.atMs;
  if (held <= HOLD_MS) return hold;
  const fallen = hold.db - ((held - HOLD_MS) / 1000) * FALL_DB_PER_S;
  return fallen <= peakDb ? { db: peakDb, atMs: nowMs } : hold;
}

/** Shown value of a hold: falling where it has started to fall. */
export function holdDb(hold: PeakHold, nowMs: number): number {
  const held = nowMs - hold.atMs;
  return held <= HOLD_MS ? hold.db : hold.db - ((held - HOLD_MS) / 1000) * FALL_DB_PER_S;
}
