/**
 * The one admission seam of the origin: may this publisher take a stream, may this viewer
 * watch one. Every protocol (RTMP, HTTP-FLV, HLS) asks through it; the origin's policy
 * (`auth/admission-policy.ts`: keys, names, webhooks, later signed links) answers. Refusals
 * are typed, and each protocol maps them to its own answer: an RTMP status, an HTTP status.
 */
import type { LiveStream, Publisher } from './live-stream.ts';

/** Why admission was refused. */
export type RefusalKind =
  /** No stream of that name. */
  | 'not-found'
  /** The venue's policy said no (a webhook, later a missing or bad playback token). */
  | 'denied'
  /** The publish key matches no stream. */
  | 'bad-key'
  /** The stream already has a publisher. */
  | 'busy';

/** A refusal. */
export interface Refusal {
  readonly ok: false;
  readonly kind: RefusalKind;
  /** What the log says (never a key or a token). */
  readonly reason: string;
}

/** An admission: the stream the session now publishes to or reads from. */
export interface Admitted {
  readonly ok: true;
  readonly name: string;
  readonly stream: LiveStream;
}

/** What admission answers. */
export type Admission = Admitted | Refusal;

/** Who is asking. */
export interface SessionContext {
  sessionId: string;
  remoteAddress: string;
  protocol: 'rtmp' | 'flv' | 'hls';
}

/** A request to watch a stream. */
export interface PlayRequest {
  name: string;
  /** The query string the player sent with the stream name or URL (where a signed link's token travels). */
  query: URLSearchParams;
}

/** What a session did, for `on_unpublish`/`on_stop`. */
export interface SessionSummary {
  durationMs: number;
  bytes: number;
}

/** The origin, as a protocol sees it when a session starts and ends. */
export interface StreamAdmission {
  /** Checks a publish key and claims its stream for `publisher` (the `on_publish` webhook decides last). */
  admitPublisher(key: string, publisher: Publisher, context: SessionContext): Promise<Admission>;
  /** Checks a play request (the `on_play` webhook decides last). */
  admitPlayer(request: PlayRequest, context: SessionContext): Promise<Admission>;
  /**
   * The checks a viewer passes on every request, not only its first (a signed link's token):
   * null when it passes. `admitPlayer` makes them too; HLS, whose viewer is many requests, asks each time.
   */
  checkPlayback(request: PlayRequest, context: SessionContext): Refusal | null;
  /** A publish session ended (its stream is already released). */
  publisherLeft(name: string, context: SessionContext, summary: SessionSummary): void;
  /** A play session ended. */
  playerLeft(name: string, context: SessionContext, summary: SessionSummary): void;
}

/** A refusal of `kind`, logged as `reason`. */
export function refuse(kind: RefusalKind, reason: string): Refusal {
  return { ok: false, kind, reason };
}

/** The HTTP status for a refusal (HTTP-FLV, HLS). */
export function httpStatusOf(kind: RefusalKind): number {
  switch (kind) {
    case 'not-found':
      return 404;
    case 'busy':
      return 409;
    case 'denied':
    case 'bad-key':
      return 403;
  }
}

/** Splits `name?query` as players send it (RTMP play names, some publish keys). */
export function splitNameAndQuery(value: string): PlayRequest {
  const at = value.indexOf('?');
  return at < 0
    ? { name: value, query: new URLSearchParams() }
    : { name: value.slice(0, at), query: new URLSearchParams(value.slice(at + 1)) };
}
