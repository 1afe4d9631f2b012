/**
 * Keeps the PCM going into the AAC encoder one contiguous run of samples on the program's
 * clock, so that AAC frame n can be stamped `startUs + n × 1024 / rate` with no drift: a
 * block that arrives late is preceded by silence, one that overlaps what was already written
 * loses its overlapping head, and small jitter (under `toleranceUs`) is absorbed as it is.
 * Pure: the caller writes what `place` says.
 */

/** How to write one block: silence first, then the block minus its first `skipFrames`. */
export interface Placement {
  silenceFrames: number;
  skipFrames: number;
}

export class PcmTimeline {
  readonly sampleRateHz: number;
  private readonly toleranceUs: number;
  /** Program time of sample 0, µs; null before the first block. */
  startUs: number | null = null;
  /** Samples written so far (silence included). */
  samplesWritten = 0;

  /** @param toleranceUs timing error left alone, µs (default 5 ms, well under a video frame). */
  constructor(sampleRateHz = 48_000, toleranceUs = 5_000) {
    this.sampleRateHz = sampleRateHz;
    this.toleranceUs = toleranceUs;
  }

  /** Program time of the next sample to write, µs (null before the first block). */
  get nextUs(): number | null {
    return this.startUs === null ? null : this.startUs + (this.samplesWritten * 1e6) / this.sampleRateHz;
  }

  /** Program time of sample `index`, µs. */
  timeOfSample(index: number): number {
    return (this.startUs ?? 0) + (index * 1e6) / this.sampleRateHz;
  }

  /** Places a block of `frames` samples stamped `timestampUs`; counts what will be written. */
  place(timestampUs: number, frames: number): Placement {
    if (this.startUs === null) {
      this.startUs = timestampUs;
      this.samplesWritten = frames;
      return { silenceFrames: 0, skipFrames: 0 };
    }
    const driftUs = timestampUs - this.nextUs!;
    let placement: Placement = { silenceFrames: 0, skipFrames: 0 };
    if (driftUs > this.toleranceUs) placement = { silenceFrames: Math.round((driftUs * this.sampleRateHz) / 1e6), skipFrames: 0 };
    else if (driftUs < -this.toleranceUs)
      placement = { silenceFrames: 0, skipFrames: Math.min(frames, Math.round((-driftUs * this.sampleRateHz) / 1e6)) };
    this.samplesWritten += placement.silenceFrames + frames - placement.skipFrames;
    return placement;
  }

  /**
   * Silence to write so the timeline reaches `untilUs` (when no PCM comes: a muted or absent
   * microphone still gives viewers an audio track). Starts the timeline at `untilUs` when empty.
   */
  fillTo(untilUs: number): number {
    if (this.startUs === null) {
      this.startUs = untilUs;
      return 0;
    }
    const frames = Math.floor(((untilUs - this.nextUs!) * this.sampleRateHz) / 1e6);
    if (frames <= 0) return 0;
    this.samplesWritten += frames;
    return frames;
  }
}
