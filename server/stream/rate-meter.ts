/** A moving rate over the last few seconds, in one-second buckets (bitrate, frame rate). */
export class RateMeter {
  private readonly windowSeconds: number;
  private readonly buckets: Float64Array;
  private readonly seconds: Float64Array;

  constructor(windowSeconds = 5) {
    this.windowSeconds = windowSeconds;
    this.buckets = new Float64Array(windowSeconds + 1);
    this.seconds = new Float64Array(windowSeconds + 1).fill(-1);
  }

  /** Adds `amount` at time `nowMs`. */
  add(amount: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.buckets.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = this.buckets[slot]! + amount;
  }

  /** The average per second over the last complete seconds of the window. */
  perSecond(nowMs: number): number {
    const current = Math.floor(nowMs / 1000);
    let total = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const second = this.seconds[i]!;
      if (second < current && second >= current - this.windowSeconds) total += this.buckets[i]!;
    }
    return total / this.windowSeconds;
  }
}
