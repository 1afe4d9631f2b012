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

export class MediaHub {
  private readonly handlers = new Map<MediaKind, MediaHandler>();
  /** Payload bytes taken in per peer, acknowledged back so the renderer knows how far behind the host is. */
  private readonly received = new WeakMap<MediaPeer, number>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
    this.handle(MediaKind.loopback, (frame, from) => from.send(frame));
  }

  /** Routes every frame of `kind` to `handler` until disposed. One handler per kind. */
  handle(kind: MediaKind, handler: MediaHandler): Disposable {
    if (this.handlers.has(kind) && kind !== MediaKind.loopback) throw new Error(`media kind ${kind} already has a handler`);
    this.handlers.set(kind, handler);
    return { dispose: () => this.handlers.get(kind) === handler && this.handlers.delete(kind) };
  }

  /** Called by transports for every frame that passed validation. */
  receive(frame: MediaFrame, from: MediaPeer): void {
    if (frame.kind !== MediaKind.loopback) {
      const total = (this.received.get(from) ?? 0) + frame.payload.byteLength;
      this.received.set(from, total);
      // Acked once handled (below runs synchronously), so the count is what the host has really taken in.
      queueMicrotask(() => from.send(ackFrame(total)));
    }
    const handler = this.handlers.get(frame.kind);
    if (!handler) {
      this.log.debug({ kind: frame.kind }, 'media frame with no handler dropped');
      return;
    }
    handler(frame, from);
  }
}
