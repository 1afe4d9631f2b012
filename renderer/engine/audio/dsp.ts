/**
 * The mixer's sample maths, pure so it is tested in Node and runs unchanged in the
 * AudioWorklet: peak/RMS metering over fixed windows, a look-ahead peak limiter for the
 * master bus, and stereo interleaving for the host's PCM.
 */

/** Peak and RMS per channel, linear (1 = full scale). */
export interface LevelReading {
  peak: number[];
  rms: number[];
}

/** dBFS of a linear level, floored at -100. */
export function toDb(level: number): number {
  return level > 1e-5 ? 20 * Math.log10(level) : -100;
}

/** Linear gain of a dB value. */
export function fromDb(db: number): number {
  return 10 ** (db / 20);
}

/** Accumulates samples and yields one reading per window (e.g. 1/30 s: meters at 30 Hz). */
export class MeterAccumulator {
  private readonly windowFrames: number;
  private peak: number[];
  private squares: number[];
  private frames = 0;

  constructor(channels: number, windowFrames: number) {
    this.windowFrames = windowFrames;
    this.peak = new Array<number>(channels).fill(0);
    this.squares = new Array<number>(channels).fill(0);
  }

  /** Adds a block (one array per channel, equal lengths); returns a reading when a window completes. */
  push(channels: readonly Float32Array[]): LevelReading | null {
    const length = channels[0]?.length ?? 0;
    for (let c = 0; c < this.peak.length; c++) {
      const data = channels[c] ?? channels[0];
      if (!data) continue;
      let peak = this.peak[c]!;
      let squares = this.squares[c]!;
      for (let i = 0; i < length; i++) {
        const sample = data[i]!;
        const magnitude = sample < 0 ? -sample : sample;
        if (magnitude > peak) peak = magnitude;
        squares += sample * sample;
      }
      this.peak[c] = peak;
      this.squares[c] = squares;
    }
    this.frames += length;
    if (this.frames < this.windowFrames) return null;
    const reading = { peak: [...this.peak], rms: this.squares.map((sum) => Math.sqrt(sum / this.frames)) };
    this.peak.fill(0);
    this.squares.fill(0);
    this.frames = 0;
    return reading;
  }
}

/** Options of the master limiter. */
export interface LimiterOptions {
  sampleRate: number;
  /** Nothing leaves louder than this. Default -1 dBFS. */
  ceilingDb?: number;
  lookaheadMs?: number;
  releaseMs?: number;
}

/**
 * A look-ahead brick-wall limiter: the signal is delayed by the look-ahead, the gain follows
 * the minimum required over that window (fast attack, slow release), and a final clamp
 * guarantees the ceiling. Quiet signals pass with unity gain, only delayed.
 */
export class Limiter {
  private readonly ceiling: number;
  private readonly lookahead: number;
  private readonly attack: number;
  private readonly release: number;
  private readonly delay: Float32Array[];
  private readonly required: Float32Array;
  private position = 0;
  private gain = 1;

  constructor(options: LimiterOptions) {
    this.ceiling = fromDb(options.ceilingDb ?? -1);
    this.lookahead = Math.max(1, Math.round(((options.lookaheadMs ?? 5) * options.sampleRate) / 1000));
    this.attack = 1 - Math.exp(-1 / (this.lookahead / 5));
    this.release = 1 - Math.exp(-1 / (((options.releaseMs ?? 80) * options.sampleRate) / 1000));
    this.delay = [new Float32Array(this.lookahead), new Float32Array(this.lookahead)];
    this.required = new Float32Array(this.lookahead).fill(1);
  }

  /** The gain now applied (for meters of gain reduction). */
  get currentGain(): number {
    return this.gain;
  }

  /** Limits a stereo block in place. */
  process(left: Float32Array, right: Float32Array): void {
    const ceiling = this.ceiling;
    for (let i = 0; i < left.length; i++) {
      const l = left[i]!;
      const r = right[i]!;
      const peak = Math.max(l < 0 ? -l : l, r < 0 ? -r : r);
      this.required[this.position] = peak > ceiling ? ceiling / peak : 1;
      // The smallest gain any sample inside the look-ahead window needs.
      let target = 1;
      for (let k = 0; k < this.lookahead; k++) if (this.required[k]! < target) target = this.required[k]!;
      this.gain += (target - this.gain) * (target < this.gain ? this.attack : this.release);
      const outL = this.delay[0]![this.position]! * this.gain;
      const outR = this.delay[1]![this.position]! * this.gain;
      this.delay[0]![this.position] = l;
      this.delay[1]![this.position] = r;
      left[i] = outL > ceiling ? ceiling : outL < -ceiling ? -ceiling : outL;
      right[i] = outR > ceiling ? ceiling : outR < -ceiling ? -ceiling : outR;
      this.position = (this.position + 1) % this.lookahead;
    }
  }
}

/** Interleaves stereo into `out` from `offset` (in frames). */
export function interleave(left: Float32Array, right: Float32Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < left.length; i++) {
    out[(offset + i) * 2] = left[i]!;
    out[(offset + i) * 2 + 1] = right[i]!;
  }
}
