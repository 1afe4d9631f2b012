/**
 * One accepted RTMP socket: the handshake and the chunk stream (codecs in `common/media`),
 * the protocol state machine (`session.ts`), the admission calls, the stream seams
 * (`ingest.ts`, `playback.ts`), the timers, and the close. Every way a connection ends goes
 * through `close`, which logs exactly one line, naming the role and stream it last had.
 */
import type { Socket } from 'node:net';
import { MediaFormatError } from '../../../common/media/errors.ts';
import { RtmpChunkParser, RtmpChunkWriter, type OutgoingRtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import { RtmpServerHandshake, type HandshakeCrypto } from '../../../common/media/rtmp-handshake.ts';
import type { Logger } from '../../log.ts';
import type { PlayRequest, SessionContext, StreamAdmission } from '../../stream/admission.ts';
import type { Publisher } from '../../stream/live-stream.ts';
import type { BackpressurePolicy } from '../../stream/reader-gate.ts';
import { RtmpIngest } from './ingest.ts';
import { RtmpPlayback } from './playback.ts';
import { RtmpServerSession, type RtmpRole } from './session.ts';

/** Limits of RTMP connections. */
export interface RtmpLimits {
  /** Longest RTMP message accepted. Default 16 MiB. */
  maxMessageBytes: number;
  /** Time to complete the handshake. Default 10 s. */
  handshakeTimeoutMs: number;
  /** Time from accept to publish or play. Default 15 s. */
  startTimeoutMs: number;
  /** A publisher silent this long is dropped. Default 30 s. */
  idleTimeoutMs: number;
  /** Message streams one connection may create. Default 8. */
  maxStreamsPerConnection: number;
  backpressure: BackpressurePolicy;
}

/** What a connection is given by its listener. */
export interface RtmpConnectionDeps {
  log: Logger;
  crypto: HandshakeCrypto;
  admission: StreamAdmission;
  /** The application name clients connect to (`live`). */
  app: string;
  limits: RtmpLimits;
  uptimeMs: () => number;
  /** Called once, after the connection has closed. */
  onClosed(connection: RtmpConnection): void;
}

/** One accepted RTMP socket. */
export class RtmpConnection {
  readonly id: string;
  readonly remoteAddress: string;
  private readonly socket: Socket;
  private readonly deps: RtmpConnectionDeps;
  private readonly acceptedAtMs = Date.now();
  private handshake: RtmpServerHandshake | null;
  private readonly parser: RtmpChunkParser;
  private readonly writer = new RtmpChunkWriter();
  private readonly session: RtmpServerSession;
  private ingest: RtmpIngest | null = null;
  private playback: RtmpPlayback | null = null;
  private closed = false;
  private readonly startTimer: NodeJS.Timeout;
  private readonly handshakeTimer: NodeJS.Timeout;
  /** Bytes written to the socket. */
  private bytesOut = 0;
  private socketError: string | undefined;

  constructor(id: string, socket: Socket, deps: RtmpConnectionDeps) {
    this.id = id;
    this.socket = socket;
    this.deps = deps;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.handshake = new RtmpServerHandshake(deps.crypto, deps.uptimeMs);
    this.session = new RtmpServerSession(
      { app: deps.app, maxStreamsPerConnection: deps.limits.maxStreamsPerConnection },
      {
        send: (message) => this.send(message),
        peerChunkSize: (size) => this.parser.setChunkSize(size),
        abortMessage: (chunkStreamId) => this.parser.abort(chunkStreamId),
        publishRequested: (streamId, key) => this.admitPublisher(streamId, key),
        playRequested: (streamId, request) => this.admitPlayer(streamId, request),
        media: (kind, timestamp, payload) => this.ingest?.push(kind, timestamp, payload),
        sessionEnded: (role) => this.endSession(role, 'unpublished'),
        connectRefused: (reason) => this.close(reason, 'warn', true),
      },
    );
    this.parser = new RtmpChunkParser(
      (message) => {
        if (!this.closed) this.session.receive(message);
      },
      { maxMessageBytes: deps.limits.maxMessageBytes },
    );
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketError = error.code ?? error.message;
    });
    socket.on('close', () =>
      this.close(this.socketError ? `socket error ${this.socketError}` : 'peer disconnected', this.socketError ? 'warn' : 'info'),
    );
    socket.on('timeout', () => this.close(`idle for ${deps.limits.idleTimeoutMs} ms`, 'warn'));
    this.handshakeTimer = setTimeout(
      () => this.close(`no handshake within ${deps.limits.handshakeTimeoutMs} ms`, 'warn'),
      deps.limits.handshakeTimeoutMs,
    );
    this.startTimer = setTimeout(
      () => this.close(`neither publish nor play within ${deps.limits.startTimeoutMs} ms`, 'warn'),
      deps.limits.startTimeoutMs,
    );
  }

  private context(): SessionContext {
    return { sessionId: this.id, remoteAddress: this.socket.remoteAddress ?? '', protocol: 'rtmp' };
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    try {
      let data: Uint8Array = bytes;
      if (this.handshake) {
        const step = this.handshake.feed(bytes);
        if (step.reply) this.write(step.reply);
        if (!step.done) {
          this.session.received(bytes.length);
          return;
        }
        this.handshake = null;
        clearTimeout(this.handshakeTimer);
        data = step.remainder ?? new Uint8Array(0);
      }
      try {
        if (data.length > 0) this.parser.feed(data);
      } finally {
        // Viewers write what this read carried, once each (see LiveStream.endOfRead).
        this.ingest?.endOfRead();
      }
      this.session.received(bytes.length);
    } catch (error) {
      if (error instanceof MediaFormatError) this.close(`malformed ${this.handshake ? 'handshake' : 'RTMP'}: ${error.message}`, 'warn');
      else this.close(`internal error: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  private admitPublisher(streamId: number, key: string): void {
    const publisher: Publisher = {
      sessionId: this.id,
      protocol: 'rtmp',
      remoteAddress: this.socket.remoteAddress ?? '',
      startedAtMs: Date.now(),
      disconnect: (reason) => this.close(reason, 'info', true),
    };
    this.deps.admission.admitPublisher(key, publisher, this.context()).then(
      (admission) => {
        if (this.closed) {
          if (admission.ok) admission.stream.release(publisher);
          return;
        }
        if (!admission.ok) {
          this.session.refused(streamId, admission, 'publish');
          this.close(`publish refused: ${admission.reason}`, 'warn', true);
          return;
        }
        clearTimeout(this.startTimer);
        this.ingest = new RtmpIngest(admission.name, admission.stream, publisher, this.session.bytesReceived);
        this.session.publishAdmitted(streamId, admission.name);
        this.socket.setTimeout(this.deps.limits.idleTimeoutMs);
        this.deps.log.info({ conn: this.id, remote: this.remoteAddress, stream: admission.name }, 'publish started');
      },
      (error: unknown) => this.close(`publish admission failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
    );
  }

  private admitPlayer(streamId: number, request: PlayRequest): void {
    this.deps.admission.admitPlayer(request, this.context()).then(
      (admission) => {
        if (this.closed) return;
        if (!admission.ok) {
          this.session.refused(streamId, admission, 'play');
          this.close(`play refused: ${admission.reason}`, 'warn', true);
          return;
        }
        clearTimeout(this.startTimer);
        this.session.playAdmitted(streamId, admission.name);
        const writer = this.writer;
        this.playback = new RtmpPlayback(
          admission.name,
          admission.stream,
          streamId,
          {
            get chunkSize() {
              return writer.chunkSize;
            },
            chunk: (message) => writer.write(message),
            write: (bytes) => this.write(bytes),
            writeMany: (chunks) => {
              if (this.closed) return;
              this.socket.cork();
              for (const chunk of chunks) this.write(chunk);
              this.socket.uncork();
            },
            queuedBytes: () => this.socket.writableLength,
            publisherCame: () => this.session.publisherCame(),
            publisherWent: () => this.session.publisherWent(),
            close: (reason, slow) => this.close(reason, slow ? 'warn' : 'info', !slow),
          },
          this.deps.limits.backpressure,
        );
        this.deps.log.info({ conn: this.id, remote: this.remoteAddress, stream: admission.name }, 'play started');
      },
      (error: unknown) => this.close(`play admission failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
    );
  }

  /** Ends the publish or play session; `logIt` is false when the connection's own close line will say so. */
  private endSession(role: RtmpRole, reason: string, logIt = true): void {
    if (role === 'publisher' && this.ingest) {
      const { name } = this.ingest;
      const summary = this.ingest.end(this.session.bytesReceived);
      this.ingest = null;
      this.socket.setTimeout(0);
      if (logIt) this.deps.log.info({ conn: this.id, stream: name, reason, ...summary }, 'publish stopped');
      this.deps.admission.publisherLeft(name, this.context(), summary);
    } else if (role === 'player' && this.playback) {
      const { name } = this.playback;
      const summary = this.playback.end();
      this.playback = null;
      this.deps.admission.playerLeft(name, this.context(), summary);
    }
  }

  private send(message: OutgoingRtmpMessage): void {
    this.write(this.writer.write(message));
  }

  private write(bytes: Uint8Array): void {
    if (this.closed) return;
    this.bytesOut += bytes.length;
    this.socket.write(bytes);
  }

  /**
   * Ends the connection once: leaves its stream, logs one line, and closes the socket —
   * after flushing what was written when `flush` is set (a refusal's status), at once otherwise.
   */
  close(reason: string, level: 'info' | 'warn' | 'error' = 'info', flush = false): void {
    if (this.closed) return;
    this.closed = true;
    const role = this.session.active?.role ?? this.session.last?.role;
    const stream = this.session.active?.name ?? this.session.last?.name;
    this.endSession('publisher', reason, false);
    this.endSession('player', reason, false);
    clearTimeout(this.startTimer);
    clearTimeout(this.handshakeTimer);
    this.deps.log[level](
      {
        conn: this.id,
        remote: this.remoteAddress,
        ...(this.session.app ? { app: this.session.app } : {}),
        ...(role ? { role } : {}),
        ...(stream ? { stream } : {}),
        reason,
        durationMs: Date.now() - this.acceptedAtMs,
        bytesIn: this.session.bytesReceived,
        bytesOut: this.bytesOut,
      },
      'rtmp connection closed',
    );
    if (flush && !this.socket.destroyed) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 2000).unref();
    } else {
      this.socket.destroy();
    }
    this.deps.onClosed(this);
  }
}
