/**
 * The WebSocket control protocol of the web host: JSON text frames carrying calls,
 * outcomes, subscriptions and events. Media never travels here; it has its own binary
 * socket (see media-frame.ts).
 */
import { z } from 'zod';
import { CallOutcome } from './outcome.ts';

/** Longest control message the web host accepts, in bytes. */
export const MAX_CONTROL_MESSAGE_BYTES = 1024 * 1024;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(200),
    args: z.array(z.unknown()),
  }),
  z.object({ type: z.literal('subscribe'), channel: z.string().max(200) }),
  z.object({ type: z.literal('unsubscribe'), channel: z.string().max(200) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('outcome'), id: z.number().int().nonnegative(), outcome: CallOutcome }),
  z.object({ type: z.literal('event'), channel: z.string(), payload: z.unknown() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Paths of the web host's two sockets. */
export const WEB_CONTROL_PATH = '/host/control';
export const WEB_MEDIA_PATH = '/host/media';
