/**
 * Dynamic bitrate, as OBS does it (obs-outputs/rtmp-stream.c `dbr_*`): when a destination's
 * queue grows or it had to drop frames, ask for a video bitrate the link has shown it can
 * carry (85 % of what it sent, less the audio); when the queue has stayed short for a while,
 * step back up by 10 % at a time until the configured bitrate is reached again. With one
 * encode, the encoder follows the lowest request among the destinations that adapt.
 *
 * The kernel's send buffer hides a link's limit for seconds before the queue grows, so steps
 * up stop at what the link carried when it was last congested (the ceiling); only after a
 * long clear spell at the ceiling does the request probe 10 % above it.
 */

/** One second of a link's behaviour. */
export interface LinkSample {
  /** What went onto the wire (or the kernel's buffer) over the last interval, kbps. */
  sentKbps: number;
  /** Media time waiting in the destination's own queue, ms. */
  queueMs: number;
  /** Frames were dropped since the last sample. */
  dropped: boolean;
  nowMs: number;
}

/** Queue length past which the link is congested, ms. */
export const CONGESTED_QUEUE_MS = 600;
/** Queue length under which the link is idle enough to step up, ms. */
const CLEAR_QUEUE_MS = 150;
/** Time between two reductions, so the first has time to show, ms. */
const LOWER_HOLD_MS = 2000;
/** Clear seconds between two steps up. */
const CLEAR_SECONDS_PER_STEP = 5;
/** Clear seconds at the ceiling before probing above it. */
const CLEAR_SECONDS_TO_PROBE = 30;
const STEP_UP = 1.1;
const SHARE_OF_SENT = 0.85;

export class BitrateAdapter {
  private maxKbps: number;
  private readonly audioKbps: number;
  private readonly minKbps: number;
  private lastLowerAtMs = -Infinity;
  private clearSeconds = 0;
  /** The video bitrate the link carried when it was last congested, kbps; null before any congestion. */
  private ceilingKbps: number | null = null;
  /** The video bitrate this link asks for, kbps; null while it carries the configured one. */
  requestedKbps: number | null = null;

  constructor(options: { maxKbps: number; audioKbps: number; minKbps?: number }) {
    this.maxKbps = options.maxKbps;
    this.audioKbps = options.audioKbps;
    this.minKbps = options.minKbps ?? Math.max(200, Math.round(options.maxKbps / 10));
  }

  /** Takes one sample; true when the request changed. */
  tick(sample: LinkSample): boolean {
    const before = this.requestedKbps;
    const congested = sample.dropped || sample.queueMs > CONGESTED_QUEUE_MS;
    if (congested) {
      this.clearSeconds = 0;
      if (sample.nowMs - this.lastLowerAtMs >= LOWER_HOLD_MS) {
        this.ceilingKbps = Math.max(this.minKbps, Math.round(sample.sentKbps - this.audioKbps));
        const carried = Math.max(this.minKbps, Math.round((sample.sentKbps - this.audioKbps) * SHARE_OF_SENT));
        const next = Math.min(this.requestedKbps ?? this.maxKbps, carried);
        if (next < (this.requestedKbps ?? this.maxKbps)) {
          this.requestedKbps = next;
          this.lastLowerAtMs = sample.nowMs;
        }
      }
    } else if (sample.queueMs < CLEAR_QUEUE_MS && this.requestedKbps !== null) {
      this.clearSeconds++;
      const atCeiling = this.ceilingKbps !== null && this.requestedKbps >= this.ceilingKbps;
      if (atCeiling && this.clearSeconds >= CLEAR_SECONDS_TO_PROBE) this.ceilingKbps = Math.round(this.ceilingKbps! * STEP_UP);
      if (this.clearSeconds >= (atCeiling ? CLEAR_SECONDS_TO_PROBE : CLEAR_SECONDS_PER_STEP)) {
        this.clearSeconds = 0;
        const next = Math.min(Math.round(this.requestedKbps * STEP_UP), this.ceilingKbps ?? Infinity);
        this.requestedKbps = next >= this.maxKbps ? null : next;
      }
    }
    return this.requestedKbps !== before;
  }

  /** The configured bitrate changed. */
  setMax(maxKbps: number): void {
    this.maxKbps = maxKbps;
    if (this.requestedKbps !== null && this.requestedKbps >= maxKbps) this.requestedKbps = null;
  }
}

/** The bitrate to encode at: the configured one, or the lowest request of an adapting destination. */
export function encoderTargetKbps(configuredKbps: number, requests: readonly (number | null)[]): number {
  return Math.min(configuredKbps, ...requests.filter((request): request is number => request !== null));
}
