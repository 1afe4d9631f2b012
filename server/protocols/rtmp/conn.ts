/**
 * One RTMP connection: the handshake, the chunk stream, and the NetConnection/NetStream
 * command state machine (Adobe RTMP spec 1.0 section 7.2: connect, createStream, publish,
 * play, deleteStream; plus the FMLE/OBS calls releaseStream, FCPublish, FCUnpublish), window
 * acknowledgements (5.4.3-5.4.5), user control pings (7.1.7). A publisher's media goes to its
 * stream (`LiveStream.ingest`); a player becomes a `GatedReader` of its stream.
 *
 * Every way a connection ends goes through `close`, which logs exactly one line.
 */
import type { Socket } from 'node:net';
import { amfRecord, type AmfValue } from '../../../common/media/amf0.ts';
import { MediaFormatError } from '../../../common/media/errors.ts';
import { RtmpChunkParser, serializeRtmpMessage, type OutgoingRtmpMessage, type RtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import { RtmpServerHandshake, type HandshakeCrypto } from '../../../common/media/rtmp-handshake.ts';
import {
  amfObject,
  commandMessage,
  dataMessage,
  decodeCommand,
  onStatusMessage,
  parseU32Control,
  parseUserControl,
  RtmpType,
  setChunkSizeMessage,
  setPeerBandwidthMessage,
  splitAggregate,
  userControlMessage,
  UserControlEvent,
  windowAckSizeMessage,
  acknowledgementMessage,
  type RtmpCommand,
} from '../../../common/media/rtmp-message.ts';
import type { Logger } from '../../log.ts';
import { GatedReader, type ReaderOutput } from '../../stream/gated-reader.ts';
import type { LiveStream, Publisher } from '../../stream/live-stream.ts';
import { OUT_CHUNK_SIZE, type MediaPacket } from '../../stream/media-packet.ts';
import type { BackpressurePolicy } from '../../stream/reader-gate.ts';
import type { SessionContext, SessionHost } from './session-host.ts';

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
  host: SessionHost;
  /** The application name clients connect to (`live`). */
  app: string;
  limits: RtmpLimits;
  uptimeMs: () => number;
  /** Called once, after the connection has closed. */
  onClosed(connection: RtmpConnection): void;
}

/** The window we ask peers to acknowledge, and our peer bandwidth (what nginx-rtmp and SRS send). */
const WINDOW_ACK_SIZE = 2_500_000;

type Role = 'publisher' | 'player';

interface PublishSession {
  streamId: number;
  name: string;
  stream: LiveStream;
  publisher: Publisher;
  startedAtMs: number;
  bytesAtStart: number;
}

interface PlaySession {
  streamId: number;
  name: string;
  stream: LiveStream;
  reader: GatedReader;
  startedAtMs: number;
  bytesAtStart: number;
}

/** One accepted RTMP socket. */
export class RtmpConnection {
  readonly id: string;
  readonly remoteAddress: string;
  private readonly socket: Socket;
  private readonly deps: RtmpConnectionDeps;
  private readonly log: Logger;
  private readonly acceptedAtMs = Date.now();
  private handshake: RtmpServerHandshake | null;
  private readonly parser: RtmpChunkParser;
  private connected = false;
  private readonly messageStreams = new Set<number>();
  private nextStreamId = 1;
  private publishing: PublishSession | null = null;
  private playing: PlaySession | null = null;
  private admitting = false;
  private closed = false;
  private startTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private peerAckWindow = WINDOW_ACK_SIZE;
  private bytesIn = 0;
  private lastAckAt = 0;
  /** Bytes written to the socket. */
  bytesOut = 0;
  private socketError: string | undefined;
  private appName = '';
  /** What this connection did last, for its close line (a session may end before the socket does). */
  private lastRole: Role | undefined;
  private lastStream: string | undefined;

  constructor(id: string, socket: Socket, deps: RtmpConnectionDeps) {
    this.id = id;
    this.socket = socket;
    this.deps = deps;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.log = deps.log;
    this.handshake = new RtmpServerHandshake(deps.crypto, deps.uptimeMs);
    this.parser = new RtmpChunkParser((message) => this.onMessage(message), { maxMessageBytes: deps.limits.maxMessageBytes });
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

  private get role(): Role | undefined {
    return this.publishing ? 'publisher' : this.playing ? 'player' : undefined;
  }

  private context(): SessionContext {
    return { sessionId: this.id, remoteAddress: this.socket.remoteAddress ?? '', protocol: 'rtmp' };
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    this.bytesIn += bytes.length;
    try {
      let data: Uint8Array = bytes;
      if (this.handshake) {
        const step = this.handshake.feed(bytes);
        if (step.reply) this.write(step.reply);
        if (!step.done) return;
        this.handshake = null;
        clearTimeout(this.handshakeTimer);
        data = step.remainder ?? new Uint8Array(0);
      }
      try {
        if (data.length > 0) this.parser.feed(data);
      } finally {
        // Viewers write what this read carried, once each (see LiveStream.endOfRead).
        this.publishing?.stream.endOfRead();
      }
      if (this.bytesIn - this.lastAckAt >= this.peerAckWindow) {
        this.lastAckAt = this.bytesIn;
        this.send(acknowledgementMessage(this.bytesIn % 0x1_0000_0000));
      }
    } catch (error) {
      if (error instanceof MediaFormatError) this.close(`malformed ${this.handshake ? 'handshake' : 'RTMP'}: ${error.message}`, 'warn');
      else this.close(`internal error: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  private onMessage(message: RtmpMessage): void {
    if (this.closed) return;
    switch (message.typeId) {
      case RtmpType.setChunkSize:
        this.parser.setChunkSize(parseU32Control(message.payload) & 0x7fffffff);
        return;
      case RtmpType.abort:
        this.parser.abort(parseU32Control(message.payload));
        return;
      case RtmpType.windowAckSize: {
        const size = parseU32Control(message.payload);
        if (size > 0) this.peerAckWindow = size;
        return;
      }
      case RtmpType.userControl: {
        const control = parseUserControl(message.payload);
        if (control.event === UserControlEvent.pingRequest) this.send(userControlMessage(UserControlEvent.pingResponse, control.value));
        return;
      }
      case RtmpType.audio:
      case RtmpType.video:
      case RtmpType.dataAmf0:
      case RtmpType.dataAmf3:
        this.onMedia(message);
        return;
      case RtmpType.aggregate:
        for (const part of splitAggregate(message)) this.onMedia(part);
        return;
      case RtmpType.commandAmf0:
      case RtmpType.commandAmf3:
        this.onCommand(decodeCommand(message), message.streamId);
        return;
      default:
      // Acknowledgement, Set Peer Bandwidth, shared objects: nothing to do.
    }
  }

  private onMedia(message: RtmpMessage): void {
    const session = this.publishing;
    if (!session || message.streamId !== session.streamId) return;
    const kind = message.typeId === RtmpType.audio ? 'audio' : message.typeId === RtmpType.video ? 'video' : 'data';
    const payload = message.typeId === RtmpType.dataAmf3 ? message.payload.subarray(1) : message.payload;
    if (payload.length === 0) return; // empty audio/video messages carry nothing (some encoders send them)
    session.stream.ingest(kind, message.timestamp, payload);
  }

  private onCommand(command: RtmpCommand, streamId: number): void {
    const { name, transactionId } = command;
    if (name === 'connect') return this.onConnect(command);
    if (!this.connected) throw new MediaFormatError(`command ${name} before connect`);
    switch (name) {
      case 'createStream': {
        if (this.messageStreams.size >= this.deps.limits.maxStreamsPerConnection) {
          this.send(commandMessage(0, '_error', transactionId, null, this.status('error', 'NetStream.Failed', 'Too many streams')));
          return;
        }
        const id = this.nextStreamId++;
        this.messageStreams.add(id);
        this.send(commandMessage(0, '_result', transactionId, null, id));
        return;
      }
      case 'releaseStream':
      case 'FCPublish':
      case 'getStreamLength':
        if (transactionId > 0) this.send(commandMessage(0, '_result', transactionId, null, name === 'getStreamLength' ? 0 : undefined));
        return;
      case 'publish':
        return this.onPublish(command, streamId);
      case 'play':
        return this.onPlay(command, streamId);
      case 'FCUnpublish':
        this.endPublish('unpublished');
        if (transactionId > 0) this.send(commandMessage(0, '_result', transactionId, null, undefined));
        return;
      case 'deleteStream':
      case 'closeStream': {
        const target = name === 'deleteStream' && typeof command.args[0] === 'number' ? command.args[0] : streamId;
        if (this.publishing?.streamId === target) this.endPublish('unpublished');
        if (this.playing?.streamId === target) this.endPlay();
        this.messageStreams.delete(target);
        return;
      }
      case '_result':
      case '_error':
      case 'onStatus':
      case 'receiveAudio':
      case 'receiveVideo':
      case 'pause':
      case 'seek':
      case '_checkbw':
        return;
      default:
        if (transactionId > 0)
          this.send(
            commandMessage(
              0,
              '_error',
              transactionId,
              null,
              this.status('error', 'NetConnection.Call.Failed', `Method not found (${name})`),
            ),
          );
    }
  }

  private status(level: 'status' | 'error', code: string, description: string): AmfValue {
    return amfObject({ level, code, description });
  }

  private onConnect(command: RtmpCommand): void {
    if (this.connected) throw new MediaFormatError('a second connect on one connection');
    const object = amfRecord(command.object);
    const app = typeof object?.app === 'string' ? object.app.split('?')[0]!.replace(/\/+$/, '') : '';
    // Only the first path segment reaches the log: an encoder set up with the key in the server URL
    // (rtmp://host/live/KEY) sends it here, and keys never reach logs.
    const [first = '', ...rest] = app.split('/');
    const shown = `${first.slice(0, 32)}${rest.length ? '/…' : ''}`;
    this.appName = shown;
    if (app !== this.deps.app) {
      this.send(
        commandMessage(
          0,
          '_error',
          command.transactionId,
          null,
          this.status('error', 'NetConnection.Connect.Rejected', `Unknown application "${app}"`),
        ),
      );
      this.close(`connect refused: unknown application "${shown}"`, 'warn', true);
      return;
    }
    this.connected = true;
    this.send(windowAckSizeMessage(WINDOW_ACK_SIZE));
    this.send(setPeerBandwidthMessage(WINDOW_ACK_SIZE, 2));
    this.send(setChunkSizeMessage(OUT_CHUNK_SIZE));
    this.send(
      commandMessage(
        0,
        '_result',
        command.transactionId,
        amfObject({ fmsVer: 'FMS/3,0,1,123', capabilities: 31, mode: 1 }),
        amfObject({ level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 }),
      ),
    );
  }

  private startCommandAllowed(streamId: number, what: string): boolean {
    if (this.publishing || this.playing || this.admitting) {
      this.send(onStatusMessage(streamId, 'error', `NetStream.${what}.Failed`, 'This connection already publishes or plays a stream'));
      return false;
    }
    if (!this.messageStreams.has(streamId))
      throw new MediaFormatError(`${what.toLowerCase()} on message stream ${streamId}, which was never created`);
    return true;
  }

  private onPublish(command: RtmpCommand, streamId: number): void {
    if (!this.startCommandAllowed(streamId, 'Publish')) return;
    const key = typeof command.args[0] === 'string' ? command.args[0] : '';
    this.admitting = true;
    const publisher: Publisher = {
      sessionId: this.id,
      protocol: 'rtmp',
      remoteAddress: this.socket.remoteAddress ?? '',
      startedAtMs: Date.now(),
      disconnect: (reason) => this.close(reason, 'info', true),
    };
    this.deps.host.admitPublisher(key, publisher, this.context()).then(
      (admission) => {
        this.admitting = false;
        if (!admission.ok) {
          if (this.closed) return;
          this.send(onStatusMessage(streamId, 'error', admission.code, admission.description));
          this.close(`publish refused: ${admission.reason}`, 'warn', true);
          return;
        }
        if (this.closed) {
          admission.stream.release(publisher);
          return;
        }
        clearTimeout(this.startTimer);
        this.publishing = {
          streamId,
          name: admission.name,
          stream: admission.stream,
          publisher,
          startedAtMs: Date.now(),
          bytesAtStart: this.bytesIn,
        };
        this.socket.setTimeout(this.deps.limits.idleTimeoutMs);
        this.send(userControlMessage(UserControlEvent.streamBegin, streamId));
        this.send(onStatusMessage(streamId, 'status', 'NetStream.Publish.Start', `${admission.name} is now published.`));
        this.log.info({ conn: this.id, remote: this.remoteAddress, stream: admission.name }, 'publish started');
      },
      (error: unknown) => {
        this.admitting = false;
        this.close(`publish admission failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
      },
    );
  }

  private onPlay(command: RtmpCommand, streamId: number): void {
    if (!this.startCommandAllowed(streamId, 'Play')) return;
    const name = typeof command.args[0] === 'string' ? command.args[0].split('?')[0]! : '';
    this.admitting = true;
    this.deps.host.admitPlayer(name, this.context()).then(
      (admission) => {
        this.admitting = false;
        if (this.closed) return;
        if (!admission.ok) {
          this.send(onStatusMessage(streamId, 'error', admission.code, admission.description));
          this.close(`play refused: ${admission.reason}`, 'warn', true);
          return;
        }
        clearTimeout(this.startTimer);
        this.send(userControlMessage(UserControlEvent.streamBegin, streamId));
        this.send(onStatusMessage(streamId, 'status', 'NetStream.Play.Reset', `Playing and resetting ${admission.name}.`));
        this.send(onStatusMessage(streamId, 'status', 'NetStream.Play.Start', `Started playing ${admission.name}.`));
        this.send(dataMessage(streamId, ['|RtmpSampleAccess', true, true]));
        const reader = new GatedReader(admission.stream, this.playerOutput(streamId, admission.name), this.deps.limits.backpressure);
        this.playing = {
          streamId,
          name: admission.name,
          stream: admission.stream,
          reader,
          startedAtMs: Date.now(),
          bytesAtStart: this.bytesOut,
        };
        admission.stream.addReader(reader);
        this.log.info({ conn: this.id, remote: this.remoteAddress, stream: admission.name }, 'play started');
      },
      (error: unknown) => {
        this.admitting = false;
        this.close(`play admission failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
      },
    );
  }

  private playerOutput(streamId: number, name: string): ReaderOutput {
    return {
      protocol: 'rtmp',
      bytesOf: (packet: MediaPacket) => packet.rtmp(streamId),
      write: (bytes) => this.write(bytes),
      writeMany: (chunks) => {
        if (this.closed) return;
        this.socket.cork();
        for (const chunk of chunks) this.write(chunk);
        this.socket.uncork();
      },
      queuedBytes: () => this.socket.writableLength,
      publishStarted: () => {
        this.send(userControlMessage(UserControlEvent.streamBegin, streamId));
        this.send(onStatusMessage(streamId, 'status', 'NetStream.Play.PublishNotify', `${name} is now published.`));
      },
      publishStopped: () => {
        this.send(userControlMessage(UserControlEvent.streamEof, streamId));
        this.send(onStatusMessage(streamId, 'status', 'NetStream.Play.UnpublishNotify', `${name} is now unpublished.`));
      },
      close: (reason, slow) => this.close(reason, slow ? 'warn' : 'info', !slow),
    };
  }

  /** Ends the publish session; `logIt` is false when the connection's own close line will say so. */
  private endPublish(reason: string, logIt = true): void {
    const session = this.publishing;
    if (!session) return;
    this.publishing = null;
    this.socket.setTimeout(0);
    session.stream.release(session.publisher);
    const summary = { durationMs: Date.now() - session.startedAtMs, bytes: this.bytesIn - session.bytesAtStart };
    if (logIt) this.log.info({ conn: this.id, stream: session.name, reason, ...summary }, 'publish stopped');
    this.deps.host.publisherLeft(session.name, this.context(), summary);
  }

  private endPlay(): void {
    const session = this.playing;
    if (!session) return;
    this.playing = null;
    session.stream.removeReader(session.reader);
    this.deps.host.playerLeft(session.name, this.context(), {
      durationMs: Date.now() - session.startedAtMs,
      bytes: this.bytesOut - session.bytesAtStart,
    });
  }

  private send(message: OutgoingRtmpMessage): void {
    this.write(serializeRtmpMessage(message, OUT_CHUNK_SIZE));
  }

  /** Writes bytes to the socket (nothing once closed). */
  write(bytes: Uint8Array): void {
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
    const role = this.role ?? this.lastRole;
    const stream = this.publishing?.name ?? this.playing?.name ?? this.lastStream;
    this.endPublish(reason, false);
    if (this.playing) {
      const reader = this.playing.reader;
      this.endPlay();
      reader.detach(reason, false);
    }
    clearTimeout(this.startTimer);
    clearTimeout(this.handshakeTimer);
    this.log[level](
      {
        conn: this.id,
        remote: this.remoteAddress,
        ...(this.appName ? { app: this.appName } : {}),
        ...(role ? { role } : {}),
        ...(stream ? { stream } : {}),
        reason,
        durationMs: Date.now() - this.acceptedAtMs,
        bytesIn: this.bytesIn,
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
