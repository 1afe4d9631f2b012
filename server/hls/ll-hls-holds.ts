/**
 * Requests the origin holds open for Low-Latency HLS (draft-pantos-hls-rfc8216bis 6.2.5.2
 * blocking playlist reload, 6.2.6 preload hints): each waits until its condition holds (a
 * part or segment exists) or its timeout passes. A stream's packager wakes its holds whenever
 * the playlist changes. How many requests may be held at once is bounded across the origin
 * (`HoldBudget`), so viewers that block on reloads cannot grow memory without limit: one over
 * the budget is answered at once (503) instead.
 */

/** The origin-wide bound on held requests. */
export class HoldBudget {
  /** Requests held now. */
  held = 0;
  readonly max: number;

  constructor(max: number) {
    this.max = max;
  }
}

interface Hold {
  ready: () => boolean;
  resolve: (satisfied: boolean) => void;
  timer: NodeJS.Timeout;
}

/** The held requests of one stream. */
export class HeldRequests {
  private readonly budget: HoldBudget;
  private readonly holds = new Set<Hold>();

  constructor(budget: HoldBudget) {
    this.budget = budget;
  }

  /** Requests held for this stream now. */
  get size(): number {
    return this.holds.size;
  }

  /**
   * Resolves true as soon as `ready()` holds (checked now and at every `wake()`), false once
   * `timeoutMs` passes or the holds are released; null at once when the budget is spent.
   */
  hold(ready: () => boolean, timeoutMs: number): Promise<boolean> | null {
    if (ready()) return Promise.resolve(true);
    if (this.budget.held >= this.budget.max) return null;
    return new Promise((resolve) => {
      const hold: Hold = {
        ready,
        resolve: (satisfied) => {
          clearTimeout(hold.timer);
          if (this.holds.delete(hold)) this.budget.held--;
          resolve(satisfied);
        },
        timer: setTimeout(() => hold.resolve(false), timeoutMs),
      };
      this.holds.add(hold);
      this.budget.held++;
    });
  }

  /** Re-checks every held request (the playlist changed). */
  wake(): void {
    for (const hold of this.holds) if (hold.ready()) hold.resolve(true);
  }

  /** Answers every held request: those whose condition holds with true, the others with false. */
  release(): void {
    for (const hold of this.holds) hold.resolve(hold.ready());
  }
}
