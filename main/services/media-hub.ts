/**
 * Receives media frames from the studio renderer over whichever transport carries them
 * (Electron MessagePort, web host binary socket) and routes them by kind. Later outputs
 * (encoders' sinks, recorders) register handlers here; the loopback kind answers itself.
 */
import type { Disposable } from '../../common/host/contract-kit.ts';
import { ackFrame, MediaKind, type MediaFrame } from '../../common/host/media-frame.ts';
import type { Logger } from './logger.ts';

/** One renderer's media connection, as a transport presents it to the hub. */
export interface MediaPeer {
  /** Sends a frame back to that renderer. */
  send(frame: MediaFrame): void;
}

export type MediaHandler = (frame: MediaFrame, from: MediaPeer) => void;

/**
 * How often the host tells a renderer how many bytes it has taken in: ~100 KB of slack at a
 * 1 MB/s program against the renderer's 4 MiB lag limit; each ack is a socket write, so not more often.
 */
const ACK_INTERVAL_MS = 100;

export class MediaHub {
  private readonly handlers = new Map<MediaKind, MediaHandler>();
  /** Payload bytes taken in per peer, acknowledged back so the renderer knows how far behind the host is. */
  private readonly received = new WeakMap<MediaPeer, AckState>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
    this.handle(MediaKind.loopback, (frame, from) => from.send(frame));
  }

  /**
   * Counts what a peer sent, after its frame was handled (so the count is what the host has
   * really taken in), and acknowledges it at most every `ACK_INTERVAL_MS`: from the frame that
   * finds the last ack that old, so a steady stream costs no timer of its own; one timer,
   * re-armed per frame, acknowledges the tail when the frames stop.
   */
  private acknowledge(from: MediaPeer, bytes: number): void {
    let state = this.received.get(from);
    const now = performance.now();
    // A peer's first frame starts its first interval.
    if (!state) this.received.set(from, (state = { total: 0, acked: 0, ackedAtMs: now, timer: null }));
    state.total += bytes;
    if (now - state.ackedAtMs >= ACK_INTERVAL_MS) sendAck(from, state, now);
    if (state.timer) state.timer.refresh();
    else {
      const counted = state;
      counted.timer = setTimeout(() => {
        if (counted.total !== counted.acked) sendAck(from, counted, performance.now());
      }, ACK_INTERVAL_MS);
      counted.timer.unref?.();
    }
  }

  /** Routes every frame of `kind` to `handler` until disposed. One handler per kind. */
  handle(kind: MediaKind, handler: MediaHandler): Disposable {
    if (this.handlers.has(kind) && kind !== MediaKind.loopback) throw new Error(`media kind ${kind} already has a handler`);
    this.handlers.set(kind, handler);
    return { dispose: () => this.handlers.get(kind) === handler && this.handlers.delete(kind) };
  }

  /** Called by transports for every frame that passed validation. */
  receive(frame: MediaFrame, from: MediaPeer): void {
    const handler = this.handlers.get(frame.kind);
    if (handler) handler(frame, from);
    else this.log.debug({ kind: frame.kind }, 'media frame with no handler dropped');
    if (frame.kind !== MediaKind.loopback) this.acknowledge(from, frame.payload.byteLength);
  }
}

interface AckState {
  total: number;
  acked: number;
  ackedAtMs: number;
  timer: ReturnType<typeof setTimeout> | null;
}

function sendAck(to: MediaPeer, state: AckState, nowMs: number): void {
  state.acked = state.total;
  state.ackedAtMs = nowMs;
  to.send(ackFrame(state.total));
}
