/**
 * Per-reader backpressure. Each socket reader asks its gate, packet by packet, whether to
 * send, drop or give up. A reader whose socket falls behind (more than `maxQueuedBytes`
 * waiting in user space) drops frames until the next keyframe and until it has drained to
 * half that; a reader still behind after `maxLagMs`, or four times over the limit, is
 * disconnected. Either way memory per reader stays bounded, and other readers are untouched.
 */
import type { MediaPacket } from './media-packet.ts';

/** Limits for one reader. */
export interface BackpressurePolicy {
  /** Queued bytes above which the reader skips to the next keyframe. Default 4 MiB. */
  maxQueuedBytes: number;
  /** How long a reader may keep skipping before it is disconnected. Default 10 s. */
  maxLagMs: number;
}

/** The defaults: about 13 s of a 2.5 Mbps stream may queue before skipping starts. */
export const DEFAULT_BACKPRESSURE: BackpressurePolicy = { maxQueuedBytes: 4 * 1024 * 1024, maxLagMs: 10_000 };

/** What to do with a packet. */
export type GateVerdict = 'send' | 'drop' | 'disconnect';

/** The decision state of one reader. */
export class ReaderGate {
  private readonly policy: BackpressurePolicy;
  private readonly now: () => number;
  private state: 'awaitingKeyframe' | 'live' | 'skipping' = 'awaitingKeyframe';
  private skippingSinceMs = 0;
  /** Video frames this reader dropped because it was behind. */
  droppedFrames = 0;
  /** Why the last `disconnect` verdict was given. */
  disconnectReason = '';

  constructor(policy: BackpressurePolicy = DEFAULT_BACKPRESSURE, now: () => number = Date.now) {
    this.policy = policy;
    this.now = now;
  }

  /** The reader starts with a burst that begins on a keyframe, so it is live at once. */
  startLive(): void {
    this.state = 'live';
  }

  /** The publisher went away: the next one starts on its own keyframe. */
  awaitKeyframe(): void {
    this.state = 'awaitingKeyframe';
  }

  /** Decides for `packet`, given the reader's queued bytes and whether the stream has video. */
  verdict(packet: MediaPacket, queuedBytes: number, streamHasVideo: boolean): GateVerdict {
    if (queuedBytes > 4 * this.policy.maxQueuedBytes) {
      this.disconnectReason = `reader too slow: ${queuedBytes} bytes queued`;
      return 'disconnect';
    }
    if (packet.config) return 'send';
    const resumePoint = packet.kind === 'video' ? packet.keyframe : packet.kind === 'audio' && !streamHasVideo;
    switch (this.state) {
      case 'awaitingKeyframe':
        if (!resumePoint) return 'drop';
        this.state = 'live';
        return 'send';
      case 'live':
        if (queuedBytes <= this.policy.maxQueuedBytes) return 'send';
        this.state = 'skipping';
        this.skippingSinceMs = this.now();
        return this.dropped(packet);
      case 'skipping':
        if (this.now() - this.skippingSinceMs > this.policy.maxLagMs) {
          this.disconnectReason = `reader too slow: behind for over ${this.policy.maxLagMs} ms`;
          return 'disconnect';
        }
        if (resumePoint && queuedBytes <= this.policy.maxQueuedBytes / 2) {
          this.state = 'live';
          return 'send';
        }
        return this.dropped(packet);
    }
  }

  private dropped(packet: MediaPacket): GateVerdict {
    if (packet.kind === 'video') this.droppedFrames++;
    return 'drop';
  }
}
