/**
 * The renderer's end of the binary media channel: a MessagePort to Electron's main process,
 * or one binary WebSocket frame per media frame to the web host. The host acknowledges the
 * bytes it has taken in (`MediaKind.ack`), so `queuedBytes` says how far behind it is
 * whatever the transport buffers.
 *
 * Electron: frames go over the port WITHOUT a transfer list. A `MessagePortMain` in the main
 * process receives an empty `data` for a message whose ArrayBuffer was transferred
 * (electron/electron#34905, open); without a transfer the buffer is structured-cloned, which
 * the hop between processes does anyway. See main/README.md.
 */
import type { Disposable } from '../../common/host/contract-kit.ts';
import {
  decodeMediaFrame,
  encodeMediaFrame,
  MediaKind,
  readAck,
  validateMediaFrame,
  type MediaFrame,
} from '../../common/host/media-frame.ts';
import { REOPEN_BACKOFF } from './web-transport.ts';

export interface MediaChannel extends Disposable {
  /** Resolves once frames can be sent. */
  readonly ready: Promise<void>;
  /** Sends a frame. Its payload may be transferred: do not use it afterwards. */
  send(frame: MediaFrame): void;
  onFrame(listener: (frame: MediaFrame) => void): Disposable;
  /** Payload bytes sent that the host has not acknowledged yet. */
  readonly queuedBytes: number;
}

/** Counts bytes sent and acknowledged. */
class AckCounter {
  sent = 0;
  acked = 0;

  /** Takes a frame from the host; true when it was an ack (and consumed). */
  observe(frame: MediaFrame): boolean {
    const total = readAck(frame);
    if (total === null) return false;
    this.acked = Math.max(this.acked, total);
    return true;
  }

  get queued(): number {
    return Math.max(0, this.sent - this.acked);
  }
}

/** The part of a MessagePort the channel uses (a fake in tests). */
export type MediaPortLike = Pick<MessagePort, 'postMessage' | 'start' | 'close'> & { onmessage: ((event: MessageEvent) => void) | null };

class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): Disposable {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }
  fire(value: T): void {
    for (const listener of this.set) listener(value);
  }
}

/** Media over a MessagePort (Electron): plain structured-clone messages, no transfer list (see the file comment). */
export function mediaChannelOverPort(portPromise: Promise<MediaPortLike>): MediaChannel {
  const listeners = new Listeners<MediaFrame>();
  const acks = new AckCounter();
  let port: MediaPortLike | null = null;
  const ready = portPromise.then((received) => {
    port = received;
    port.onmessage = (event: MessageEvent) => {
      try {
        const frame = validateMediaFrame(event.data);
        if (!acks.observe(frame)) listeners.fire(frame);
      } catch (error) {
        console.error('dropped a malformed media frame from the host', error);
      }
    };
    port.start();
  });
  return {
    ready,
    get queuedBytes() {
      return acks.queued;
    },
    send(frame) {
      if (!port) throw new Error('media channel is not ready');
      const { kind, flags, track, timestampUs, payload } = frame;
      // Exactly this plain object, and no transfer list: MessagePortMain loses transferred buffers.
      port.postMessage({ kind, flags, track, timestampUs, payload });
      if (kind !== MediaKind.loopback) acks.sent += payload.byteLength;
    },
    onFrame: (listener) => listeners.add(listener),
    dispose() {
      port?.close();
    },
  };
}

/**
 * Media over binary WebSocket frames (web host). A socket that closes (the host restarted)
 * is reopened with the control socket's backoff (`REOPEN_BACKOFF`); the new host has taken
 * in nothing, so the byte count starts again. Frames sent while it is closed are dropped: the
 * host they were for is gone, and a restarted host asks for a new encode (with its decoder
 * configuration) anyway.
 */
export function mediaChannelOverWebSocket(url: string): MediaChannel {
  const listeners = new Listeners<MediaFrame>();
  let acks = new AckCounter();
  let socket: WebSocket | null = null;
  let disposed = false;
  let backoffMs: number = REOPEN_BACKOFF.firstMs;
  let opened: () => void = () => {};
  const ready = new Promise<void>((resolve) => (opened = resolve));
  const open = () => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.addEventListener('open', () => {
      backoffMs = REOPEN_BACKOFF.firstMs;
      acks = new AckCounter();
      opened();
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      try {
        const frame = decodeMediaFrame(new Uint8Array(event.data));
        if (!acks.observe(frame)) listeners.fire(frame);
      } catch (error) {
        console.error('dropped a malformed media frame from the host', error);
      }
    });
    ws.addEventListener('close', () => {
      if (disposed) return;
      setTimeout(open, backoffMs);
      backoffMs = Math.min(backoffMs * 2, REOPEN_BACKOFF.maxMs);
    });
  };
  open();
  return {
    ready,
    get queuedBytes() {
      return acks.queued;
    },
    send(frame) {
      if (socket?.readyState !== WebSocket.OPEN) return;
      socket.send(encodeMediaFrame(frame));
      if (frame.kind !== MediaKind.loopback) acks.sent += frame.payload.byteLength;
    },
    onFrame: (listener) => listeners.add(listener),
    dispose() {
      disposed = true;
      socket?.close();
    },
  };
}
