/**
 * The control transport of the web host: JSON calls and events over a WebSocket. It
 * reconnects with backoff when the host restarts, re-subscribes to the events the page
 * listens to, and fails in-flight calls with a `disconnected` outcome.
 */
import type { ClientTransport } from '../../common/host/client.ts';
import type { CallOutcome } from '../../common/host/outcome.ts';
import { HostMessage, type ClientMessage } from '../../common/host/web-wire.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WebTransport extends ClientTransport {
  readonly state: ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** Waits between attempts to reopen a socket to the host, ms: the first, doubled each time up to the last. */
export const REOPEN_BACKOFF = { firstMs: 250, maxMs: 5000 } as const;

export function connectWebTransport(url: string): WebTransport {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let backoffMs: number = REOPEN_BACKOFF.firstMs;
  let closedByUs = false;
  const pending = new Map<number, (outcome: CallOutcome) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const queue: string[] = [];

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const send = (message: ClientMessage) => {
    const text = JSON.stringify(message);
    if (socket?.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  };

  const open = () => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      backoffMs = REOPEN_BACKOFF.firstMs;
      setState('open');
      for (const channel of eventListeners.keys()) ws.send(JSON.stringify({ type: 'subscribe', channel } satisfies ClientMessage));
      for (const text of queue.splice(0)) ws.send(text);
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const parsed = HostMessage.safeParse(JSON.parse(event.data));
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.type === 'outcome') {
        pending.get(message.id)?.(message.outcome);
        pending.delete(message.id);
      } else {
        for (const listener of eventListeners.get(message.channel) ?? []) listener(message.payload);
      }
    });
    ws.addEventListener('close', () => {
      for (const resolve of pending.values())
        resolve({ ok: false, error: { code: 'disconnected', message: 'the host connection closed' } });
      pending.clear();
      queue.length = 0;
      setState('closed');
      if (closedByUs) return;
      setTimeout(open, backoffMs);
      backoffMs = Math.min(backoffMs * 2, REOPEN_BACKOFF.maxMs);
    });
  };
  open();

  return {
    get state() {
      return state;
    },
    invoke(channel, args) {
      const id = nextId++;
      return new Promise<CallOutcome>((resolve) => {
        pending.set(id, resolve);
        send({ type: 'call', id, channel, args });
      });
    },
    subscribe(channel, listener) {
      let listeners = eventListeners.get(channel);
      if (!listeners) {
        listeners = new Set();
        eventListeners.set(channel, listeners);
        send({ type: 'subscribe', channel });
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          eventListeners.delete(channel);
          send({ type: 'unsubscribe', channel });
        }
      };
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      socket?.close();
    },
  };
}
