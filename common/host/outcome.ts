/**
 * How a call's result crosses a transport. Both Electron IPC and the WebSocket host send
 * an outcome rather than throwing, so the renderer gets the same error shape from either.
 */
import { z } from 'zod';

/** Why a call failed: the caller's fault, an unknown channel, or the host's own failure. */
export const HostErrorCode = z.enum(['invalid-arguments', 'unknown-channel', 'failed', 'disconnected']);
export type HostErrorCode = z.infer<typeof HostErrorCode>;

export const CallOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: HostErrorCode, message: z.string() }) }),
]);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** The error a renderer-side call rejects with. */
export class HostCallError extends Error {
  override readonly name = 'HostCallError';
  readonly code: HostErrorCode;
  readonly channel: string;

  constructor(channel: string, code: HostErrorCode, message: string) {
    super(`${channel}: ${message}`);
    this.code = code;
    this.channel = channel;
  }
}
