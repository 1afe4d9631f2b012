/**
 * What an RTMP connection needs from the rest of the origin, declared here by the consumer
 * (as MediaMTX's servers declare `serverPathManager`): admission of publishers and players,
 * and word when their sessions end. The origin implements it over its stream access,
 * webhooks and stream hub.
 */
import type { LiveStream, Publisher } from '../../stream/live-stream.ts';

/** Who is asking. */
export interface SessionContext {
  sessionId: string;
  remoteAddress: string;
  protocol: 'rtmp' | 'flv' | 'hls';
}

/** A refusal, with the RTMP status to send and the reason to log (never a key). */
export interface Refusal {
  ok: false;
  /** e.g. `NetStream.Publish.BadName`. */
  code: string;
  /** What the client is told. */
  description: string;
  /** What the log says. */
  reason: string;
}

/** Admission of a publisher: the stream it now holds, or why not. */
export type PublishAdmission = { ok: true; name: string; stream: LiveStream } | Refusal;
/** Admission of a player. */
export type PlayAdmission = { ok: true; name: string; stream: LiveStream } | Refusal;

/** The origin, as an RTMP connection sees it. */
export interface SessionHost {
  /** Checks a publish key and claims the stream for `publisher` (webhook `on_publish` decides last). */
  admitPublisher(key: string, publisher: Publisher, context: SessionContext): Promise<PublishAdmission>;
  /** Checks a play request by stream name (webhook `on_play` decides last). */
  admitPlayer(name: string, context: SessionContext): Promise<PlayAdmission>;
  /** A publish session ended (the stream is already released). */
  publisherLeft(name: string, context: SessionContext, summary: { durationMs: number; bytes: number }): void;
  /** A play session ended. */
  playerLeft(name: string, context: SessionContext, summary: { durationMs: number; bytes: number }): void;
}
