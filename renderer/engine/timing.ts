/**
 * The engine's one clock, and the pure timestamping built on it. Video frame n is due at
 * start + n/fps and is stamped n·10⁶/fps µs, computed from n each time so nothing
 * accumulates. Audio is stamped by sample count, corrected toward the same clock by a
 * rate estimate fitted to (sample position, clock) observations, because a sound card's
 * 48 kHz is never exactly the system clock's: 100 ppm is 60 ms over ten minutes.
 */

/** The timestamp of video frame `index`, µs on the shared clock. */
export function frameTimestampUs(index: number, fps: number): number {
  return Math.round((index * 1_000_000) / fps);
}

/** Which frame to render when, and how many were skipped because rendering fell behind. */
export class FramePacer {
  readonly fps: number;
  readonly startMs: number;
  private last = -1;

  constructor(fps: number, startMs: number) {
    this.fps = fps;
    this.startMs = startMs;
  }

  /** The frame due at `nowMs` (and how many before it were never rendered), or null if it was already rendered. */
  due(nowMs: number): { index: number; skipped: number } | null {
    const index = Math.floor(((nowMs - this.startMs) * this.fps) / 1000 + 1e-9);
    if (index <= this.last) return null;
    const skipped = this.last < 0 ? 0 : index - this.last - 1;
    this.last = index;
    return { index, skipped };
  }

  /** How long until the next frame is due. */
  delayMs(nowMs: number): number {
    const nextAt = this.startMs + ((this.last + 1) * 1000) / this.fps;
    return Math.max(0, nextAt - nowMs);
  }
}

/** One observation pairing the audio device's sample position with the shared clock. */
export interface ClockObservation {
  /** Sample frames since the audio context started. */
  sampleFrame: number;
  /** The shared clock at that sample, µs. */
  clockUs: number;
}

/** Options of `AudioTimestamper`. */
export interface AudioTimestamperOptions {
  sampleRate: number;
  /** How long the rate fit remembers, ms. Default 120 s. */
  windowMs?: number;
  /** Largest correction per block, as a fraction of the block's duration. Default 0.5 %. */
  maxSlew?: number;
}

/**
 * Stamps blocks of audio on the shared clock. Consecutive blocks follow each other by their
 * sample count; each block's start is nudged (by at most `maxSlew` of its length, inaudible
 * and invisible) toward a least-squares line through recent observations, which absorbs
 * observation jitter and tracks the device's true rate.
 */
export class AudioTimestamper {
  private readonly sampleRate: number;
  private readonly windowUs: number;
  private readonly maxSlew: number;
  private readonly observations: ClockObservation[] = [];
  private nextFrame: number | null = null;
  private nextUs = 0;
  private gaps = 0;

  constructor(options: AudioTimestamperOptions) {
    this.sampleRate = options.sampleRate;
    this.windowUs = (options.windowMs ?? 120_000) * 1000;
    this.maxSlew = options.maxSlew ?? 0.005;
  }

  /** Adds an observation. Keep them coming, a few a second. */
  observe(observation: ClockObservation): void {
    const last = this.observations.at(-1);
    // Thin to one per 100 ms so the window stays a few thousand points at most.
    if (last && observation.clockUs - last.clockUs < 100_000) return;
    this.observations.push(observation);
    while (this.observations.length > 2 && observation.clockUs - this.observations[0]!.clockUs > this.windowUs) this.observations.shift();
  }

  /** The clock at `sampleFrame` by the fitted line, or null before any observation. */
  predictUs(sampleFrame: number): number | null {
    const points = this.observations;
    if (points.length === 0) return null;
    const nominal = 1_000_000 / this.sampleRate;
    if (points.length < 8) {
      // Too few to fit a rate: nominal rate through the mean of what we have.
      const meanFrame = points.reduce((s, p) => s + p.sampleFrame, 0) / points.length;
      const meanUs = points.reduce((s, p) => s + p.clockUs, 0) / points.length;
      return meanUs + (sampleFrame - meanFrame) * nominal;
    }
    // Least squares on values relative to the first point, for precision.
    const x0 = points[0]!.sampleFrame;
    const y0 = points[0]!.clockUs;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (const point of points) {
      const x = point.sampleFrame - x0;
      const y = point.clockUs - y0;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const n = points.length;
    const denominator = n * sxx - sx * sx;
    const slope = denominator > 0 ? (n * sxy - sx * sy) / denominator : nominal;
    // A device off by more than 1 % is a measurement problem, not a clock.
    const bounded = Math.min(nominal * 1.01, Math.max(nominal * 0.99, slope));
    const intercept = (sy - bounded * sx) / n;
    return y0 + intercept + (sampleFrame - x0) * bounded;
  }

  /** How many times the sample positions jumped (each restarts the timeline from the fit). */
  get gapCount(): number {
    return this.gaps;
  }

  /** The timestamp of a block of `frames` samples starting at `sampleFrame`, µs. */
  stamp(sampleFrame: number, frames: number): number {
    const nominalUs = (frames * 1_000_000) / this.sampleRate;
    const predicted = this.predictUs(sampleFrame);
    let timestampUs: number;
    if (this.nextFrame === null || predicted === null) {
      timestampUs = predicted ?? 0;
    } else if (sampleFrame !== this.nextFrame) {
      // A gap in the samples (a suspended or overloaded device): start again from the fit, but
      // never before the end of the previous block, so no two blocks overlap on the timeline.
      this.gaps++;
      timestampUs = Math.max(predicted, this.nextUs);
    } else {
      const limit = nominalUs * this.maxSlew;
      timestampUs = this.nextUs + Math.max(-limit, Math.min(limit, predicted - this.nextUs));
    }
    this.nextFrame = sampleFrame + frames;
    this.nextUs = timestampUs + nominalUs;
    return timestampUs;
  }
}
