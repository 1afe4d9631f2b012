/**
 * The renderer's end of the binary media channel. Frames are sent with their payload
 * transferred (Electron MessagePort) or as one binary WebSocket frame (web host).
 */
import type { Disposable } from '../../common/host/contract-kit.ts';
import { decodeMediaFrame, encodeMediaFrame, validateMediaFrame, type MediaFrame } from '../../common/host/media-frame.ts';

export interface MediaChannel extends Disposable {
  /** Resolves once frames can be sent. */
  readonly ready: Promise<void>;
  /** Sends a frame; its payload is transferred and must not be used afterwards. */
  send(frame: MediaFrame): void;
  onFrame(listener: (frame: MediaFrame) => void): Disposable;
}

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

/** Media over a MessagePort (Electron). */
export function mediaChannelOverPort(portPromise: Promise<MessagePort>): MediaChannel {
  const listeners = new Listeners<MediaFrame>();
  let port: MessagePort | null = null;
  const ready = portPromise.then((received) => {
    port = received;
    port.onmessage = (event: MessageEvent) => {
      try {
        listeners.fire(validateMediaFrame(event.data));
      } catch (error) {
        console.error('dropped a malformed media frame from the host', error);
      }
    };
    port.start();
  });
  return {
    ready,
    send(frame) {
      if (!port) throw new Error('media channel is not ready');
      port.postMessage(frame, [frame.payload]);
    },
    onFrame: (listener) => listeners.add(listener),
    dispose() {
      port?.close();
    },
  };
}

/** Media over binary WebSocket frames (web host). */
export function mediaChannelOverWebSocket(url: string): MediaChannel {
  const listeners = new Listeners<MediaFrame>();
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('media socket failed to open')), { once: true });
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    try {
      listeners.fire(decodeMediaFrame(new Uint8Array(event.data)));
    } catch (error) {
      console.error('dropped a malformed media frame from the host', error);
    }
  });
  return {
    ready,
    send(frame) {
      if (socket.readyState !== WebSocket.OPEN) throw new Error('media channel is not open');
      socket.send(encodeMediaFrame(frame));
    },
    onFrame: (listener) => listeners.add(listener),
    dispose() {
      socket.close();
    },
  };
}
